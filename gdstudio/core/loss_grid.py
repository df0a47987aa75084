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
#: What :meth:`LossGrid.compute` reports it is doing.
LANDSCAPE_STAGE, MINIMA_STAGE = "computing the landscape", "finding the minima"


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
    def compute(cls, problem: Problem, progress: Callable[[str, float], None] | None = None) -> LossGrid:
        """Evaluate the surface and the minima of ``problem``.

        ``progress``, if given, is called with what is being done (:data:`LANDSCAPE_STAGE`,
        :data:`MINIMA_STAGE`) and the fraction of it done; it may raise to abandon the work.
        """

        def stage(name: str) -> Callable[[float], None] | None:
            return (lambda fraction: progress(name, fraction)) if progress else None

        xs, ys, Z = problem.surface(SURFACE_RESOLUTION, stage(LANDSCAPE_STAGE))
        minima = problem.locate_minima(stage(MINIMA_STAGE))
        data_x = data_y = None
        if problem.is_dataset:
            pick = np.random.default_rng(0).permutation(problem.n_samples)[:DATA_POINTS]
            data_x, data_y = problem.data.x[pick], problem.data.y[pick]
        return cls(problem, xs, ys, Z, minima, data_x, data_y)
