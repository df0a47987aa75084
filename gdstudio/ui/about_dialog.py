"""*Help → About*: the versions a bug report needs, OpenGL renderer included."""

from __future__ import annotations

import sys

import numpy
import pyqtgraph
import PySide6
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import QMessageBox

from .. import __version__

#: OpenGL's GL_RENDERER and GL_VERSION names (glGetString).
_GL_RENDERER, _GL_VERSION = 0x1F01, 0x1F02


def opengl_renderer(window) -> str:
    """The OpenGL renderer the 3D view draws with, or why there is none."""
    surface = getattr(window, "surface_view", None)
    if surface is None:
        return "none (the 3D view is off here)"
    view = surface.view
    if not view.isValid():
        return "not started yet"
    view.makeCurrent()
    try:
        f = view.context().functions()
        return f"{f.glGetString(_GL_RENDERER)}, OpenGL {f.glGetString(_GL_VERSION)}"
    finally:
        view.doneCurrent()


def about_text(window) -> str:
    return "\n".join(
        (
            f"GD Studio {__version__}",
            f"Qt {qVersion()}, PySide6 {PySide6.__version__}",
            f"NumPy {numpy.__version__}, pyqtgraph {pyqtgraph.__version__}",
            f"Python {sys.version.split()[0]}",
            f"OpenGL renderer: {opengl_renderer(window)}",
        )
    )


def show_about(window) -> None:
    QMessageBox.about(
        window, "About GD Studio", "A desktop simulator that teaches gradient descent.\n\n" + about_text(window)
    )
