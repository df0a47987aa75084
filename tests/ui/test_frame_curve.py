"""A curve redrawn every frame finds its bounds its own, cheaper way: they must be pyqtgraph's."""

import numpy as np
import pyqtgraph as pg
import pytest

from gdstudio.ui.frame_curve import FrameCurve

CASES = {
    "plain": (np.linspace(-3, 5, 50), np.sin(np.linspace(0, 9, 50))),
    "gaps": (np.array([0.0, 1.0, np.nan, 3.0]), np.array([np.nan, 2.0, 7.0, -1.0])),
    "infinite": (np.array([0.0, 1.0, 2.0]), np.array([1.0, np.inf, -4.0])),
    "all missing": (np.array([0.0, 1.0]), np.array([np.nan, np.nan])),
    "one point": (np.array([2.5]), np.array([-1e300])),
}


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("cosmetic", [True, False])
def test_a_frame_curve_has_the_bounds_pyqtgraph_gives(qapp, case, cosmetic):
    x, y = CASES[case]
    pen = pg.mkPen("r", width=3)
    pen.setCosmetic(cosmetic)
    ours, theirs = FrameCurve(pen=pen), pg.PlotCurveItem(pen=pen)
    for curve in (ours, theirs):
        curve.setData(x, y)
    for ax in (0, 1):
        np.testing.assert_array_equal(ours.dataBounds(ax), theirs.dataBounds(ax))  # NaN: none found
        np.testing.assert_array_equal(ours.dataBounds(ax, frac=0.5), theirs.dataBounds(ax, frac=0.5))
    rects = [c.boundingRect() for c in (ours, theirs)]
    np.testing.assert_array_equal(*[(r.x(), r.y(), r.width(), r.height()) for r in rects])
    # Changed points give changed bounds (nothing stale kept).
    ours.setData(x * 2, y * 2)
    theirs.setData(x * 2, y * 2)
    np.testing.assert_array_equal(ours.dataBounds(1), theirs.dataBounds(1))
