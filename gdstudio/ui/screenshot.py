"""Pictures of the window (3D view included) and saving one without ever leaving half a file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from ..core.atomic_file import atomic_path


def picture(widget: QWidget, surface=None) -> QImage:
    """``widget`` as it is drawn now, with ``surface`` (the 3D view) painted in where it shows:
    a native OpenGL window is not part of a widget grab."""
    image = widget.grab().toImage()
    if surface is not None and surface.container.isVisible() and widget.isAncestorOf(surface.container):
        painter = QPainter(image)
        painter.drawImage(surface.container.mapTo(widget, QPoint(0, 0)), surface.render_image())
        painter.end()
    return image


def save_window_png(window: QWidget, path: Path) -> None:
    """Save ``window`` (with its 3D view) as a PNG at ``path``, atomically."""
    image = picture(window, getattr(window, "surface_view", None))
    with atomic_path(path) as target:
        if not image.save(str(target), "PNG"):
            raise OSError(f"could not write {path}")
