"""The window and the screen: open no larger than it, and fill it when asked."""

from __future__ import annotations

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget

#: The window's size where the screen has room for it.
PREFERRED = (1600, 1000)


def screen_of(window: QWidget) -> QScreen:
    return window.screen() or QGuiApplication.primaryScreen()


def screen_geometry(window: QWidget) -> QRect:
    """The whole screen ``window`` is on."""
    return screen_of(window).geometry()


def available_geometry(window: QWidget) -> QRect:
    """The screen's area left free of panels and docks by the desktop."""
    return screen_of(window).availableGeometry()


def fit_to_screen(window: QWidget) -> None:
    """Size ``window`` to :data:`PREFERRED`, or to the screen's available area where that is
    smaller (a 1366x768 laptop), and put it on that area."""
    area = available_geometry(window)
    width, height = min(PREFERRED[0], area.width()), min(PREFERRED[1], area.height())
    window.resize(width, height)
    window.move(area.left() + (area.width() - width) // 2, area.top() + (area.height() - height) // 2)


def fill_screen(window: QWidget) -> None:
    """Full screen whether or not a window manager honours the request: without one (a kiosk
    PC, Xvfb) nothing would resize the window, so its geometry is set to the screen's too."""
    window.showFullScreen()
    window.setGeometry(screen_geometry(window))
