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


def test_the_loss_under_the_curve_fits_its_longest_number_at_every_text_size(qtbot):
    """The number keeps a fixed size (so each frame does not lay the window out again): it must
    still fit the longest loss, in the type the lecturer zoomed to."""
    from gdstudio.ui import theme
    from gdstudio.ui.loss_curve_view import LossCurveView

    view = LossCurveView()
    qtbot.addWidget(view)
    longest = f"loss {-1.2345e300:.4g}"
    widths = []
    try:
        for scale in (1.0, 2.5):
            theme.set_text_scale(scale)
            theme.restyle_widgets(view)
            view.caption.setText(longest)
            widths.append(view.caption.width())
            assert view.caption.fontMetrics().horizontalAdvance(longest) <= view.caption.contentsRect().width()
    finally:
        theme.set_text_scale(1.0)
    assert widths[1] > 2 * widths[0]  # it grew with the type


def test_steps_and_samples_are_counted_in_wholes_on_the_x_axis(qtbot):
    """A new run's axis read 0.2, 0.4, ... steps; epochs may be fractions."""
    from gdstudio.ui.loss_curve_view import LossCurveView

    view = LossCurveView()
    qtbot.addWidget(view)
    axis = view.plot.getPlotItem().getAxis("bottom")
    assert all(step >= 1 for step, _ in axis.tickSpacing(0.0, 1.0, 500))
    view.x_axis.setCurrentIndex(1)  # epochs
    assert min(step for step, _ in axis.tickSpacing(0.0, 1.0, 500)) < 1
