"""A plot curve whose points change with every frame: a run's path, a run's loss."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg


class FrameCurve(pg.PlotCurveItem):
    """A :class:`pyqtgraph.PlotCurveItem` that finds its bounds in one NumPy reduction per axis.

    Qt asks a curve for its bounds once after each change of its points. pyqtgraph's answer
    goes through ``nanmin``/``nanmax`` under a fresh warnings filter, which costs ten times the
    reduction itself: a race's sixteen curves spent 2 ms of every frame on it. Data with an
    infinity, a fraction of the data or a range across the other axis take pyqtgraph's way.
    """

    def dataBounds(self, ax: int, frac: float = 1.0, orthoRange=None):  # noqa: N802 (pyqtgraph's names)
        data = self.getData()[ax]
        cache = self._boundsCache[ax]
        if frac < 1.0 or orthoRange is not None or data is None or not len(data) or self.opts["fillLevel"] is not None:
            return super().dataBounds(ax, frac, orthoRange)
        if cache is not None and cache[0] == (frac, orthoRange):
            return cache[1]
        lo, hi = float(np.fmin.reduce(data)), float(np.fmax.reduce(data))  # NaN left out, as nanmin does
        if not (math.isfinite(lo) and math.isfinite(hi)):
            return super().dataBounds(ax, frac, orthoRange)
        for pen in (self.opts["pen"], self.opts["shadowPen"]):
            if pen is not None and not pen.isCosmetic() and pen.style() != pg.QtCore.Qt.PenStyle.NoPen:
                lo, hi = lo - pen.widthF() * 0.7072, hi + pen.widthF() * 0.7072
        self._boundsCache[ax] = [(frac, orthoRange), (lo, hi)]
        return lo, hi
