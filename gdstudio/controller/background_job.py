"""A job of many runs (a sweep, a basin map, a gradient cloud) computed away from the GUI.

Each job runs in a process of its own, started like the engine (a fork of the
fork server, which has already imported the core), not in a thread of the
window's process: a NumPy job of 16,384 runs makes tens of thousands of short
calls, each taking the GIL back from the GUI thread, and the window was left
drawing a few frames a second when the engine ran in a thread (see
docs/ARCHITECTURE.md). A process costs a few milliseconds to start and the
landscape pickled once (1.6 MB for 100,000 samples).

The display pulls: a timer on the GUI thread reads the pipe 30 times a second,
so the job never waits on the window and the window never waits on the job.
Cancel ends the process at once (it holds nothing worth saving), so Cancel
answers however long a chunk of steps takes. A newer job replaces an older one.
"""

from __future__ import annotations

import contextlib

from PySide6.QtCore import QObject, QTimer, Signal

from ..core.explore_job import run_job
from .engine_client import engine_context, exit_reason

#: How often the GUI reads the job's pipe, in milliseconds.
POLL_MS = 33
#: How long a cancelled job's process is given to end.
_JOIN_SECONDS = 2.0
#: How long the GUI waits for a finished job's process to exit before leaving it to close().
_EXIT_WAIT_SECONDS = 0.05


class BackgroundJob(QObject):
    """One kind of job at a time: :meth:`start` replaces the job running, :meth:`cancel` ends it."""

    #: Fraction of the job done (0..1).
    progressed = Signal(float)
    #: The job's result (an ``LrSweep``, a ``BasinMap``, a ``GradientCloud``).
    finished = Signal(object)
    #: The job could not be done: a sentence for the user.
    failed = Signal(str)
    #: The job was cancelled (by :meth:`cancel` or replaced by a newer one).
    cancelled = Signal()

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._name = name
        self._process = None
        self._connection = None
        #: Finished jobs' processes still exiting; joined at :meth:`close`.
        self._exiting = []
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self._poll)

    @property
    def busy(self) -> bool:
        """A job is being computed."""
        return self._process is not None

    def start(self, work, chunked: bool = True) -> None:
        """Compute ``work`` (a picklable callable, see :func:`~gdstudio.core.explore_job.run_job`)
        in a fresh process; a job still running is cancelled first."""
        self.cancel()
        ctx = engine_context()
        self._connection, child_end = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=run_job, args=(work, child_end, chunked), name=self._name, daemon=True)
        self._process.start()
        child_end.close()
        self._timer.start()

    def cancel(self) -> None:
        """End the running job, if any; nothing it computed is kept. Safe to call at any time."""
        if self._process is None:
            return
        self._end(terminate=True)
        self.cancelled.emit()

    def close(self) -> None:
        """End any job and stop reading, without a signal: the window is closing."""
        if self._process is not None:
            self._end(terminate=True)
        for process in self._exiting:
            _reap(process, _JOIN_SECONDS)
        self._exiting.clear()

    def _end(self, terminate: bool) -> None:
        self._timer.stop()
        process, self._process = self._process, None
        if terminate:
            if process.is_alive():
                process.terminate()
            _reap(process, _JOIN_SECONDS)
        else:  # it has sent its last word and is exiting: the GUI does not wait for that
            process.join(_EXIT_WAIT_SECONDS)
            self._exiting = [p for p in (*self._exiting, process) if p.is_alive()]
        with contextlib.suppress(OSError):
            self._connection.close()
        self._connection = None

    def _poll(self) -> None:
        """Read what the job sent since the last tick: progress, then its result or failure."""
        connection = self._connection
        try:
            while connection is not None and connection.poll():
                kind, value = connection.recv()
                if kind == "progress":
                    self.progressed.emit(value)
                    continue
                self._end(terminate=False)
                (self.finished if kind == "done" else self.failed).emit(value)
                return
        except (EOFError, OSError):  # the process ended without a word: killed, or out of memory
            process = self._process
            if process is not None:
                process.join(_JOIN_SECONDS)
                reason = exit_reason(process.exitcode)
                self._end(terminate=False)
                self.failed.emit(f"the {self._name} stopped unexpectedly ({reason})")


def _reap(process, seconds: float) -> None:
    """Wait for ``process`` to end; kill one that ignored SIGTERM."""
    process.join(seconds)
    if process.is_alive():  # pragma: no cover - a process that ignored SIGTERM
        process.kill()
        process.join(seconds)
