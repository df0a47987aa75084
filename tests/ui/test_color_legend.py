"""The surface's colour key says when its colours follow the log of the loss."""

import numpy as np

from gdstudio.core.loss_grid import LossGrid
from gdstudio.core.problems import SURFACE_PROBLEMS
from gdstudio.ui.color_legend import ColorLegend
from gdstudio.ui.loss_scale import LossScale


def test_the_colour_key_says_log_where_the_colours_follow_the_log_of_the_loss(qtbot):
    legend = ColorLegend()
    qtbot.addWidget(legend)
    for name, log in (("rosenbrock", True), ("bowl", False)):
        scale = LossScale(LossGrid.compute(SURFACE_PROBLEMS[name]).Z)
        legend.set_scale(scale)
        assert scale.log == log, name
        assert legend.title() == ("loss (log)" if log else "loss")
        assert ("log scale" in legend.toolTip()) == log
        # The values down the bar are the losses themselves, evenly spread in colour, not in loss.
        values = scale.inverse(np.linspace(0, 1, 6))
        steps = np.diff(values)
        assert (steps[-1] > 10 * steps[0]) == log
