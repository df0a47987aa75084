"""Basins of attraction: where descent ends from every start on a grid over the map.

"Where you start decides where you end" is the lecture's warning about
landscapes with several minima. A basin map shows it whole: a grid of starts
(at least 128 x 128 in the window) run at once as one simulation, each
coloured by the minimum it reaches.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TextIO

import numpy as np

from .errors import ConfigError
from .problems import Minimum, Problem
from .run_outcomes import CancelCheck, Progress, RunOutcomes, run_to_end
from .run_setup import RunSetup
from .run_status import RunStatus
from .simulation import Simulation

#: Starts per side of the window's basin map.
DEFAULT_GRID = 128
#: Most starts per side (a million runs in all: their block buffers stay near 250 MB).
MAX_GRID = 1024
#: A run reached a minimum if it ends within this fraction of the map's diagonal of it ...
REACH = 0.01
#: ... and within this fraction of the distance between the two closest minima.
REACH_OF_SEPARATION = 0.25
#: :attr:`BasinMap.minimum` of a run that reached no known minimum.
NO_MINIMUM = -1


def grid_starts(problem: Problem, n: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """An ``n`` x ``n`` grid of starts over the map: ``xs``, ``ys`` and the starts, ``(n², 2)``.

    Start ``i * n + j`` is ``(xs[i], ys[j])``, the order of :meth:`Problem.surface`'s ``Z[i, j]``.
    """
    if not 2 <= n <= MAX_GRID:
        raise ConfigError(f"basin grid must have 2 to {MAX_GRID} starts a side, got {n}")
    xs, ys = problem.grid(n)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    return xs, ys, np.column_stack((X.ravel(), Y.ravel()))


def reach_radius(problem: Problem) -> float:
    """How near a known minimum a run must end to count as having reached it."""
    (x0, x1), (y0, y1) = problem.domain
    radius = REACH * float(np.hypot(x1 - x0, y1 - y0))
    at = np.array([m.location for m in problem.minima])
    if len(at) > 1:
        gaps = np.hypot(*(at[:, None, :] - at[None, :, :]).transpose(2, 0, 1))
        radius = min(radius, REACH_OF_SEPARATION * float(gaps[np.triu_indices(len(at), 1)].min()))
    return radius


def nearest_minimum(problem: Problem, points: np.ndarray, status: np.ndarray) -> np.ndarray:
    """Index into ``problem.minima`` of the minimum each point lies at (within
    :func:`reach_radius`), or :data:`NO_MINIMUM`; a diverged run reached none."""
    found = np.full(len(points), NO_MINIMUM)
    if not problem.minima:
        return found
    at = np.array([m.location for m in problem.minima])
    # Distances to each minimum in turn: (K, M) for a million starts is too big to hold.
    best = np.full(len(points), np.inf)
    for i, (x, y) in enumerate(at):
        d = np.hypot(points[:, 0] - x, points[:, 1] - y)
        closer = d < best
        best[closer], found[closer] = d[closer], i
    found[(best > reach_radius(problem)) | (status == RunStatus.DIVERGED)] = NO_MINIMUM
    return found


@dataclass(frozen=True, eq=False)
class BasinMap:
    """Where descent from each start of a grid ended."""

    #: Grid values of each parameter; start ``i * n + j`` is ``(xs[i], ys[j])``.
    xs: np.ndarray
    ys: np.ndarray
    outcomes: RunOutcomes
    #: Index into :attr:`minima` of the minimum each start reached, or :data:`NO_MINIMUM`
    #: (diverged, stuck elsewhere, or not near one when the steps ran out), ``(n², )``.
    minimum: np.ndarray
    minima: tuple[Minimum, ...]
    #: Steps each run was given.
    budget: int
    param_names: tuple[str, str]

    @property
    def starts(self) -> np.ndarray:
        """The starts, ``(n², 2)``, in grid order."""
        X, Y = np.meshgrid(self.xs, self.ys, indexing="ij")
        return np.column_stack((X.ravel(), Y.ravel()))

    def image(self, values: np.ndarray | None = None) -> np.ndarray:
        """Per-start ``values`` (default :attr:`minimum`; or the final loss, the status...) as
        an ``(n, n)`` grid, ``[i, j]`` for ``(xs[i], ys[j])``, the surface's layout."""
        values = self.minimum if values is None else np.asarray(values)
        return values.reshape(len(self.xs), len(self.ys))

    def basin_sizes(self) -> dict[int, int]:
        """Starts that reached each minimum (by index), for the minima reached at all."""
        reached, counts = np.unique(self.minimum[self.minimum != NO_MINIMUM], return_counts=True)
        return dict(zip(reached.tolist(), counts.tolist()))

    def csv_header(self) -> list[str]:
        """The start and end point in the problem's parameter names, then minimum, status,
        steps and the final loss."""
        a, b = self.param_names
        return [a, b, f"end_{a}", f"end_{b}", "minimum", "status", "steps", "loss"]

    def write_csv(self, fh: TextIO) -> None:
        """One row per start in grid order; ``minimum`` is empty where none was reached. Each
        number in the fewest digits that read back as exactly that float."""
        o = self.outcomes
        fh.write(",".join(self.csv_header()) + "\n")
        columns = (self.starts, o.end, self.minimum, o.steps, o.loss)
        for (a, b), (x, y), m, steps, loss, label in zip(*(c.tolist() for c in columns), o.labels()):
            fh.write(f"{a!r},{b!r},{x!r},{y!r},{'' if m == NO_MINIMUM else m},{label},{steps},{loss!r}\n")


