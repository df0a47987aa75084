"""Every scene as a hall sees it, at a projector's 1920x1080 and a laptop's 1366x768: nothing
covers what matters, axes fit what they show, and the presentation view's text is large.

:func:`check_lecture_hall` runs inside the scene walk of ``test_lessons.py`` (each scene's
steps run once in the suite); its end state is laid out at both sizes, in the window and in
the presentation view. The presentation view's keys, text scaling and the window's fit to the
screen are tested here.
"""

import re

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QRect, Qt
from PySide6.QtGui import QFontInfo
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QComboBox,
    QGraphicsEllipseItem,
    QLabel,
    QWidget,
)

from gdstudio.ui import screen_fit

from .keys import press

SIZES = ((1920, 1080), (1366, 768))
#: A drawn point counts as this many pixels around its centre (markers are 10-24 px wide).
POINT_RADIUS = 4


def px(size: str) -> float:
    """A CSS size (``24px`` or ``13pt``) in pixels."""
    value, unit = re.fullmatch(r"([\d.]+)(px|pt)", size.strip()).groups()
    dpi = QApplication.primaryScreen().logicalDotsPerInchY()
    return float(value) * (1 if unit == "px" else dpi / 72)


def font_px(font) -> float:
    return QFontInfo(font).pixelSize()


def plots(w) -> list[pg.PlotWidget]:
    return [p for p in (w.map_view, w.loss_view.plot, w.fit_view, w.slice_view) if p.isVisible()]


def texts(w):
    """(what, pixel size) of every text on screen: widgets, plot texts, the 3D view's labels."""
    for widget in w.findChildren(QWidget):
        if not widget.isVisible() or widget.width() == 0:
            continue
        if (isinstance(widget, (QLabel, QAbstractButton)) and widget.text()) or isinstance(widget, QComboBox):
            yield f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()[:30]!r}", font_px(widget.font())
    for plot in plots(w):
        item = plot.getPlotItem()
        for name in ("left", "bottom"):
            axis = item.getAxis(name)
            if axis.isVisible():
                yield f"{name} ticks", font_px(axis.style["tickFont"] or axis.font())
                if axis.label.isVisible() and axis.labelText:
                    yield f"{name} axis title", px(axis.labelStyle["font-size"])
        if item.titleLabel.isVisible() and item.titleLabel.text:
            yield "plot title", px(item.titleLabel.opts["size"])
        for thing in plot.scene().items():
            if isinstance(thing, pg.TextItem) and thing.isVisible():
                yield f"label {thing.toPlainText()!r}", font_px(thing.textItem.font())
            elif isinstance(thing, pg.LegendItem) and thing.isVisible():
                for _, label in thing.items:
                    yield f"legend {label.text!r}", px(label.opts["size"])
    if w.surface_view is not None and w.surface_view.isVisible():
        yield "colour key", font_px(w.surface_view.legend.text_font())
        for label in w.surface_view._labels:
            yield f"3D label {label.text!r}", font_px(label.font)


def label_boxes(plot):
    """Scene boxes of the texts and legends drawn inside a plot."""
    for thing in plot.scene().items():
        if isinstance(thing, (pg.TextItem, pg.LegendItem)) and thing.isVisible():
            yield thing.toPlainText() if isinstance(thing, pg.TextItem) else "legend", thing.sceneBoundingRect()


def drawn_points(plot) -> np.ndarray:
    """Scene positions of every point of every path, marker and ball drawn in a plot."""
    vb = plot.getViewBox()
    t = vb.childGroup.sceneTransform()
    parts = []
    for item in vb.addedItems:
        if not item.isVisible():
            continue
        if isinstance(item, (pg.PlotCurveItem, pg.PlotDataItem, pg.ScatterPlotItem)):
            x, y = item.getData()
            if x is not None and len(x):
                parts.append(np.column_stack([np.asarray(x) * t.m11() + t.m31(), np.asarray(y) * t.m22() + t.m32()]))
        elif isinstance(item, (QGraphicsEllipseItem, pg.TargetItem)):
            c = item.sceneBoundingRect().center()
            parts.append(np.array([[c.x(), c.y()]]))
    points = np.vstack(parts) if parts else np.empty((0, 2))
    return points[np.all(np.isfinite(points), axis=1)]


