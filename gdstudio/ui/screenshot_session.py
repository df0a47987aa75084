"""``--screenshot``: load, run N steps, let every view draw, save the window, exit."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QTimer, Signal

from .screenshot import save_window_png

#: Time given to the views to draw the last frame before the picture is taken.
SETTLE_MS = 400


class ScreenshotSession(QObject):
    """Drives a window through one scripted run and saves it; emits the exit code."""

    finished = Signal(int)

    def __init__(self, window, steps: int, path: Path, runs: int = 1) -> None:
        super().__init__(window)
        self.window, self.steps, self.path, self.runs = window, steps, path, runs
        c = window.controller
        c.loaded.connect(self._on_loaded)
        c.error_raised.connect(self._on_error)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._save)
        self._started = False

    def _on_loaded(self) -> None:
        c = self.window.controller
        if self._started or c.frame is None or len(c.frame.runs) != self.runs:
            return  # a scene loads its runs after the window's first load
        self._started = True
        c = self.window.controller
        if self.steps > 0:
            c.set_max_steps(self.steps)
            c.run_finished.connect(lambda _reason: self._timer.start(SETTLE_MS))
            c.play()
        else:
            self._timer.start(SETTLE_MS)

    def _on_error(self, message: str) -> None:
        if not self._started:
            print(f"gdstudio: error: {message}")
            self.finished.emit(2)

    def _save(self) -> None:
        try:
            save_window_png(self.window, self.path)
        except OSError as exc:
            print(f"gdstudio: error: cannot write {self.path}: {exc}")
            self.finished.emit(2)
            return
        self.window.close()
        self.finished.emit(0)
