"""A loss given by a formula in two variables, with no data behind it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .base import Domain, Minimum, Problem

#: ``f(x, y) -> loss`` on arrays of equal shape.
LossFn = Callable[[np.ndarray, np.ndarray], np.ndarray]
#: ``fg(x, y) -> (loss, d/dx, d/dy)``, sharing the work between the three.
LossGradFn = Callable[[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray, np.ndarray]]


@dataclass(frozen=True, eq=False)
class AnalyticSurface(Problem):
    """A classic test surface: the exact gradient every step, so batch size does not apply."""

    name: str
    title: str
    description: str
    f: LossFn
    fg: LossGradFn
    domain: Domain
    known_minima: tuple[Minimum, ...]
    default_start: tuple[float, float]
    suggested_lr: float
    #: Largest Hessian eigenvalue for quadratic surfaces, else ``None``.
    curvature: float | None = None
    param_names: tuple[str, str] = ("x", "y")

    def loss(self, P: np.ndarray) -> np.ndarray:
        return self.f(P[:, 0], P[:, 1])

    def loss_and_grad(self, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        G = np.empty_like(P)
        return self.loss_and_grad_into(P, G), G

    def loss_and_grad_into(self, P: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
        if len(P) == 1:
            # One run: NumPy scalars cost a tenth of 1-element arrays per operation.
            f, grad_out[0, 0], grad_out[0, 1] = self.fg(P[0, 0], P[0, 1])
            return np.array((f,))
        f, grad_out[:, 0], grad_out[:, 1] = self.fg(P[:, 0], P[:, 1])
        return f

    @property
    def minima(self) -> tuple[Minimum, ...]:
        return self.known_minima

    @property
    def hessian_max_eig(self) -> float | None:
        return self.curvature
