"""Pictures of the window (3D view included) and saving one without ever leaving half a file."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QIODevice, QPoint
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from ..core.atomic_file import atomic_write_bytes
from ..core.errors import ConfigError


def picture(widget: QWidget, surface=None) -> QImage:
    """``widget`` as it is drawn now, with ``surface`` (the 3D view) painted in where it shows:
    a native OpenGL window is not part of a widget grab."""
    image = widget.grab().toImage()
    if surface is not None and surface.container.isVisible() and widget.isAncestorOf(surface.container):
        painter = QPainter(image)
        painter.drawImage(surface.container.mapTo(widget, QPoint(0, 0)), surface.render_image())
        painter.end()
    return image


def in_memory(write: Callable[[QIODevice], bool]) -> bytes:
    """What ``write(device)`` (an image's ``save``, an SVG or PDF painted and ended) puts in a
    buffer: written to the file by Python, a full disk is reported, which Qt's writers do not do."""
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not write(buffer):
        raise ConfigError("the picture could not be encoded")
    return bytes(buffer.data())


def save_png(image: QImage, path: Path) -> None:
    """Save ``image`` as a PNG at ``path``, whole or not at all."""
    atomic_write_bytes(path, in_memory(lambda device: image.save(device, "PNG")))


def save_window_png(window: QWidget, path: Path) -> None:
    """Save ``window`` (with its 3D view) as a PNG at ``path``, whole or not at all."""
    save_png(picture(window, getattr(window, "surface_view", None)), path)
