"""The GUI's handle on the engine process: commands out, messages in as a Qt signal."""

from __future__ import annotations

import contextlib
import multiprocessing

from PySide6.QtCore import QObject, Qt, QThread, Signal

from ..core.engine_loop import serve

#: How long closing waits for the engine to finish its chunk before ending it.
_JOIN_SECONDS = 3.0


class _Reader(QThread):
    """Blocks on the results pipe (without the GIL) and hands each message to the GUI thread."""

    received = Signal(object)

    def __init__(self, connection) -> None:
        super().__init__()
        self.setObjectName("gdstudio-engine-reader")
        self._connection = connection

    def run(self) -> None:
        while True:
            try:
                message = self._connection.recv()
            except (EOFError, OSError):
                return
            self.received.emit(message)


class EngineClient(QObject):
    """Starts the engine in its own process and talks to it.

    Spawned (not forked), so the child starts clean of Qt and of the GUI's
    threads; it imports only the core.
    """

    #: A message from the engine (see :mod:`gdstudio.core.engine_loop`).
    received = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        ctx = multiprocessing.get_context("spawn")
        commands_in, self._commands = ctx.Pipe(duplex=False)
        self._results, results_out = ctx.Pipe(duplex=False)
        self._process = ctx.Process(target=serve, args=(commands_in, results_out), name="gdstudio-engine", daemon=True)
        self._process.start()
        commands_in.close()
        results_out.close()
        self._reader = _Reader(self._results)
        self._reader.received.connect(self.received, Qt.ConnectionType.QueuedConnection)
        self._reader.start()
        self._closed = False

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
        """Stop the engine process and the reader thread, waiting for both."""
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