def _with_undefined_starts(outcomes: RunOutcomes, defined: np.ndarray, starts: np.ndarray) -> RunOutcomes:
    """``outcomes`` of the runs from the ``defined`` starts, with the others put back as
    diverged where they began."""
    end, loss = starts.copy(), np.full(len(starts), np.nan)
    status = np.full(len(starts), RunStatus.DIVERGED, dtype=outcomes.status.dtype)
    steps = np.zeros(len(starts), dtype=outcomes.steps.dtype)
    detail = np.full(len(starts), "the loss is not defined at this start", dtype=object)
    for whole, part in ((end, outcomes.end), (loss, outcomes.loss), (status, outcomes.status), (steps, outcomes.steps)):
        whole[defined] = part
    detail[defined] = outcomes.detail
    return RunOutcomes(end, loss, status, steps, tuple(detail))


def basin_simulation(setup: RunSetup, starts: np.ndarray, problem: Problem | None = None) -> Simulation:
    """One simulation of ``setup`` with a run from each of ``starts``, ``(K, 2)``.

    ``setup.start`` is ignored: the starts are given. Every run has the
    set-up's optimiser, rate and batches (one schedule, one seed), so each is
    the run of ``setup`` from its start.
    """
    problem = problem or setup.make_problem()
    one = replace(setup, start=tuple(starts[0])).make_simulation(problem)  # checks the set-up
    return Simulation(problem, one.optimizer, starts, batch_size=setup.batch_size, seed=setup.seed, tol=setup.tol)


def run_basins(
    setup: RunSetup,
    n: int,
    steps: int,
    *,
    problem: Problem | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> BasinMap:
    """Run ``setup`` from every start of an ``n`` x ``n`` grid for up to ``steps`` steps, at once.

    A start where the loss is not defined (a typed ``log(x)`` left of the axis)
    cannot be run: it counts as diverged after 0 steps.

    Raises
    ------
    ConfigError
        For a set-up that cannot run, a grid size out of range, or a loss defined
        nowhere on the grid.
    CancelledError
        When ``cancelled()`` returns True between chunks of steps.
    """
    problem = problem or setup.make_problem()
    xs, ys, starts = grid_starts(problem, n)
    with np.errstate(all="ignore"):
        defined = np.isfinite(problem.loss(starts))
    if not defined.any():
        raise ConfigError(f"the loss of {problem.name} is not finite at any start of the grid")
    sim = basin_simulation(setup, starts[defined], problem)
    outcomes = run_to_end(sim, steps, progress, cancelled)
    if not defined.all():
        outcomes = _with_undefined_starts(outcomes, defined, starts)
    return BasinMap(
        xs=xs,
        ys=ys,
        outcomes=outcomes,
        minimum=nearest_minimum(problem, outcomes.end, outcomes.status),
        minima=problem.minima,
        budget=steps,
        param_names=problem.param_names,
    )
