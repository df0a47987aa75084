"""What every loss landscape offers the engine and the views."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

import numpy as np

Domain = tuple[tuple[float, float], tuple[float, float]]


@dataclass(frozen=True)
class Minimum:
    """A known minimum: where it is, its loss, and whether it is the lowest."""

    location: tuple[float, float]
    value: float
    is_global: bool = True


class Problem(ABC):
    """A loss over two parameters, vectorised over ``K`` points at once.

    ``P`` is always an array of shape ``(K, 2)``; ``loss`` returns ``(K,)`` and
    ``grad`` returns ``(K, 2)``. Gradients are analytic, never finite
    differences.
    """

    name: str
    title: str
    description: str
    param_names: tuple[str, str]
    domain: Domain
    default_start: tuple[float, float]
    #: A learning rate that gives a pleasant plain-GD run from the default start.
    suggested_lr: float
    #: Number of data samples, or ``None`` for an analytic surface (no data).
    n_samples: int | None = None

    @property
    def is_dataset(self) -> bool:
        """True when the loss is a mean over samples, so batch size matters."""
        return self.n_samples is not None

    @abstractmethod
    def loss(self, P: np.ndarray) -> np.ndarray:
        """Full loss at each of the ``K`` points."""

    @abstractmethod
    def loss_and_grad(self, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Full loss ``(K,)`` and gradient ``(K, 2)`` in one pass."""

    def loss_and_grad_into(self, P: np.ndarray, grad_out: np.ndarray) -> np.ndarray:
        """Full loss ``(K,)``, with the gradient written into ``grad_out`` ``(K, 2)``.

        The stepping loop uses this to put each step's gradient straight into
        its record instead of copying it there.
        """
        loss, grad_out[...] = self.loss_and_grad(P)
        return loss

    def grad(self, P: np.ndarray) -> np.ndarray:
        """Full gradient at each of the ``K`` points."""
        return self.loss_and_grad(P)[1]

    @property
    @abstractmethod
    def minima(self) -> tuple[Minimum, ...]:
        """Known minima, global ones first."""

    def locate_minima(self, progress: Callable[[float], None] | None = None) -> tuple[Minimum, ...]:
        """:attr:`minima`; a problem that searches for them reports ``progress`` (the fraction
        done, as :meth:`surface` does), which may raise to abandon the search."""
        return self.minima

    @property
    def global_min_value(self) -> float:
        """Lowest known loss (−∞ when no minimum is known, e.g. a typed plane)."""
        return min((m.value for m in self.minima), default=float("-inf"))

    @property
    def hessian_max_eig(self) -> float | None:
        """Largest Hessian eigenvalue where it is constant (quadratic losses).

        Plain gradient descent is stable only for ``lr < 2 / hessian_max_eig``.
        ``None`` where the curvature changes from point to point.
        """
        return None

    @cached_property
    def curvature_scale(self) -> float:
        """A typical second derivative across the map: loss range over map size squared.

        Gives "flat" an absolute meaning when classifying where descent stopped.
        """
        _, _, Z = self.surface(33)
        (x0, x1), (y0, y1) = self.domain
        spread = float(np.nanmax(Z) - np.nanmin(Z)) if np.isfinite(Z).any() else 1.0
        return max(spread, 1e-12) / ((x1 - x0) * (y1 - y0))

    def grid(self, n: int) -> tuple[np.ndarray, np.ndarray]:
        """``n`` evenly spaced values of each parameter across the domain."""
        (x0, x1), (y0, y1) = self.domain
        return np.linspace(x0, x1, n), np.linspace(y0, y1, n)

    def surface(
        self, n: int, progress: Callable[[float], None] | None = None
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Loss on an ``n`` x ``n`` grid: ``xs``, ``ys`` and ``Z[i, j] = L(xs[i], ys[j])``.

        ``progress``, if given, is called with the fraction done after each
        block of rows; it may raise to abandon the work.
        """
        xs, ys = self.grid(n)
        Z = np.empty((n, n))
        cost = n * (self.n_samples or 1)
        rows = max(1, min(n, 4_000_000 // cost)) if progress else n
        with np.errstate(all="ignore"):
            for i in range(0, n, rows):
                X, Y = np.meshgrid(xs[i : i + rows], ys, indexing="ij")
                Z[i : i + rows] = self.loss(np.column_stack([X.ravel(), Y.ravel()])).reshape(-1, n)
                if progress:
                    progress(min(1.0, (i + rows) / n))
        return xs, ys, Z
