"""Save a picture of the whole window, 3D view included, without ever leaving half a file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from PySide6.QtCore import QPoint
from PySide6.QtGui import QPainter
from PySide6.QtWidgets import QWidget

from ..core.atomic_file import current_umask


def save_window_png(window: QWidget, path: Path) -> None:
    """Render ``window`` (with its OpenGL views) to a PNG at ``path``, atomically."""
    image = window.grab().toImage()
    surface = getattr(window, "surface_view", None)
    if surface is not None:
        # A native GL window is not part of a widget grab: paint its own picture in.
        painter = QPainter(image)
        painter.drawImage(surface.container.mapTo(window, QPoint(0, 0)), surface.grab_image())
        painter.end()
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".png", dir=path.parent or ".")
    os.close(fd)
    os.chmod(tmp, 0o666 & ~current_umask())
    try:
        if not image.save(tmp, "PNG"):
            raise OSError(f"could not write {path}")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