def check_nothing_covered(w, where: str) -> None:
    for plot in plots(w):
        boxes = list(label_boxes(plot))
        points = drawn_points(plot)
        for i, (name, box) in enumerate(boxes):
            grown = box.adjusted(-POINT_RADIUS, -POINT_RADIUS, POINT_RADIUS, POINT_RADIUS)
            inside = (
                (points[:, 0] > grown.left())
                & (points[:, 0] < grown.right())
                & (points[:, 1] > grown.top())
                & (points[:, 1] < grown.bottom())
            )
            view = type(plot).__name__
            assert not inside.any(), f"{where}: {view} {name!r} covers {int(inside.sum())} drawn points"
            for other, other_box in boxes[i + 1 :]:
                assert not box.intersects(other_box), f"{where}: {view} {name!r} overlaps {other!r}"


def data_bounds(plot) -> tuple[tuple[float, float], tuple[float, float]] | None:
    """The extent of what a plot draws, in its view coordinates (log ones on a log axis)."""
    lows, highs = [], []
    for item in plot.getViewBox().addedItems:
        if not item.isVisible():
            continue
        if isinstance(item, pg.ImageItem):
            r = item.mapRectToParent(item.boundingRect())
            lows.append((r.left(), r.top()))
            highs.append((r.right(), r.bottom()))
        elif isinstance(item, (pg.PlotDataItem, pg.PlotCurveItem, pg.ScatterPlotItem)):
            x, y = item.getData()
            if x is None or not len(x):
                continue
            xy = np.column_stack([x, y])  # as drawn: a log axis's data comes already as logarithms
            xy = xy[np.all(np.isfinite(xy), axis=1)]
            if len(xy):
                lows.append(xy.min(axis=0))
                highs.append(xy.max(axis=0))
    if not lows:
        return None
    lo, hi = np.min(lows, axis=0), np.max(highs, axis=0)
    return (lo[0], hi[0]), (lo[1], hi[1])


def check_axes_fit(w, where: str) -> None:
    for plot in plots(w):
        bounds = data_bounds(plot)
        if bounds is None:
            continue
        for axis, (lo, hi), (a, b) in zip("xy", bounds, plot.getViewBox().viewRange()):
            span = hi - lo
            least = (
                1.0
                if (axis == "y" and plot is w.loss_view.plot and w.loss_view.log_scale.isChecked())
                else 1e-9 * max(abs(lo), abs(hi), 1)
            )
            assert b - a <= 2 * max(span, least) + 1e-12, (
                f"{where}: {type(plot).__name__} {axis} axis {a:.4g}..{b:.4g} for data {lo:.4g}..{hi:.4g}"
            )


def lay_out(qtbot, w, monkeypatch, size, present: bool) -> None:
    """Put the window on a screen of ``size`` (Xvfb has no window manager: geometry is set)."""
    screen = QRect(0, 0, *size)
    monkeypatch.setattr(screen_fit, "screen_geometry", lambda _w: screen)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: screen)
    w.presentation.leave()
    if present:
        w.presentation.enter()
    else:
        w.showNormal()
        w.setGeometry(screen)
    qtbot.waitUntil(lambda: w.size().toTuple() == size, timeout=5_000)
    QApplication.processEvents()
    w.view_area.draw(w.controller.frame)  # as the next frame would


class ResizeCount(QObject):
    """Counts the resize events a widget gets."""

    def __init__(self, widget: QWidget) -> None:
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        self.count += event.type() == QEvent.Type.Resize
        return False


def check_idle_window_stays_laid_out(w, where: str) -> None:
    """Once laid out, a window left alone does not lay its map out again and again (a map whose
    tick labels changed its size, and its size its labels, was resized 45 times a second)."""
    resizes = ResizeCount(w.map_view)
    for _ in range(10):  # whatever the last layout still had to do
        QApplication.processEvents()
    settled = resizes.count
    for _ in range(30):
        QApplication.processEvents()
    w.map_view.removeEventFilter(resizes)
    assert resizes.count == settled, f"{where}: the idle map was resized {resizes.count - settled} more times"


