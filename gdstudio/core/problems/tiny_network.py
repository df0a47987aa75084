"""The smallest neural network: one hidden tanh unit, y = b·tanh(w·x)."""

from __future__ import annotations

import numpy as np

from .base import Domain
from .dataset import DatasetProblem


class TinyNetwork(DatasetProblem):
    """``L(w, b) = mean((b tanh(w x) - y)^2)``: weight ``w`` in, weight ``b`` out.

    At the origin both gradients vanish (a saddle): the network has not yet
    chosen a sign. ``(w, b)`` and ``(-w, -b)`` compute the same function, so
    the two best fits are mirror images.
    """

    name = "tiny-network"
    title = "Tiny network"
    description = "One hidden tanh unit, y = b·tanh(w·x): a saddle between two mirror-image minima."
    formula = "y = b·tanh(w·x)"
    suggested_lr = 0.05
    default_noise = 0.2

    @staticmethod
    def draw(rng, samples, noise):
        x = rng.uniform(-3, 3, samples)
        return x, 2.0 * np.tanh(1.5 * x) + noise * rng.standard_normal(samples)

    @staticmethod
    def predict(w, b, x):
        return b * np.tanh(w * x)

    def _domain(self) -> Domain:
        reach = max(4.0, 1.5 * float(np.abs(self.data.y).max()))
        return ((-4.0, 4.0), (-reach, reach))

    def sample_loss_and_grad(self, P, x, y):
        t = np.tanh(P[:, 0:1] * x)
        n = len(x)
        b = P[:, 1:2]
        r = b * t - y
        rs = r * b * (1 - t * t)
        return (r * r).sum(1) / n, np.column_stack((rs @ x, (r * t).sum(1))) * (2 / n)

    def sample_gradients(self, p, x, y):
        t = np.tanh(p[0] * x)
        r = 2 * (p[1] * t - y)
        return np.vstack((r * p[1] * (1 - t * t) * x, r * t)).T

    def _losses_over_b(self, w, bs):
        # With t = tanh(w x): mean((b t − y)²) = b² mean(t²) − 2 b mean(t y) + mean(y²).
        def terms(u, y):
            t = np.tanh(u)
            return t * t, t * y, y * y

        tt, ty, yy = self._sample_means(w, terms)
        return np.maximum(bs * bs * tt - 2 * bs * ty + yy, 0.0)

    def sample_loss(self, P, x, y):
        r = P[:, 1:2] * np.tanh(P[:, 0:1] * x) - y
        return (r * r).mean(1)
