"""A side panel of the main window: scrolls rather than clips when text grows."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDockWidget, QMainWindow, QScrollArea, QWidget


def add_dock(window: QMainWindow, title: str, widget: QWidget, area: Qt.DockWidgetArea) -> QDockWidget:
    """Put ``widget`` in a movable dock called ``title`` on ``window``'s ``area`` side."""
    scroll = QScrollArea()
    scroll.setWidget(widget)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QScrollArea.Shape.NoFrame)
    dock = QDockWidget(title, window)
    dock.setObjectName(title)
    dock.setWidget(scroll)
    dock.setFeatures(
        QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
    )
    widget.setMinimumWidth(300)
    window.addDockWidget(area, dock)
    return dock
