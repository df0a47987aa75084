"""*File → Export lesson handout…*: one PDF page per scene, for students to take home.

Each scene is played in the window, as fast as the engine goes, to its last step;
the views are then pictured (3D included) and put on a page under the scene's
title, with its caption below. Qt's own :class:`QPdfWriter` writes the file,
whole or not at all, once every scene has been pictured. The window's set-up is
put back afterwards.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QMarginsF, QObject, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter

from ..core.atomic_file import atomic_write_bytes
from ..core.errors import ConfigError
from ..core.lesson import Scene
from .screenshot import in_memory, picture

#: Time given to the views to draw a scene's last frame before it is pictured.
SETTLE_MS = 400


class HandoutRecorder(QObject):
    """Plays ``scenes`` one after the other in ``window`` and writes their pages to ``path``."""

    #: A scene was pictured: (scenes done, scenes in all).
    progressed = Signal(int, int)
    #: The PDF is written; its path.
    finished = Signal(object)
    #: Nothing was written; why.
    failed = Signal(str)

    def __init__(self, window, scenes: list[Scene], path: Path, title: str = "GD Studio lesson") -> None:
        super().__init__(window)
        self.window, self.scenes, self.path, self.title = window, list(scenes), Path(path), title
        self.pages: list[QImage] = []
        self._index = -1
        self._waiting = False
        c = window.controller
        self._before = (c.setups, [r.label for r in c.frame.runs] if c.frame else None, c.state.max_steps)
        #: The colours the user gave the runs, and whether they wear the ordered ramp: back after the pages.
        self._colors = (window.race_panel.chosen_colors(), window.race_panel.ordered)
        self._speed = c.state.speed
        self._views = [name for name, widget in window.view_widgets().items() if widget.isVisibleTo(window)]
        self._settle = QTimer(self)
        self._settle.setSingleShot(True)
        self._settle.timeout.connect(self._picture)
        c.loaded.connect(self._on_loaded)
        c.run_finished.connect(self._on_finished)
        c.error_raised.connect(self._on_error)

    @property
    def scene_count(self) -> int:
        return len(self.scenes)

    def start(self) -> None:
        if not self.scenes:
            self.failed.emit("the lesson has no scenes")
            return
        self._next()

    def cancel(self) -> None:
        self._end()

    def _next(self) -> None:
        self._index += 1
        if self._index == len(self.scenes):
            self._write()
            return
        scene = self.scenes[self._index]
        self._waiting = True
        self.window.lesson.show_scene(scene)

    def _on_loaded(self) -> None:
        c = self.window.controller
        if not self._waiting or c.frame is None or len(c.frame.runs) != len(self.scenes[self._index].runs):
            return
        self._waiting = False
        # A handout needs the ends, not the journey: as fast as the engine goes, whatever
        # speed the scene itself asked for.
        c.set_speed(None)
        c.play()

    def _on_finished(self, _reason: str) -> None:
        if 0 <= self._index < len(self.scenes) and not self._waiting:
            self.window.banner.hide()  # how the run ended is the caption's to say, not a banner's
            self._settle.start(SETTLE_MS)

    def _on_error(self, message: str) -> None:
        if 0 <= self._index < len(self.scenes):
            self._end()
            self.failed.emit(f"scene {self.scenes[self._index].title!r}: {message}")

    def _picture(self) -> None:
        area = getattr(self.window, "view_area", None) or self.window.centralWidget()
        self.pages.append(picture(area, getattr(self.window, "surface_view", None)))
        self.progressed.emit(len(self.pages), len(self.scenes))
        self._next()

    def _write(self) -> None:
        self._end()
        try:
            write_handout_pdf(self.path, self.title, self.scenes, self.pages)
        except (ConfigError, OSError) as exc:
            self.failed.emit(f"Could not write the handout: {exc}")
            return
        self.finished.emit(self.path)

    def _end(self) -> None:
        """Stop listening and put the window's set-up back as it was."""
        self._settle.stop()
        c = self.window.controller
        for signal, slot in ((c.loaded, self._on_loaded), (c.run_finished, self._on_finished)):
            signal.disconnect(slot)
        c.error_raised.disconnect(self._on_error)
        self._index = len(self.scenes)
        setups, labels, max_steps = self._before
        c.pause()
        c.set_speed(self._speed)
        c.set_max_steps(max_steps)
        self.window.set_views(self._views)
        c.set_runs(setups, labels)
        self.window.race_panel.follow(labels or [None] * len(setups), *self._colors)


def write_handout_pdf(path: Path, title: str, scenes: list[Scene], pages: list[QImage]) -> None:
    """One A4 page per scene: a header, the scene's title, its picture, its caption."""

    def write(device) -> bool:
        writer = QPdfWriter(device)
        writer.setTitle(title)
        writer.setCreator("GD Studio")
        writer.setResolution(150)
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4),
                QPageLayout.Orientation.Portrait,
                QMarginsF(18, 18, 18, 18),
                QPageLayout.Unit.Millimeter,
            )
        )
        painter = QPainter(writer)
        if not painter.isActive():
            return False
        width, height = writer.width(), writer.height()
        for i, (scene, image) in enumerate(zip(scenes, pages)):
            if i:
                writer.newPage()
            y = _text(painter, QRectF(0, 0, width, height), f"{title}  ·  {i + 1} of {len(scenes)}", 9, False)
            y += _text(painter, QRectF(0, y + 20, width, height), scene.title, 18, True) + 40
            scaled = image.size().scaled(int(width), int(height * 0.6), Qt.AspectRatioMode.KeepAspectRatio)
            box = QRectF((width - scaled.width()) / 2, y, scaled.width(), scaled.height())
            painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
            painter.drawImage(box, image)
            y += scaled.height() + 40
            _text(painter, QRectF(0, y, width, height - y), scene.caption, 12, False)
        return painter.end()

    atomic_write_bytes(path, in_memory(write))


def _text(painter: QPainter, box: QRectF, text: str, points: int, bold: bool) -> float:
    """Draw wrapped ``text`` at the top of ``box``; return the height it took."""
    font = QFont("Sans Serif", points)
    font.setBold(bold)
    painter.setFont(font)
    flags = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop | Qt.TextFlag.TextWordWrap)
    used = painter.boundingRect(box, flags, text)
    painter.drawText(box, flags, text)
    return used.height()