def check_lecture_hall(qtbot, w, monkeypatch, scene_id: str) -> None:
    """A scene's end state laid out at both sizes, in the window and in the presentation
    view: nothing covered, axes fitting their data, and (presenting at 1080p) no small text.

    Called from the scene walk in ``test_lessons.py``, so each scene runs once in the suite.
    """
    for size in SIZES:
        for present in (False, True):
            where = f"{scene_id} at {size[0]}x{size[1]}" + (" presenting" if present else "")
            lay_out(qtbot, w, monkeypatch, size, present)
            check_idle_window_stays_laid_out(w, where)
            check_nothing_covered(w, where)
            check_axes_fit(w, where)
            if present and size == (1920, 1080):
                small = [(what, size_px) for what, size_px in texts(w) if size_px < 24]
                assert not small, f"{where}: text under 24 px: {small}"
    w.presentation.leave()


def test_presentation_view_shows_the_views_and_caption_and_esc_leaves(open_window, qtbot):
    w = open_window()
    w.lesson.open("07")
    press(qtbot, w, Qt.Key.Key_F5)
    assert w.presentation.active
    for chrome in (w.menuBar(), w.toolbar, w.statusBar(), w.lesson.dock, w.setup_dock):
        assert not chrome.isVisible()
    assert w.view_area.caption.isVisible()
    assert w.view_area.caption.title.text() == w.lesson.panel.current.title
    press(qtbot, w, Qt.Key.Key_PageDown)  # a clicker moves on, and the caption follows
    assert w.view_area.caption.title.text() == w.lesson.panel.scenes[7].title
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active
    assert w.menuBar().isVisible() and w.toolbar.isVisible() and w.lesson.dock.isVisible()
    assert not w.view_area.caption.isVisible()


def test_larger_text_grows_every_text_plot_text_included(open_window, qtbot):
    w = open_window()
    w.lesson.open("02")
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame is not None, timeout=10_000)
    before = dict(texts(w))
    for _ in range(3):
        press(qtbot, w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)

    def grown() -> dict[str, float]:
        after = dict(texts(w))
        return {k: after[k] / before[k] for k in before.keys() & after.keys()}

    # Widgets take the application's new font as Qt delivers the change to each of them.
    qtbot.waitUntil(lambda: min(grown().values()) > 1.3, timeout=5_000)
    grown = grown()
    for name in ("left ticks", "bottom axis title", "plot title", "colour key"):
        if name in before:
            assert grown[name] > 1.3, name
    for button in (w.lesson.panel.previous_button, w.lesson.panel.explore_button):
        # Reflowed, not clipped: each button is as wide as its text needs.
        assert button.width() >= button.sizeHint().width() or not button.isVisible()


def test_the_window_never_opens_larger_than_the_screen(open_window, monkeypatch):
    laptop = QRect(0, 0, 1366, 740)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: laptop)
    w = open_window()
    assert laptop.contains(w.frameGeometry())


def test_full_screen_fills_the_screen_without_a_window_manager(open_window, qtbot, monkeypatch):
    w = open_window()
    screen = QRect(0, 0, 1920, 1080)
    monkeypatch.setattr(screen_fit, "screen_geometry", lambda _w: screen)
    w.toggle_full_screen()
    qtbot.waitUntil(lambda: w.geometry() == screen, timeout=5_000)


def test_a_log_loss_axis_labels_few_values_read_from_afar():
    from gdstudio.ui.loss_curve_view import log_ticks

    many = log_ticks(-12.2, 1.4)  # thirteen decades: every third one, all as powers of ten
    assert [label for _, label in many] == ["10⁻¹²", "10⁻⁹", "10⁻⁶", "10⁻³", "10⁰"]
    few = log_ticks(0.2, 1.1)  # about one decade: 2, 5, 10
    assert [label for _, label in few] == ["2", "5", "10"]
    assert all(0.2 <= v <= 1.1 for v, _ in few)
    # Decades read aloud where all of them can be; one notation on an axis, never 10³ beside 100.
    assert [label for _, label in log_ticks(-2.1, 2.3)] == ["0.01", "0.1", "1", "10", "100"]
    assert [label for _, label in log_ticks(-0.2, 3.1)] == ["10⁰", "10¹", "10²", "10³"]
