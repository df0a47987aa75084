"""How each of many runs in lockstep ended: the numbers a sweep or a basin map is made of."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .run_status import RunStatus
from .simulation import Simulation

#: ``progress(fraction_done)``, called between chunks of steps; it may raise to abandon the work.
Progress = Callable[[float], None]
#: ``cancelled()``: True when the caller (a GUI's Cancel button) wants the work stopped.
CancelCheck = Callable[[], bool]

#: Runs x steps per chunk between progress reports: about a tenth of a second of work.
_CHUNK_WORK = 2**22
#: Chunks are whole multiples of this many steps: the simulation's unrecorded blocks are
#: 256 steps, and a chunk that cut one short would cost a little more.
_CHUNK_ROUNDING = 256


class CancelledError(Exception):
    """The caller asked for the work to stop; there is no result."""


@dataclass(frozen=True, eq=False)
class RunOutcomes:
    """Where each of ``K`` runs stopped, how, and after how many steps."""

    #: Final weights, ``(K, 2)``: where a finished run stopped (a diverged run: its last
    #: finite point on or near the map), or where a running one was when the steps ran out.
    end: np.ndarray
    #: Full loss at ``end``, ``(K,)``.
    loss: np.ndarray
    #: :class:`RunStatus` of each run, ``(K,)`` small ints.
    status: np.ndarray
    #: Steps each run took: to converge, to get stuck or to diverge; all the steps given
    #: for a run still going. ``(K,)``.
    steps: np.ndarray
    #: Why each finished run finished, in words ("" while running).
    detail: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.status)

    def count(self, status: RunStatus) -> int:
        """How many runs ended with ``status``."""
        return int(np.count_nonzero(self.status == status))

    def labels(self) -> list[str]:
        """Each run's status as a word (``converged``, ``diverged``...)."""
        words = [s.label for s in RunStatus]
        return [words[s] for s in self.status.tolist()]


def run_to_end(
    sim: Simulation,
    steps: int,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> RunOutcomes:
    """Advance every run of ``sim`` by up to ``steps`` steps, keeping only where they end.

    The steps are taken in chunks; between chunks ``progress`` hears the
    fraction done and ``cancelled`` is asked whether to go on. Chunking does
    not change the result (see :class:`Simulation`).

    Raises
    ------
    CancelledError
        When ``cancelled()`` returns True; ``sim`` is left part-way.
    """
    chunk = max(1, _CHUNK_WORK // sim.n_runs)
    chunk = max(_CHUNK_ROUNDING, chunk // _CHUNK_ROUNDING * _CHUNK_ROUNDING)
    start = sim.step
    done = 0
    while done < steps and not sim.finished:
        if cancelled is not None and cancelled():
            raise CancelledError()
        n = min(chunk, steps - done)
        sim.advance(n, every_row=False)
        done += n
        if progress is not None:
            progress(done / steps)
    if progress is not None and (done < steps or steps == 0):
        progress(1.0)  # every run finished early, or there was nothing to do
    running = sim.status == RunStatus.RUNNING
    return RunOutcomes(
        end=np.array(sim.params),
        loss=np.array(sim.loss),
        status=sim.status.copy(),
        steps=np.where(running, sim.step, sim.finished_at) - start,
        detail=tuple(sim.detail),
    )
