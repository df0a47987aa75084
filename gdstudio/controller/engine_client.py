"""The GUI's handle on the engine process: commands out, messages in as a Qt signal."""

from __future__ import annotations

import contextlib
import multiprocessing
import signal

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ..core.engine_loop import serve

#: How long closing waits for the engine to finish its chunk before ending it.
_JOIN_SECONDS = 3.0
#: How long a dead engine is given to be reaped, for its exit code.
_REAP_SECONDS = 0.5


class _Reader(QThread):
    """Blocks on the results pipe (without the GIL) and hands each message to the GUI thread.

    When the pipe closes, :attr:`ended` says so: the engine has gone, asked to or not.
    """

    received = Signal(object)
    ended = Signal()

    def __init__(self, connection) -> None:
        super().__init__()
        self.setObjectName("gdstudio-engine-reader")
        self._connection = connection

    def run(self) -> None:
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                break
            except Exception as exc:  # a message that cannot be unpickled: say so, read on
                message = ("failed", f"an unreadable message from the engine ({type(exc).__name__}: {exc})")
            self.received.emit(message)
        self.ended.emit()


def engine_context():
    """Where engines come from: a fork server where the system has one, else a fresh interpreter.

    The fork server is a clean Python started once (no Qt, no GUI threads) that has already
    imported the engine: each engine forks from it in milliseconds, where spawning one imports
    NumPy afresh (about half a second), so a dead engine is replaced at once. Windows has only spawn.
    """
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload([serve.__module__])
    return ctx


class EngineClient(QObject):
    """Starts the engine in its own process and talks to it.

    Never forked from this process, so the child starts clean of Qt and of the
    GUI's threads; it imports only the core. The engine ends itself when this
    process goes (see :func:`gdstudio.core.engine_loop.serve`).
    """

    #: A message from the engine (see :mod:`gdstudio.core.engine_loop`).
    received = Signal(object)
    #: The engine ended without being asked to: why, as far as is known (e.g. "killed by SIGKILL").
    died = Signal(str)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        ctx = engine_context()
        commands_in, self._commands = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=serve, args=(commands_in, results_out), name="gdstudio-engine", daemon=True)
        self._process.start()
        commands_in.close()
        results_out.close()
        self._closed = False
        self._reader = _Reader(self._results)
        self._reader.received.connect(self.received, Qt.ConnectionType.QueuedConnection)
        # Queued after every message read before it: those are handled first.
        self._reader.ended.connect(self._on_ended, Qt.ConnectionType.QueuedConnection)
        self._reader.start()

    def send(self, *message) -> None:
        """Send a command; ignored once the engine has gone."""
        if self._closed:
            return
        with contextlib.suppress(BrokenPipeError, OSError):
            self._commands.send(message)

    @property
    def is_running(self) -> bool:
        return self._process.is_alive() or self._reader.isRunning()

    def close(self) -> None:
        """Stop the engine process and the reader thread, waiting for both; safe to call twice."""
        if self._closed:
            return
        self.send("stop")
        self._closed = True
        self._process.join(_JOIN_SECONDS)
        if self._process.is_alive():  # stuck in a long computation: end it
            self._process.terminate()
            self._process.join(_JOIN_SECONDS)
        self._commands.close()
        self._reader.wait(int(_JOIN_SECONDS * 1000))
        self._results.close()

    @Slot()
    def _on_ended(self) -> None:
        if self._closed:
            return  # asked to stop
        self._process.join(_REAP_SECONDS)
        reason = exit_reason(self._process.exitcode)
        self.close()
        self.died.emit(reason)


def exit_reason(code: int | None) -> str:
    """How a process ended, in words: ``killed by SIGKILL``, ``exit code 3``."""
    if code is None:
        return "it closed its pipe"
    if code < 0:
        with contextlib.suppress(ValueError):
            return f"killed by {signal.Signals(-code).name}"
        return f"killed by signal {-code}"
    return f"exit code {code}"
