"""Fit a line y = w·x + b by mean squared error: the lecture's w·x + b."""

from __future__ import annotations

import numpy as np

from .base import Domain, Minimum
from .data import Dataset
from .dataset import DatasetProblem, centred


class LinearRegression(DatasetProblem):
    """Mean squared error of a line (no 1/2 factor): a quadratic bowl in (w, b).

    ``L(w, b) = mean((w x + b - y)^2)``. Because the loss is quadratic, the full
    loss, gradient and surface come from five data moments in O(1) per point;
    only batches touch the samples.
    """

    name = "linear-regression"
    title = "Linear regression"
    description = "Fit a line y = w·x + b to points by mean squared error: one round valley."
    formula = "y = w·x + b"
    suggested_lr = 0.05
    default_noise = 1.0

    def __init__(self, data: Dataset) -> None:
        x, y = data.x, data.y
        # L(P) = P·H2·P / 2 + c·P + syy, with H2 the (constant) Hessian.
        sx, sxx, sy, sxy = x.mean(), (x * x).mean(), y.mean(), (x * y).mean()
        self._hessian = 2 * np.array([[sxx, sx], [sx, 1.0]])
        self._c = -2 * np.array([sxy, sy])
        self._syy = (y * y).mean()
        self._coeffs = (*self._hessian.ravel()[[0, 1, 3]].tolist(), *self._c.tolist(), float(self._syy))
        self._best = np.linalg.lstsq(self._hessian, -self._c, rcond=None)[0]
        super().__init__(data)

    @staticmethod
    def draw(rng, samples, noise):
        x = rng.uniform(-3, 3, samples)
        return x, 2.0 * x + 1.0 + noise * rng.standard_normal(samples)

    @staticmethod
    def predict(w, b, x):
        return w * x + b

    def _domain(self) -> Domain:
        return centred((float(self._best[0]), float(self._best[1])))

    def sample_loss_and_grad(self, P, x, y):
        n = len(x)
        if len(P) == 1:
            # One run: scalar weights keep small batches cheap.
            r = P[0, 0] * x
            r += P[0, 1]
            r -= y
            return np.array([r @ r / n]), np.array([[r @ x, r.sum()]]) * (2 / n)
        r = P[:, 0:1] * x + P[:, 1:2] - y
        return (r * r).sum(1) / n, np.column_stack((r @ x, r.sum(1))) * (2 / n)

    def sample_gradients(self, p, x, y):
        r = p[0] * x + p[1] - y
        r *= 2
        return np.vstack((r * x, r)).T

    def epoch_batches(self, order, size):
        # Each batch's loss and gradient follow from five means over its samples (as the
        # full loss does): summed once per epoch, a step then costs a few multiplications.
        x, y = self.data.x[order], self.data.y[order]
        starts = np.arange(0, len(x), size)
        counts = np.diff(np.append(starts, len(x)))
        means = np.add.reduceat(np.stack((x, x * x, y, x * y, y * y)), starts, axis=1) / counts
        rows = means.T.tolist()
        table = means.T

        def batch(P, s):
            if len(P) == 1:
                w, b = float(P[0, 0]), float(P[0, 1])
                sx, sxx, sy, sxy, syy = rows[s.start // size]
                loss = w * w * sxx + 2 * w * b * sx + b * b - 2 * w * sxy - 2 * b * sy + syy
                return np.array((max(loss, 0.0),)), np.array(((2 * (w * sxx + b * sx - sxy), 2 * (w * sx + b - sy)),))
            sx, sxx, sy, sxy, syy = table[s.start // size]
            w, b = P[:, 0], P[:, 1]
            loss = w * w * sxx + 2 * w * b * sx + b * b - 2 * w * sxy - 2 * b * sy + syy
            return np.maximum(loss, 0.0), np.column_stack((2 * (w * sxx + b * sx - sxy), 2 * (w * sx + b - sy)))

        return batch

    def full_loss_every(self, batch_size: int) -> int:
        """1: the full loss follows from the data's moments, at no cost per sample."""
        return 1

    # Loss and gradient from the Hessian's three entries and c, one operation at a time in the
    # same order for one run (Python floats: cheapest) and for many (arrays): a run's numbers do
    # not depend on how many run beside it, so a learning-rate sweep's runs are the runs alone.
    def loss(self, P: np.ndarray) -> np.ndarray:
        return self.loss_and_grad_into(P, np.empty_like(P))

    def loss_and_grad(self, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        G = np.empty_like(P)
        return self.loss_and_grad_into(P, G), G

    def loss_and_grad_into(self, P: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
        h00, h01, h11, c0, c1, syy = self._coeffs
        if len(P) == 1:
            w, b = float(P[0, 0]), float(P[0, 1])
            hw, hb = h00 * w + h01 * b, h01 * w + h11 * b
            grad_out[0, 0], grad_out[0, 1] = hw + c0, hb + c1
            # Rounding can dip a tiny bit below zero when the fit is exact.
            return np.array((max(0.5 * (w * hw + b * hb) + c0 * w + c1 * b + syy, 0.0),))
        w, b = P[:, 0], P[:, 1]
        hw, hb = h00 * w + h01 * b, h01 * w + h11 * b
        np.add(hw, c0, out=grad_out[:, 0])
        np.add(hb, c1, out=grad_out[:, 1])
        loss = 0.5 * (w * hw + b * hb) + c0 * w + c1 * b + syy
        return np.maximum(loss, 0.0, out=loss)

    def locate_minima(self, progress=None) -> tuple[Minimum, ...]:
        """The one minimum, solved for exactly (no search)."""
        best = self._best[None, :]
        return (Minimum((float(best[0, 0]), float(best[0, 1])), float(self.loss(best)[0])),)

    @property
    def hessian_max_eig(self) -> float:
        return float(np.linalg.eigvalsh(self._hessian)[-1])
