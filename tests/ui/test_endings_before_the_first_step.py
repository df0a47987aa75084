"""A run that ends before its first step is told, as any other ending (the window once said nothing:
the first frame after Run was taken for a fresh load's)."""

from gdstudio.core.run_setup import RunSetup


def run_until_it_stops(w, qtbot):
    with qtbot.waitSignal(w.controller.run_finished, timeout=20_000):
        w.toolbar.run_action.trigger()


def test_a_run_that_ends_at_once_is_told_why(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl", lr=1e300))
    run_until_it_stops(w, qtbot)
    assert w.controller.frame.step == 0
    assert w.banner.isVisible() and w.banner.text().startswith("Diverged at step 1: the weights flew far off the map.")

    with qtbot.waitSignal(w.controller.loaded, timeout=20_000):
        w.controller.update_setup(problem="function", function="sqrt(x^2 + y^2)", start=(0.0, 0.0))
    assert not w.banner.isVisible()  # a fresh load clears the last ending
    run_until_it_stops(w, qtbot)
    assert w.banner.text() == (
        "Stopped at step 0 where the gradient is undefined (as at the tip of a cone): there is no slope to follow."
    )
