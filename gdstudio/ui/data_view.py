"""The data and the model's current fit: the line (or curve) that the weights draw."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg

from ..controller import Frame, LossGrid
from . import theme
from .frame_curve import FrameCurve
from .path_clip import path_points

#: Points along each fitted curve for one run (a race shares them out, see :func:`path_points`).
FIT_POINTS = 400


class DataFitView(pg.PlotWidget):
    """Scatter of the data with the current model drawn over it, moving as the weights change."""

    def __init__(self, parent=None) -> None:
        super().__init__(parent, enableMenu=False)  # no menu is ever built: a quarter of a plot's making
        self.setToolTip(
            "The data the loss is measured on, and what the model predicts with the current weights. "
            "Descent moves the weights so that the curve fits the points better."
        )
        theme.quiet_plot(self.getPlotItem())
        self.setMinimumHeight(170)
        self.points = pg.ScatterPlotItem(size=5, pen=None, brush=pg.mkBrush(60, 60, 67, 110))
        self.addItem(self.points)
        #: Each run's fit, in its colour.
        self.fits: list[FrameCurve] = []
        self._add_fit()
        self._problem = None
        self._span = (0.0, 1.0)

    def set_landscape(self, landscape: LossGrid) -> None:
        problem = landscape.problem
        self._problem = problem if problem.is_dataset else None
        self.setVisible(self._problem is not None)
        if self._problem is None:
            return
        self.points.setData(landscape.data_x, landscape.data_y)
        lo, hi = float(landscape.data_x.min()), float(landscape.data_x.max())
        pad = 0.05 * (hi - lo or 1)
        self._span = (lo - pad, hi + pad)
        theme.style_plot(self.getPlotItem(), "y", f"x   ({problem.formula})")

    def show_frame(self, frame: Frame) -> None:
        if self._problem is None:
            return
        while len(self.fits) < len(frame.runs):
            self._add_fit()
        x = np.linspace(*self._span, path_points(FIT_POINTS, len(frame.runs)))
        for i, fit in enumerate(self.fits):
            fit.setVisible(i < len(frame.runs))
            if i >= len(frame.runs):
                continue
            if color := theme.recolor(fit, i):
                fit.setPen(pg.mkPen(color, width=3))
            w, b = frame.runs[i].params
            with np.errstate(all="ignore"):
                y = self._problem.predict(w, b, x)
            fit.setData(x, y)

    def _add_fit(self) -> None:
        fit = FrameCurve(pen=pg.mkPen(theme.run_color(len(self.fits)), width=3), connect="finite")
        self.addItem(fit)
        self.fits.append(fit)
