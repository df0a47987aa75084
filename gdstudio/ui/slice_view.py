"""The loss along one weight: the curve, the current point, its tangent and which way is downhill."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF

from ..controller import Frame, LossGrid
from ..core import RunStatus
from ..core.lesson import Annotation
from . import theme

#: Half the tangent line's length, as a fraction of the slice's width.
TANGENT_HALF = 0.12


class SliceView(pg.PlotWidget):
    """E(w) through the current point: a 1-D cut of the landscape along the first weight.

    The curve comes from the landscape's grid (interpolated at the current value
    of the second weight), so no loss is computed here; the slope written on the
    tangent is the engine's exact gradient.
    """

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
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
        self._annotations: tuple[Annotation, ...] = ()
        self._landscape: LossGrid | None = None
        self._y_range: tuple[float, float] | None = None

    def set_landscape(self, landscape: LossGrid) -> None:
        self._landscape = landscape
        a, b = landscape.problem.param_names
        theme.style_plot(self.getPlotItem(), "loss E", f"{a}   ({b} held fixed)")

    def set_annotations(self, annotations) -> None:
        self._annotations = tuple(annotations)

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
            size=f"{theme.BASE_POINT_SIZE + 3}pt",
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
        """The curve, with room beneath it for the labels of the points marked on it."""
        low, high = float(np.nanmin(e)), float(np.nanmax(e))
        span = max(high - low, 1e-12)
        y_range = (low - (0.2 if self._annotations else 0.05) * span, high + 0.05 * span)
        if y_range != self._y_range:  # laying out the axes again costs a frame
            self._y_range = y_range
            self.setYRange(*y_range, padding=0)

    def _draw_annotations(self, xs: np.ndarray, e: np.ndarray) -> None:
        for label in self._labels:
            self.removeItem(label)
        self._labels = []
        if not self._annotations:
            self.marks.setData([], [])
            return
        px = [a.at[0] for a in self._annotations]
        py = np.interp(px, xs, e)
        slopes = np.gradient(e, xs)
        self.marks.setData(px, py)
        for a, x, y in zip(self._annotations, px, py):
            s = float(np.interp(x, xs, slopes))
            sign = "0" if abs(s) < 0.05 * np.abs(slopes).max() else ("−" if s < 0 else "+")
            label = f"{a.label} ({sign})" if len(a.label) <= 2 else a.label
            text = pg.TextItem(label, anchor=(0.5, -0.4), color="#1c1c1e")
            text.setFont(theme.font(1.0, bold=True))
            text.setPos(x, y)
            self.addItem(text)
            self._labels.append(text)
