"""Separate two classes on a line with a sigmoid: mean binary cross-entropy."""

from __future__ import annotations

from functools import cached_property

import numpy as np

from ..errors import ConfigError
from .base import Domain
from .data import Dataset
from .dataset import DatasetProblem, centred

#: Above this many samples, the map sums softplus over this many groups of nearby x.
MAP_GROUPS = 4096
#: Most samples the map's range is worked out from.
DOMAIN_SAMPLES = 65_536


def softplus(z: np.ndarray) -> np.ndarray:
    """``log(1 + exp(z))`` without overflow for large ``|z|``."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def sigmoid(z: np.ndarray) -> np.ndarray:
    """``1 / (1 + exp(-z))`` without overflow for large ``|z|``."""
    return 0.5 * (1.0 + np.tanh(0.5 * z))


class LogisticRegression(DatasetProblem):
    """``p = sigmoid(w x + b)``; loss ``mean(log(1 + exp(z)) - y z)`` with ``z = w x + b``.

    That is the binary cross-entropy ``-y log p - (1 - y) log(1 - p)`` written
    so that it stays finite for any ``z``. Convex: every flat spot is the
    minimum, unless the classes are separable (then the minimum is at infinity).
    """

    name = "logistic-regression"
    title = "Logistic regression"
    description = "Separate two classes on a line with a sigmoid, by cross-entropy: a convex bowl."
    formula = "p = σ(w·x + b)"
    suggested_lr = 0.5
    default_noise = 0.8

    def __init__(self, data: Dataset) -> None:
        if not np.all((data.y == 0) | (data.y == 1)):
            raise ConfigError(f"logistic-regression needs labels 0 or 1 in the y column ({data.source})")
        super().__init__(data)

    @staticmethod
    def draw(rng, samples, noise):
        # Two classes centred at -1 and +1 on a line; noise is their spread.
        y = (np.arange(samples) % 2).astype(float)
        rng.shuffle(y)
        return (2 * y - 1) + noise * rng.standard_normal(samples), y

    @staticmethod
    def predict(w, b, x):
        return sigmoid(w * x + b)

    def _domain(self) -> Domain:
        # A few Newton steps locate the optimum; capped for separable data. The range only
        # frames the map, so beyond DOMAIN_SAMPLES an evenly strided subset of the samples
        # stands in for them all (10 million once took half a minute and 600 MB here).
        x, y = self.data.x, self.data.y
        if len(x) > DOMAIN_SAMPLES:
            stride = -(-len(x) // DOMAIN_SAMPLES)
            x, y = x[::stride], y[::stride]
        P = np.zeros((1, 2))
        for _ in range(25):
            e, ex, s, sx, sxx = _newton_means(P, x, y)[0]
            H = np.array([[sxx, sx], [sx, s]]) + 1e-6 * np.eye(2)
            new = np.clip(P - np.linalg.solve(H, np.array([ex, e])), -20, 20)
            done = np.abs(new - P).max() <= 1e-12 * max(1.0, np.abs(new).max())
            P = new
            if done:
                break
        return centred((float(P[0, 0]), float(P[0, 1])))

    def sample_loss_and_grad(self, P, x, y):
        z = P[:, 0:1] * x + P[:, 1:2]
        n = len(x)
        e = sigmoid(z) - y
        return (softplus(z) - y * z).sum(1) / n, np.column_stack((e @ x, e.sum(1))) / n

    def sample_gradients(self, p, x, y):
        e = sigmoid(p[0] * x + p[1]) - y
        return np.vstack((e * x, e)).T

    def sample_loss(self, P, x, y):
        z = P[:, 0:1] * x + P[:, 1:2]
        return (softplus(z) - y * z).mean(1)

    def _losses_over_b(self, w, bs):
        # mean(y z) = w mean(x y) + b mean(y) is exact; mean(softplus(z)) needs the x values
        # only, so a large dataset's x are grouped (see _x_groups).
        x, count, mean_y, mean_xy = self._x_groups
        soft = softplus(w * x[None, :] + bs[:, None]) @ count / self.n_samples
        return soft - (w * mean_xy + bs * mean_y)

    @cached_property
    def _x_groups(self) -> tuple[np.ndarray, np.ndarray, float, float]:
        """The x values with their counts, for the map; with more than MAP_GROUPS samples,
        MAP_GROUPS equal-width groups of x, each at its mean.

        Grouping moves each x by less than a group's width h, and, at the mean, the
        first-order change of the loss cancels: the map is then within w²h²/32 of the
        exact loss (softplus'' ≤ 1/4), far below what a colour can show. Runs, the loss
        curve, the readouts and the minima always use every sample.
        """
        x, y = self.data.x, self.data.y
        moments = float(y.mean()), float((x * y).mean())
        if len(x) <= MAP_GROUPS:
            return x, np.ones(len(x)), *moments
        edges = np.linspace(x.min(), x.max(), MAP_GROUPS + 1)
        group = np.clip(np.searchsorted(edges, x, side="right") - 1, 0, MAP_GROUPS - 1)
        count = np.bincount(group, minlength=MAP_GROUPS).astype(float)
        total = np.bincount(group, weights=x, minlength=MAP_GROUPS)
        used = count > 0
        return total[used] / count[used], count[used], *moments


def _newton_means(P: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray]:
    """Means over samples for a Newton step at ``P[0]``: of ``e = p - y``, ``e x``, and
    ``s = p (1 - p)``, ``s x``, ``s x²`` (the gradient and the Hessian)."""
    p = sigmoid(P[0, 0] * x + P[0, 1])
    e = p - y
    s = p * (1 - p)
    sx = s * x
    return (np.array([e.mean(), e @ x / len(x), s.mean(), sx.mean(), sx @ x / len(x)]),)
