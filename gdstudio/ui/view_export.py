"""Pictures of one view for slides: SVG and PDF of a 2D plot, PNG of any view at a chosen size.

SVG is Qt's :class:`QSvgGenerator` and PDF Qt's :class:`QPdfWriter`, each painting the
plot's scene, so curves, lines and text stay vector. (pyqtgraph 0.14's own SVGExporter
fails on the closed paths Qt 6 draws: pyqtgraph issue 3495.)
A PNG is drawn afresh at the size asked for (a 2D plot re-rendered, the 3D view
rendered offscreen by OpenGL), not a screen grab stretched. Every file is written
whole or not at all.
"""

from __future__ import annotations

import math
from pathlib import Path

import pyqtgraph as pg
from PySide6.QtCore import QMarginsF, QRectF, QSizeF, Qt
from PySide6.QtGui import QColor, QGuiApplication, QImage, QPageLayout, QPageSize, QPainter, QPdfWriter
from PySide6.QtWidgets import QWidget

from ..core.atomic_file import atomic_write_bytes
from ..core.errors import ConfigError
from .screenshot import in_memory, picture

#: The views that are 2D plots, by the names scenes use.
PLOT_NAMES = ("map", "loss", "slice", "data")
#: Largest side of an exported PNG (a 3D render this big already takes seconds in software GL).
MAX_SIDE = 8000


def plot_widgets(window) -> dict[str, pg.PlotWidget]:
    """The window's 2D plots by name."""
    return {"map": window.map_view, "loss": window.loss_view.plot, "slice": window.slice_view, "data": window.fit_view}


def export_svg(plot: pg.PlotWidget, path: Path) -> None:
    """The plot as SVG, the size it has on screen (its curves as SVG paths)."""
    from PySide6.QtSvg import QSvgGenerator

    source = plot.getPlotItem().sceneBoundingRect()

    def write(device) -> bool:
        svg = QSvgGenerator()
        svg.setOutputDevice(device)
        svg.setSize(source.size().toSize())
        svg.setViewBox(QRectF(0, 0, source.width(), source.height()))
        svg.setTitle("GD Studio")
        painter = QPainter(svg)
        paint_plot(painter, plot, QRectF(0, 0, source.width(), source.height()))
        return painter.end()

    atomic_write_bytes(path, in_memory(write))


def export_pdf(plot: pg.PlotWidget, path: Path) -> None:
    """The plot as a one-page PDF the size of the plot on screen (vector lines and text)."""
    item = plot.getPlotItem()
    source = item.sceneBoundingRect()

    def write(device) -> bool:
        writer = QPdfWriter(device)
        writer.setResolution(96)  # one PDF pixel per screen pixel: text keeps its size
        writer.setPageLayout(
            QPageLayout(
                QPageSize(QSizeF(source.width() * 72 / 96, source.height() * 72 / 96), QPageSize.Unit.Point),
                QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0),
            )
        )
        painter = QPainter(writer)
        paint_plot(painter, plot, QRectF(0, 0, writer.width(), writer.height()))
        return painter.end()

    atomic_write_bytes(path, in_memory(write))


def paint_plot(painter: QPainter, plot: pg.PlotWidget, target: QRectF) -> None:
    """Draw ``plot`` into ``target`` of any painter (a PDF page, an image), keeping its shape."""
    item = plot.getPlotItem()
    source = item.sceneBoundingRect()
    painter.fillRect(target, plot.backgroundBrush())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    # In export mode pyqtgraph draws each marker as a shape instead of stamping cached pixmaps
    # (which an SVG file would get as an atlas of several markers each), as its exporters do.
    items = [i for i in plot.scene().items() if hasattr(i, "setExportMode")]
    options = {"antialias": True, "background": plot.backgroundBrush().color(), "painter": painter}
    for i in items:
        i.setExportMode(True, options)
    try:
        plot.scene().render(painter, target, source, Qt.AspectRatioMode.KeepAspectRatio)
    finally:
        for i in items:
            i.setExportMode(False, options)


def render_view(window, name: str, width: int, height: int) -> QImage:
    """View ``name`` drawn afresh at ``width`` x ``height`` pixels (the 3D view too)."""
    if not (16 <= width <= MAX_SIDE and 16 <= height <= MAX_SIDE):
        raise ConfigError(f"the picture must be between 16 and {MAX_SIDE} pixels a side, got {width} x {height}")
    if name == "surface":
        return _render_surface(window, width, height)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    paint_plot(painter, plot_widgets(window)[name], QRectF(0, 0, width, height))
    painter.end()
    return image


def _render_surface(window, width: int, height: int) -> QImage:
    surface = getattr(window, "surface_view", None)
    if surface is None or not surface.view.isValid():
        raise ConfigError("the 3D view is not shown here (no OpenGL), so it cannot be exported")
    view = surface.view
    fov = view.opts["fov"]  # horizontal: a picture wider than the view would crop its top and bottom
    screen_w, screen_h = view.width(), view.height()
    if screen_w > 0 and screen_h > 0 and width / height > screen_w / screen_h:
        widen = (screen_h / screen_w) * (width / height)  # keep the height the view shows on screen
        view.opts["fov"] = math.degrees(2 * math.atan(math.tan(math.radians(fov) / 2) * widen))
    view.makeCurrent()
    try:
        array = view.renderToArray((width, height))  # offscreen, at this size, in tiles
    finally:
        view.doneCurrent()
        view.opts["fov"] = fov
    return pg.functions.makeQImage(array, transpose=False)  # (height, width, BGRA), top row first


def copy_views_to_clipboard(window) -> QImage:
    """Put the views, as they are on screen (3D included), on the clipboard; return the image."""
    area: QWidget = getattr(window, "view_area", None) or window.centralWidget()
    image = picture(area, getattr(window, "surface_view", None))
    QGuiApplication.clipboard().setImage(image)
    return image
