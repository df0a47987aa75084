"""The loss curve's y axis is calm: it moves only when a curve leaves it or fills too little of it."""

import numpy as np


def test_a_flat_curve_falling_slowly_keeps_its_axis(qtbot):
    from gdstudio.ui.loss_curve_view import LossCurveView

    view = LossCurveView()
    qtbot.addWidget(view)
    # A loss barely falling (less than a decade: the least span a log axis shows), frame after frame.
    ranges = []
    for frame in range(20):
        view._snap_y_range(True, [np.array([100.0, 100.0 - 0.5 * frame])])
        ranges.append(view.plot.getPlotItem().getViewBox().viewRange()[1])
    assert all(r == ranges[0] for r in ranges), "the y axis was laid out again while the curve stayed in it"


def test_a_curve_leaving_the_axis_moves_it(qtbot):
    from gdstudio.ui.loss_curve_view import LossCurveView

    view = LossCurveView()
    qtbot.addWidget(view)
    view._snap_y_range(True, [np.array([100.0, 90.0])])
    view._snap_y_range(True, [np.array([100.0, 1e-3])])
    lo, hi = view.plot.getPlotItem().getViewBox().viewRange()[1]
    assert lo <= -3 <= 2 <= hi
