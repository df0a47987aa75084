"""Fit a sine wave y = sin(w·x + b): a real loss with many local minima."""

from __future__ import annotations

import numpy as np

from .base import Domain
from .dataset import DatasetProblem


class WaveFit(DatasetProblem):
    """``L(w, b) = mean((sin(w x + b) - y)^2)``.

    Frequencies that nearly match the data make valleys of their own, so plain
    descent often settles in the wrong one. ``(w, b)`` and ``(-w, π - b)`` give
    the same curve, so minima come in mirror pairs.
    """

    name = "wave-fit"
    title = "Wave fit"
    description = "Fit y = sin(w·x + b) by mean squared error: many valleys, one best fit."
    formula = "y = sin(w·x + b)"
    suggested_lr = 0.05
    default_noise = 0.1

    @staticmethod
    def draw(rng, samples, noise):
        x = rng.uniform(-3, 3, samples)
        return x, np.sin(1.5 * x + 0.5) + noise * rng.standard_normal(samples)

    @staticmethod
    def predict(w, b, x):
        return np.sin(w * x + b)

    def _domain(self) -> Domain:
        return ((-4.0, 4.0), (-np.pi, np.pi))

    @property
    def default_start(self) -> tuple[float, float]:
        # In the basin of the best fit, past a ridge: a run that shows the valleys.
        return (0.8, 2.5)

    def sample_loss_and_grad(self, P, x, y):
        z = P[:, 0:1] * x + P[:, 1:2]
        n = len(x)
        r = np.sin(z) - y
        rc = r * np.cos(z)
        return (r * r).sum(1) / n, np.column_stack((rc @ x, rc.sum(1))) * (2 / n)

    def sample_gradients(self, p, x, y):
        z = p[0] * x + p[1]
        rc = 2 * (np.sin(z) - y) * np.cos(z)
        return np.vstack((rc * x, rc)).T

    def _losses_over_b(self, w, bs):
        # With u = w x: sin²(u + b) = (1 − cos 2u cos 2b + sin 2u sin 2b) / 2 and
        # y sin(u + b) = y sin u cos b + y cos u sin b, so four means over the samples give every b.
        def terms(u, y):
            s, c = np.sin(u), np.cos(u)
            return 1 - 2 * s * s, 2 * s * c, y * s, y * c, y * y

        cos2u, sin2u, ys, yc, yy = self._sample_means(w, terms)
        loss = (1 - cos2u * np.cos(2 * bs) + sin2u * np.sin(2 * bs)) / 2 - 2 * (ys * np.cos(bs) + yc * np.sin(bs)) + yy
        return np.maximum(loss, 0.0)

    def sample_loss(self, P, x, y):
        r = np.sin(P[:, 0:1] * x + P[:, 1:2]) - y
        return (r * r).mean(1)
