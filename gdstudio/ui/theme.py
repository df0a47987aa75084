"""Colours and fonts chosen to read from the back of a lecture hall."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import QApplication, QGraphicsItem

#: Colour map of the loss, shared by the 3D surface, the 2D map and the legend.
COLORMAP_NAME = "viridis"
#: One colour per run, each visible both on viridis (which has no reds or pinks) and on white.
RUN_COLORS = ("#e8262b", "#ff9500", "#e91e9d", "#00a3bf", "#8d5a2b", "#636366")
GLOBAL_MIN_COLOR = "#ffd60a"
LOCAL_MIN_COLOR = "#f2f2f7"
#: The downhill arrow: white edged in black, a colour no run has, visible on every part of the map.
GRADIENT_COLOR = "#ffffff"
GRADIENT_EDGE = "#1c1c1e"
START_COLOR = "#ffffff"
#: Behind the 3D surface.
SURFACE_BACKGROUND = "#262a31"
STATUS_COLORS = {
    "running": "#0a84ff",
    "paused": "#636366",
    "converged": "#248a3d",
    "stuck": "#c93400",
    "diverged": "#d70015",
}
BASE_POINT_SIZE = 11


def run_color(i: int) -> str:
    return RUN_COLORS[i % len(RUN_COLORS)]


def colormap() -> pg.ColorMap:
    return pg.colormap.get(COLORMAP_NAME)


def font(scale: float = 1.0, bold: bool = False) -> QFont:
    f = QFont(QApplication.font())
    f.setPointSizeF(BASE_POINT_SIZE * scale)
    f.setBold(bold)
    return f


def scaled(f: QFont, factor: float) -> QFont:
    """A copy of ``f`` ``factor`` times the size (never below 6 pt)."""
    f = QFont(f)
    f.setPointSizeF(max(6.0, f.pointSizeF() * factor))
    return f


def apply(app: QApplication) -> None:
    """Application-wide look: Fusion style, large type, plots on white."""
    app.setStyle("Fusion")
    f = app.font()
    f.setPointSize(BASE_POINT_SIZE)
    app.setFont(f)
    pg.setConfigOptions(background="w", foreground="#1c1c1e", antialias=False)


def quiet_plot(plot: pg.PlotItem) -> pg.PlotItem:
    """No context menu, no auto-range button: nothing a lecturer can click by mistake."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def style_plot(plot: pg.PlotItem, left: str, bottom: str) -> None:
    """Axis labels and tick fonts large enough for a projector."""
    tick = font(0.95)
    for name, text in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        # Axes (with their grid lines) are costly to draw and change rarely: keep them as pixmaps.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setTickFont(tick)
        axis.setLabel(text, **{"font-size": f"{BASE_POINT_SIZE + 2}pt"})
        axis.setTextPen(QColor("#1c1c1e"))
