"""The loss along one weight: the curve, the current point, its tangent and which way is downhill."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QFontMetrics

from ..controller import Frame, LossGrid
from ..core import RunStatus
from ..core.lesson import Annotation
from . import theme

#: Half the tangent line's length, as a fraction of the slice's width.
TANGENT_HALF = 0.12
#: Half the length of a marked point's tangent (A, B, C), as a fraction of the slice's width.
MARK_TANGENT_HALF = 0.07
#: A label's top sits this many label heights below its point (``TextItem`` anchor).
LABEL_DROP = 0.4


class SliceView(pg.PlotWidget):
    """E(w) through the current point: a 1-D cut of the landscape along the first weight.

    The curve comes from the landscape's grid (interpolated at the current value
    of the second weight), so no loss is computed here; the slope written on the
    tangent is the engine's exact gradient.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent, enableMenu=False)  # no menu is ever built: a quarter of a plot's making
        self.setToolTip(
            "A slice of the landscape along the first weight, through the current point. The red line is the "
            "tangent: its slope is the gradient dE/dw. The arrow points downhill, the way descent moves."
        )
        theme.quiet_plot(self.getPlotItem())
        self.curve = pg.PlotDataItem(pen=pg.mkPen("#3a3a3c", width=2.5))
        self.tangent = pg.PlotDataItem(pen=pg.mkPen(theme.run_color(0), width=2))
        self.point = pg.ScatterPlotItem(size=14, brush=pg.mkBrush(theme.run_color(0)), pen=pg.mkPen("#1c1c1e"))
        # The map's white arrow would be a mere outline on this white plot: here it is filled dark.
        self.arrow = pg.ArrowItem(headLen=18, tipAngle=40, pen=None, brush=theme.GRADIENT_EDGE)
        self.marks = pg.ScatterPlotItem(size=11, brush=pg.mkBrush("#ffffff"), pen=pg.mkPen("#1c1c1e", width=1.5))
        for it in (self.curve, self.tangent, self.marks, self.point, self.arrow):
            self.addItem(it)
        self._labels: list[pg.TextItem] = []
        #: Tangents at the marked points (A, B, C): they stay, whatever the run does.
        self._mark_tangents: list[pg.PlotDataItem] = []
        self._annotations: tuple[Annotation, ...] = ()
        self._landscape: LossGrid | None = None
        self._y_range: tuple[float, float] | None = None
        self._curve_e: np.ndarray | None = None
        # Room for the labels is counted in pixels: on resize the same labels need another data margin.
        self.getViewBox().sigResized.connect(self._refit)

    def set_landscape(self, landscape: LossGrid) -> None:
        self._landscape = landscape
        a, b = landscape.problem.param_names
        theme.style_plot(self.getPlotItem(), "loss E", f"{a}   ({b} held fixed)")

    def set_annotations(self, annotations) -> None:
        self._annotations = tuple(annotations)
        for item in self._labels + self._mark_tangents:
            self.removeItem(item)
        self._labels, self._mark_tangents = [], []
        for a in self._annotations:
            text = pg.TextItem(a.label, anchor=(0.5, -LABEL_DROP), color="#1c1c1e")
            text.setFont(theme.font(1.0, bold=True))
            self.addItem(text)
            self._labels.append(text)
            if _is_point_name(a.label):
                tangent = pg.PlotDataItem(pen=pg.mkPen("#1c1c1e", width=2.5, style=Qt.PenStyle.DashLine))
                self.addItem(tangent)
                self._mark_tangents.append(tangent)
        self._y_range = None

    def _curve_at(self, b: float) -> tuple[np.ndarray, np.ndarray]:
        land = self._landscape
        j = np.interp(b, land.ys, np.arange(len(land.ys)))
        j0 = int(np.clip(np.floor(j), 0, len(land.ys) - 2))
        f = j - j0
        return land.xs, (1 - f) * land.Z[:, j0] + f * land.Z[:, j0 + 1]

    def show_frame(self, frame: Frame) -> None:
        if self._landscape is None or not frame.runs:
            return
        run = frame.runs[0]
        if color := theme.recolor(self.point, 0):
            self.point.setBrush(pg.mkBrush(color))
            self.tangent.setPen(pg.mkPen(color, width=2))
        w, b = (float(v) for v in run.params)
        xs, e = self._curve_at(b)
        self.curve.setData(xs, e)
        self._fit_y(e)
        slope = float(run.grad[0])
        half = TANGENT_HALF * (xs[-1] - xs[0])
        self.tangent.setData([w - half, w + half], [run.loss - slope * half, run.loss + slope * half])
        self.point.setData([w], [run.loss])
        # A stopped run's leftover gradient is rounding noise: show it as the flat spot it is.
        flat = run.status is not RunStatus.RUNNING or abs(slope) < 1e-9
        name = self._landscape.problem.param_names[0]
        self.setTitle(
            f"slope dE/d{name} = {slope:+.3g}" + ("  (flat)" if flat else ""),
            size=theme.css_size(theme.AXIS_TITLE),
            color="#1c1c1e",
        )
        # A title wider than the view would widen the whole plot past the view's edge.
        self.getPlotItem().titleLabel.setMinimumWidth(0)
        self.arrow.setVisible(not flat)
        if not flat:
            # Downhill is against the slope's sign; the arrow sits just past the point on that side.
            direction = -np.sign(slope)
            self.arrow.setPos(QPointF(w + direction * 0.6 * half, run.loss - slope * direction * 0.6 * half))
            self.arrow.setStyle(angle=0 if direction < 0 else 180)
        self._draw_annotations(xs, e)

    def _fit_y(self, e: np.ndarray) -> None:
        """The curve, with room beneath it for the labels of the points marked on it.

        Labels have a fixed height in pixels, so the room is worked out in pixels and
        turned into data units for the view's current height.
        """
        self._curve_e = e
        low, high = float(np.nanmin(e)), float(np.nanmax(e))
        span = max(high - low, 1e-12)
        top = high + 0.05 * span
        margin = 0.05 * span
        height = self.getViewBox().height()
        if self._annotations and height > 0:
            # A label's box (its text and the margins around it), in pixels: labels ignore the zoom.
            # One line's height: a slope label put on two lines sits beside its point, not under the curve.
            label = max((t.boundingRect().height() for t in self._labels if "\n" not in t.toPlainText()), default=0.0)
            label = max(label, QFontMetrics(theme.font(1.0, bold=True)).height() + 8)
            need = (1 + LABEL_DROP) * label + 6
            # ``margin`` data units below the lowest point are ``need`` pixels of the view's height.
            margin = max(margin, need * (top - low) / max(height - need, 0.25 * height))
        y_range = (low - margin, top)
        if y_range != self._y_range:  # laying out the axes again costs a frame
            self._y_range = y_range
            self.setYRange(*y_range, padding=0)

    def _refit(self) -> None:
        if self._curve_e is not None:
            self._fit_y(self._curve_e)

    def _draw_annotations(self, xs: np.ndarray, e: np.ndarray) -> None:
        """Each marked point with its label; A, B and C also with their tangent and its slope
        (the slope of the curve drawn, dE/dw along this slice), written after the letter."""
        if not self._annotations:
            self.marks.setData([], [])
            return
        px = np.array([a.at[0] for a in self._annotations])
        py = np.interp(px, xs, e)
        slopes = np.gradient(e, xs)
        self.marks.setData(px, py)
        half = MARK_TANGENT_HALF * (xs[-1] - xs[0])
        tangents = iter(self._mark_tangents)
        for a, x, y, text in zip(self._annotations, px, py, self._labels):
            text.setPos(x, y)
            if not _is_point_name(a.label):
                continue
            s = float(np.interp(x, xs, slopes))
            flat = abs(s) < 0.02 * np.abs(slopes).max()
            value = "0" if flat else f"{s:+.2f}".replace("-", "−")
            text.full_text = f"{a.label}: {value}"
            text.setText(text.full_text)
            # Where "A: −1.59" has no room beside A, it goes on two lines: the caption promises the value.
            text.short_text = f"{a.label}\n{value}"
            # A steep tangent stops at the curve's lowest loss: below it, it would run under the
            # global minimum's label (and suggest a loss lower than any on this slice).
            reach = min(half, (y - float(np.nanmin(e))) / abs(s)) if not flat else half
            next(tangents).setData([x - reach, x + reach], [y - s * reach, y + s * reach])
            # Above the point on its downhill side: inside the valley, clear of the tangent (which
            # runs down that way below the label) and of the curve.
            text.setAnchor((0.5, -LABEL_DROP) if flat else ((-0.05, 1.1) if s < 0 else (1.05, 1.1)))


def _is_point_name(label: str) -> bool:
    """A lettered point (A, B, C) gets a tangent and its slope; a longer label is a name only."""
    return len(label) <= 2
