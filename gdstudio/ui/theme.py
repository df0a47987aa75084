"""Colours and fonts chosen to read from the back of a lecture hall."""

from __future__ import annotations

import pyqtgraph as pg
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import QApplication, QGraphicsItem, QWidget

_RELATIVE = "gdstudio_text_size"

#: Colour map of the loss, shared by the 3D surface, the 2D map and the legend.
COLORMAP_NAME = "viridis"
#: One colour per run: the Okabe-Ito palette, distinct for colour-blind viewers (vermillion, sky
#: blue, bluish green, orange, reddish purple, blue, black). Its yellow is left out: a yellow line
#: vanishes on white and beside the global minimum's yellow marker.
RUN_COLORS = ("#D55E00", "#56B4E9", "#009E73", "#E69F00", "#CC79A7", "#0072B2", "#000000")
#: Runs in an order (batch 8 → 256, λ small → large): light orange to dark red-brown, so the order
#: reads from the colour; none of it is in viridis, so every shade shows on the map. The shades step
#: evenly in lightness (CIE L* 79, 70, 60, 50, 41, 31, 22), so the order reads from lightness alone,
#: as colour-blind viewers see it; seven shades so that four runs take every other one (19 L* apart)
#: and three runs the ends and the middle (28 apart).
ORDERED_RAMP = ("#ffb55e", "#ff8f30", "#f26500", "#d74200", "#b9280b", "#911714", "#661819")
#: The runs' colours in the order drawn, as the run list gives them (a race's picked colours, a
#: scene's ordered ramp); runs beyond them take :data:`RUN_COLORS`.
_chosen_colors: tuple[str, ...] = ()
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
#: Body text in pixels at text scale 1 (about 11 pt on a 96 dpi screen). Every text in the window,
#: plot text included, is a multiple of it times :data:`text_scale`, so one setting scales them all.
BASE_PX = 15
#: The one text setting (Ctrl+ / Ctrl−, the presentation view): set with :func:`set_text_scale`.
text_scale = 1.0
#: Sizes relative to body text. Nothing is drawn smaller than :data:`SMALLEST`, so a floor on the
#: smallest size (the presentation view's 24 px) holds for every text.
SMALLEST = 1.0
AXIS_TITLE = 1.15
TITLE = 1.35


def set_run_colors(colors) -> None:
    """Draw the runs in these colours, in order (a race's own); empty for the usual ones."""
    global _chosen_colors
    _chosen_colors = tuple(colors)


def ordered_color(i: int, count: int) -> str:
    """Colour ``i`` of ``count`` runs in an order: spread over the whole ramp, lightest first."""
    return ORDERED_RAMP[round(i * (len(ORDERED_RAMP) - 1) / max(count - 1, 1))]


def run_color(i: int) -> str:
    """Run ``i``'s colour, in every view and the run key."""
    if 0 <= i < len(_chosen_colors):
        return _chosen_colors[i]
    return RUN_COLORS[i % len(RUN_COLORS)]


def recolor(item, i: int) -> str | None:
    """Run ``i``'s colour if ``item``, drawn for run ``i``, was drawn in another (the runs'
    colours changed: a scene with runs in an order came or went); else None."""
    color = run_color(i)
    if getattr(item, "run_color", None) == color:
        return None
    item.run_color = color
    return color


def colormap() -> pg.ColorMap:
    return pg.colormap.get(COLORMAP_NAME)


def text_px(relative: float = 1.0) -> int:
    """Pixel size of a text ``relative`` times body text, at the current text scale."""
    return max(8, round(BASE_PX * max(relative, SMALLEST) * text_scale))


def css_size(relative: float = 1.0) -> str:
    """:func:`text_px` as a CSS size, for pyqtgraph's labels (which take rich text)."""
    return f"{text_px(relative)}px"


def font(relative: float = 1.0, bold: bool = False) -> QFont:
    f = QFont(QApplication.font())
    f.setPixelSize(text_px(relative))
    f.setBold(bold)
    return f


def set_font(widget: QWidget, relative: float = 1.0, bold: bool = False) -> None:
    """Give ``widget`` a text size of its own, remembered so :func:`restyle_widgets` keeps it
    in proportion when the text scale changes (other widgets follow the application font)."""
    widget.setProperty(_RELATIVE, (relative, bold))
    widget.setFont(font(relative, bold))


def set_text_scale(scale: float, app: QApplication | None = None) -> None:
    """Scale every text from now on: the application font at once; widgets given their own size
    and plots follow when restyled (:func:`restyle_widgets`, :func:`restyle_plot`)."""
    global text_scale
    text_scale = scale
    app = app or QApplication.instance()
    f = QFont(app.font())
    f.setPixelSize(text_px())
    app.setFont(f)


def restyle_widgets(root: QWidget) -> None:
    """Apply the current text scale to ``root``'s widgets that have a size of their own."""
    for widget in [root, *root.findChildren(QWidget)]:
        # Set on every widget: Qt does not pass the application's font on to widgets under a
        # style sheet, nor (until later events) to the others.
        relative = widget.property(_RELATIVE)
        widget.setFont(font(*relative) if relative is not None else font())


def apply(app: QApplication) -> None:
    """Application-wide look: Fusion style, large type, plots on white."""
    app.setStyle("Fusion")
    set_text_scale(text_scale, app)
    pg.setConfigOptions(background="w", foreground="#1c1c1e", antialias=False)


def quiet_plot(plot: pg.PlotItem) -> pg.PlotItem:
    """No context menu, no auto-range button: nothing a lecturer can click by mistake."""
    plot.setMenuEnabled(False)
    plot.hideButtons()
    return plot


def style_plot(plot: pg.PlotItem, left: str, bottom: str) -> None:
    """Axis labels and tick fonts large enough for a projector."""
    for name, text in (("left", left), ("bottom", bottom)):
        axis = plot.getAxis(name)
        # Axes (with their grid lines) are costly to draw and change rarely: keep them as pixmaps.
        axis.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        axis.setLabel(text)
        axis.setTextPen(QColor("#1c1c1e"))
    restyle_plot(plot)


def restyle_plot(plot: pg.PlotItem) -> None:
    """Every text of ``plot`` at the current text scale: ticks, axis titles, the title, legends
    and text items (pyqtgraph sizes each on its own, so each is set here)."""
    for name in ("left", "bottom"):
        axis = plot.getAxis(name)
        axis.setTickFont(font(SMALLEST))
        # Room for the larger ticks: pyqtgraph measures tick text only as it grows.
        axis.setStyle(tickTextOffset=text_px() // 2 + 4)
        if axis.labelText:
            axis.setLabel(axis.labelText, **{"font-size": css_size(AXIS_TITLE)})
    title = plot.titleLabel
    titled = title.isVisible() and bool(title.text)
    if titled:
        title.setText(title.text, size=css_size(AXIS_TITLE))
    # A tick label is centred on its tick: the top one reaches half a line above the plot, the
    # last one at the bottom half its width past the right edge. Room for both, so neither is cut.
    half_line = QFontMetrics(font(SMALLEST)).height() // 2 + 2
    plot.layout.setContentsMargins(1, 1 if titled else half_line, 2 * half_line, 1)
    for item in plot.scene().items() if plot.scene() is not None else ():
        if isinstance(item, pg.LegendItem):
            item.opts["labelTextSize"] = css_size()
            for _, label in item.items:
                label.setText(label.text, size=css_size())
            item.updateSize()
        elif isinstance(item, pg.TextItem):
            item.setFont(font(SMALLEST, item.textItem.font().bold()))
