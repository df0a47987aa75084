"""The engine's thread: advances the simulations in timed chunks, never touching widgets."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ..core import ConfigError, RunStatus, Simulation, Trace
from ..core.optimizers import Optimizer
from ..core.run_setup import RunSetup
from .frame import Landscape

#: Grid points per side of the drawn surface.
SURFACE_RESOLUTION = 128
#: At full speed, aim for chunks of about this much engine time.
_CHUNK_SECONDS = 0.008
#: Rows wait at least this long before the GUI is told (at most ~60 frames/s).
_FRAME_SECONDS = 1 / 60


class _AbandonedError(Exception):
    """Raised inside a long computation when the worker is shutting down."""


@dataclass
class Snapshot:
    """The state of every run after the latest chunk, for the readouts."""

    step: int
    epoch: float
    samples: int
    params: list[np.ndarray]
    loss: list[float]
    grad: list[np.ndarray]
    status: list[RunStatus]
    detail: list[str]
    finished_at: list[int]


class SimulationWorker(QObject):
    """Lives in its own ``QThread``; every slot runs there.

    Steps are taken from a ``QTimer`` in the worker's thread, one chunk per
    tick, so commands (queued signals) are handled between chunks. New rows
    wait in a locked buffer that the GUI empties with :meth:`take`; the worker
    announces them at most once per frame period, and only when the previous
    announcement has been taken, so no backlog of signals can build up.
    """

    #: A load succeeded: the setups, the landscape, and the first snapshot.
    loaded = Signal(object, object, object)
    #: A load was refused: the message for the user.
    load_failed = Signal(str)
    #: New rows wait in the buffer.
    rows_ready = Signal()
    #: Steps stopped by themselves (every run finished, or max steps): why.
    halted = Signal(str)
    #: Percent of the landscape computed so far during a load.
    progressed = Signal(int)

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._abandon = threading.Event()
        self._timer: QTimer | None = None
        self._sims: list[Simulation] = []
        self._setups: list[RunSetup] = []
        self._landscape: Landscape | None = None
        self._traces: list[list[Trace]] = []
        self._snapshot: Snapshot | None = None
        self._announced = False
        self._last_announce = 0.0
        self._speed: float | None = None
        self._max_steps = 100_000
        self._owed = 0.0
        self._chunk = 16

    # --- commands (run in the worker's thread) ------------------------------------------

    @Slot()
    def start_in_thread(self) -> None:
        """Create the step timer in this thread (connected to ``QThread.started``)."""
        self._timer = QTimer(self)
        self._timer.timeout.connect(self._tick)

    @Slot(object)
    def load(self, setups: list[RunSetup]) -> None:
        """Build the problem and the simulations; compute the landscape if it changed."""
        self._stop_timer()
        try:
            main = setups[0]
            same_problem = (
                self._landscape is not None and self._setups and _problem_key(self._setups[0]) == _problem_key(main)
            )
            problem = self._landscape.problem if same_problem else main.make_problem()
            sims = [s.make_simulation(problem) for s in setups]
        except ConfigError as exc:
            self.load_failed.emit(str(exc))
            return
        try:
            landscape = self._landscape if same_problem else self._compute_landscape(problem)
        except _AbandonedError:
            return
        self._sims, self._setups, self._landscape = sims, list(setups), landscape
        with self._lock:
            self._traces = [[] for _ in sims]
            self._snapshot = self._snap()
            self._announced = False
        self.loaded.emit(list(setups), landscape, self._snapshot)

    @Slot(int, object)
    def set_optimizer(self, run: int, optimizer: Optimizer) -> None:
        """New hyperparameters for one run, applied before its next chunk."""
        if run < len(self._sims):
            self._sims[run].optimizer = optimizer

    @Slot(object)
    def set_speed(self, speed: float | None) -> None:
        """Steps per second (``None``: as fast as possible)."""
        self._speed = speed
        self._owed = 0.0
        if self._timer is not None and self._timer.isActive():
            self._timer.start(self._interval_ms())

    @Slot(int)
    def set_max_steps(self, n: int) -> None:
        self._max_steps = n

    @Slot()
    def play(self) -> None:
        if self._sims and not self._done():
            self._owed = 0.0
            self._timer.start(self._interval_ms())
        else:
            self.halted.emit(self._halt_reason())

    @Slot()
    def pause(self) -> None:
        self._stop_timer()
        self._announce(force=True)

    @Slot()
    def step_once(self) -> None:
        """One step of every run (a paused lecture, walked through by hand)."""
        if self._sims and not self._done():
            self._advance(1)
            self._announce(force=True)
            if self._done():
                self.halted.emit(self._halt_reason())

    @Slot()
    def shutdown(self) -> None:
        """Stop the timer; called (blocking) just before the thread quits."""
        self._stop_timer()

    def abandon(self) -> None:
        """Ask a long computation to give up (safe from any thread)."""
        self._abandon.set()

    # --- the GUI's side --------------------------------------------------------------

    def take(self) -> tuple[list[list[Trace]], Snapshot | None]:
        """Hand over the rows gathered since the last call (called from the GUI thread)."""
        with self._lock:
            traces, self._traces = self._traces, [[] for _ in self._traces]
            self._announced = False
            return traces, self._snapshot

    # --- stepping --------------------------------------------------------------------

    def _interval_ms(self) -> int:
        if self._speed is None:
            return 0
        return int(max(16, min(1000, 1000 / self._speed)))

    def _tick(self) -> None:
        if self._done():
            self._stop_timer()
            self._announce(force=True)
            self.halted.emit(self._halt_reason())
            return
        if self._speed is None:
            n = self._chunk
        else:
            self._owed += self._speed * max(self._timer.interval(), 1) / 1000
            n = int(self._owed)
            self._owed -= n
            if n == 0:
                return
        n = min(n, self._max_steps - self._sims[0].step)
        t0 = time.perf_counter()
        self._advance(n)
        if self._speed is None:
            # Size the next chunk so a tick takes about _CHUNK_SECONDS.
            per_step = (time.perf_counter() - t0) / n
            self._chunk = int(np.clip(_CHUNK_SECONDS / max(per_step, 1e-7), 1, 20_000))
        self._announce(force=self._done())

    def _advance(self, n: int) -> None:
        traces = [sim.advance(n) for sim in self._sims]
        snapshot = self._snap()
        with self._lock:
            for buffer, trace in zip(self._traces, traces):
                buffer.append(trace)
            self._snapshot = snapshot

    def _snap(self) -> Snapshot:
        sims = self._sims
        lead = sims[0]
        return Snapshot(
            step=lead.step,
            epoch=lead.epoch,
            samples=lead.samples,
            params=[s.params[0].copy() for s in sims],
            loss=[float(s.loss[0]) for s in sims],
            grad=[s.gradient()[0] for s in sims],
            status=[RunStatus(int(s.status[0])) for s in sims],
            detail=[s.detail[0] for s in sims],
            finished_at=[int(s.finished_at[0]) for s in sims],
        )

    def _announce(self, force: bool = False) -> None:
        now = time.perf_counter()
        with self._lock:
            if self._announced or not (force or now - self._last_announce >= _FRAME_SECONDS):
                return
            self._announced = True
            self._last_announce = now
        self.rows_ready.emit()

    def _done(self) -> bool:
        return all(s.finished for s in self._sims) or self._sims[0].step >= self._max_steps

    def _halt_reason(self) -> str:
        if not self._sims:
            return "nothing loaded"
        if all(s.finished for s in self._sims):
            return "every run has stopped"
        return f"reached the maximum of {self._max_steps:,} steps"

    def _stop_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()

    def _compute_landscape(self, problem) -> Landscape:
        self._abandon.clear()

        def progress(fraction: float) -> None:
            if self._abandon.is_set():
                raise _AbandonedError
            self.progressed.emit(int(100 * fraction))

        xs, ys, Z = problem.surface(SURFACE_RESOLUTION, progress)
        minima = problem.minima
        data_x = data_y = None
        if problem.is_dataset:
            data = problem.data
            pick = np.random.default_rng(0).permutation(len(data))[:3000]
            data_x, data_y = data.x[pick], data.y[pick]
        return Landscape(problem, xs, ys, Z, minima, data_x, data_y)


def _problem_key(setup: RunSetup) -> tuple:
    """The fields that decide the landscape; when equal, the problem can be reused."""
    return (setup.problem, setup.samples, setup.noise, setup.data, setup.seed)
