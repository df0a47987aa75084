"""A loaded problem with its loss on a grid: what the views draw behind the runs."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .problems import Minimum, Problem

#: Grid points per side of the drawn surface.
SURFACE_RESOLUTION = 128
#: At most this many data points are kept for drawing the data.
DATA_POINTS = 3000


@dataclass(frozen=True, eq=False)
class LossGrid:
    """A problem and its loss on a grid, computed once per load, away from the GUI."""

    problem: Problem
    xs: np.ndarray
    ys: np.ndarray
    #: ``Z[i, j]`` is the loss at ``(xs[i], ys[j])``.
    Z: np.ndarray
    minima: tuple[Minimum, ...]
    #: A sample of the data for drawing, or ``None`` for surfaces.
    data_x: np.ndarray | None = None
    data_y: np.ndarray | None = None

    @classmethod
    def compute(cls, problem: Problem, progress: Callable[[float], None] | None = None) -> LossGrid:
        """Evaluate the surface (reporting progress) and the minima of ``problem``."""
        xs, ys, Z = problem.surface(SURFACE_RESOLUTION, progress)
        data_x = data_y = None
        if problem.is_dataset:
            pick = np.random.default_rng(0).permutation(problem.n_samples)[:DATA_POINTS]
            data_x, data_y = problem.data.x[pick], problem.data.y[pick]
        return cls(problem, xs, ys, Z, problem.minima, data_x, data_y)
