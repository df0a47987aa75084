"""Where the gradient vanishes: numerical Hessians, minima search, and what a flat spot is."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from .base import Domain, Minimum, Problem

MINIMUM, SADDLE, PLATEAU = "local minimum", "saddle point", "plateau"


def _steps(domain: Domain) -> np.ndarray:
    (x0, x1), (y0, y1) = domain
    return 1e-5 * np.array([x1 - x0, y1 - y0])


def hessian(problem: Problem, P: np.ndarray) -> np.ndarray:
    """Hessians ``(K, 2, 2)`` by central differences of the analytic gradient."""
    h = _steps(problem.domain)
    cols = []
    for i in range(2):
        e = np.zeros(2)
        e[i] = h[i]
        cols.append((problem.grad(P + e) - problem.grad(P - e)) / (2 * h[i]))
    H = np.stack(cols, axis=2)
    return 0.5 * (H + H.transpose(0, 2, 1))


def classify(problem: Problem, P: np.ndarray) -> list[str]:
    """Say, for each point where descent stopped, what kind of flat spot it is."""
    eig = np.linalg.eigvalsh(hessian(problem, P))
    flat = 1e-4 * problem.curvature_scale
    kinds = []
    for lo, hi in eig:
        if lo < -flat and hi > flat:
            kinds.append(SADDLE)
        elif lo > flat:
            kinds.append(MINIMUM)
        else:
            kinds.append(PLATEAU)
    return kinds


def find_minima(
    problem: Problem, n: int = 41, iterations: int = 40, progress: Callable[[float], None] | None = None
) -> tuple[Minimum, ...]:
    """Local minima inside the domain: grid search refined by Newton's method.

    Used for dataset problems, whose minima depend on the data. Minima whose
    loss is within a relative 1e-9 of the lowest are marked global.

    ``progress``, if given, is called with the fraction done (the grid counts for a
    third, the Newton steps for the rest, each as if all ``iterations`` were taken);
    it may raise to abandon the search. On ten million samples each Newton step
    takes seconds.
    """
    from .base import Minimum

    def grid_progress(fraction: float) -> None:
        progress(fraction / 3)

    xs, ys, Z = problem.surface(n, grid_progress if progress else None)
    inner = Z[1:-1, 1:-1]
    lower = np.ones_like(inner, dtype=bool)
    for di in (-1, 0, 1):
        for dj in (-1, 0, 1):
            if di or dj:
                lower &= inner <= Z[1 + di : n - 1 + di, 1 + dj : n - 1 + dj]
    i, j = np.nonzero(lower)
    P = np.column_stack([xs[i + 1], ys[j + 1]])
    (x0, x1), (y0, y1) = problem.domain
    span = np.array([x1 - x0, y1 - y0])
    with np.errstate(all="ignore"):
        # Newton steps; a point stops once its step is negligible (or it cannot take one).
        moving = np.ones(len(P), dtype=bool)
        for done in range(iterations):
            if not moving.any():
                break
            if progress:
                progress(1 / 3 + 2 / 3 * done / iterations)
            Q = P[moving]
            H = hessian(problem, Q)
            g = problem.grad(Q)
            ok = np.linalg.det(H) > 0
            step = np.zeros_like(Q)
            step[ok] = np.linalg.solve(H[ok], g[ok][:, :, None])[:, :, 0]
            P[moving] = Q - step
            moving[moving] = np.any(np.abs(step) > 1e-13 * span, axis=1)
        g = problem.grad(P)
        inside = (P[:, 0] >= x0) & (P[:, 0] <= x1) & (P[:, 1] >= y0) & (P[:, 1] <= y1)
        keep = inside & np.all(np.isfinite(P), axis=1) & (np.linalg.norm(g, axis=1) < 1e-6)
        P = P[keep]
        kinds = classify(problem, P) if len(P) else []
        P = P[[k == MINIMUM for k in kinds]] if len(P) else P
        values = problem.loss(P)
    if progress:
        progress(1.0)
    found: list[tuple[np.ndarray, float]] = []
    for p, v in sorted(zip(P, values), key=lambda pv: pv[1]):
        if all(np.any(np.abs(p - q) > 1e-4 * span) for q, _ in found):
            found.append((p, float(v)))
    if not found:
        return ()
    best = found[0][1]
    tol = 1e-9 * max(1.0, abs(best))
    return tuple(Minimum((float(p[0]), float(p[1])), v, v <= best + tol) for p, v in found)
