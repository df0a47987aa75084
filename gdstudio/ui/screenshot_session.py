"""``--screenshot`` and ``--animation``: load, run N steps, let every view draw, save the
window (or a GIF replaying the run), exit. Any error on the way (a refused set-up, an engine
that fails or dies) ends it with one line and exit code 2, rather than a wait for ever."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QGuiApplication

from ..core import ConfigError
from .screenshot import save_window_png

#: Time given to the views to draw the last frame before the picture is taken.
SETTLE_MS = 400


class ScreenshotSession(QObject):
    """Drives a window through one scripted run and saves it; emits the exit code."""

    finished = Signal(int)

    def __init__(self, window, steps: int, path: Path, runs: int = 1, animation: bool = False) -> None:
        super().__init__(window)
        self.window, self.steps, self.path, self.runs = window, steps, path, runs
        self.animation = animation
        c = window.controller
        c.loaded.connect(self._on_loaded)
        c.error_raised.connect(self._on_error)
        c.engine_died.connect(lambda reason: self._done(2, f"the engine stopped unexpectedly ({reason})"))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save)
        self._started = False
        self._finished = False

    def _on_loaded(self) -> None:
        c = self.window.controller
        if self._started or c.frame is None or len(c.frame.runs) != self.runs:
            return  # a scene loads its runs after the window's first load
        self._started = True
        if self.steps > 0:
            c.set_speed(None)  # the picture is the same at any speed: a scene's slow pace only costs time
            c.set_max_steps(self.steps)
            c.run_finished.connect(lambda _reason: self._timer.start(SETTLE_MS))
            c.play()
        else:
            self._timer.start(SETTLE_MS)

    def _on_error(self, message: str) -> None:
        self._done(2, message)

    def _save(self) -> None:
        if self.animation:
            recorder = self.window.export_animation(self.path)
            recorder.finished.connect(lambda _path: self._done(0))
            recorder.failed.connect(lambda message: self._done(2, message))
            return
        try:
            save_window_png(self.window, self.path)
        except (OSError, ConfigError) as exc:
            self._done(2, str(exc))
            return
        self._done(0)

    def _done(self, code: int, message: str = "") -> None:
        if self._finished:
            return  # the first ending is the one that counts
        self._finished = True
        if message:
            print(f"gdstudio: error: {message}", file=sys.stderr)
        # The exit code is the session's to give: closing the last window would post a quit with 0.
        app = QGuiApplication.instance()
        quits = app.quitOnLastWindowClosed()
        app.setQuitOnLastWindowClosed(False)
        self.window.close()
        app.setQuitOnLastWindowClosed(quits)
        self.finished.emit(code)
