"""Separate two classes on a line with a sigmoid: mean binary cross-entropy."""

from __future__ import annotations

import numpy as np

from ..errors import ConfigError
from .base import Domain
from .data import Dataset
from .dataset import DatasetProblem, centred


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

    def __init__(self, data: Dataset) -> None:
        if not np.all((data.y == 0) | (data.y == 1)):
            raise ConfigError(f"logistic-regression needs labels 0 or 1 in the y column ({data.source})")
        super().__init__(data)

    @staticmethod
    def predict(w, b, x):
        return sigmoid(w * x + b)

    def _domain(self) -> Domain:
        # A few Newton steps locate the optimum; capped for separable data.
        P = np.zeros((1, 2))
        X = np.column_stack([self.data.x, np.ones(self.n_samples)])
        for _ in range(25):
            p = sigmoid(X @ P[0])
            H = (X * (p * (1 - p))[:, None]).T @ X / self.n_samples + 1e-6 * np.eye(2)
            P = np.clip(P - np.linalg.solve(H, X.T @ (p - self.data.y) / self.n_samples), -20, 20)
        return centred((float(P[0, 0]), float(P[0, 1])))

    def sample_loss_and_grad(self, P, x, y):
        z = P[:, 0:1] * x + P[:, 1:2]
        n = len(x)
        e = sigmoid(z) - y
        return (softplus(z) - y * z).sum(1) / n, np.column_stack((e @ x, e.sum(1))) / n

    def sample_loss(self, P, x, y):
        z = P[:, 0:1] * x + P[:, 1:2]
        return (softplus(z) - y * z).mean(1)
