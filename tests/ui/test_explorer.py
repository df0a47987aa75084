"""The Explore menu in the window: learning-rate sweep, basins of attraction, gradient cloud.

Each picture is checked against the numbers its caption gives, each job is
cancelled with the window staying responsive and the picture before intact.
"""

import math

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, QRect, Qt
from PySide6.QtGui import QColor

from gdstudio.core import RunStatus
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui import screen_fit
from gdstudio.ui.basin_overlay import MINIMUM_COLORS, OPACITY
from gdstudio.ui.sweep_panel import STYLES

from .keys import press
from .pixels import to_array
from .test_lecture_hall import font_px

#: A job long enough to be cancelled part-way (about a minute of work).
LONG_STEPS = 100_000


def shortcut(qtbot, w, key):
    press(qtbot, w, key, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def click(qtbot, plot, x, y):
    """A left click at ``(x, y)`` in the plot's own coordinates."""
    pos = plot.mapFromScene(plot.getViewBox().mapViewToScene(QPointF(x, y)))
    qtbot.mouseClick(plot.viewport(), Qt.MouseButton.LeftButton, pos=pos)


def drawn(plot) -> list[tuple]:
    """Every point series in ``plot``: its symbol, colour and points (what a viewer sees)."""
    out = []
    for item in plot.getPlotItem().listDataItems():
        x, y = item.xData, item.yData  # as given, not as transformed for the log axes
        brush = item.opts["symbolBrush"]
        out.append((item.opts["symbol"], "" if brush is None else brush.color().name(), tuple(x), tuple(y)))
    return sorted(out)


def check_stays_responsive(qtbot, w):
    """Reset and a step reach the engine and back to the views: the GUI thread is free while a job runs."""
    c = w.controller
    with qtbot.waitSignal(c.loaded, timeout=10_000):
        c.reset()
    assert c.frame.step == 0
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.step()
    assert c.frame.step == 1


def cancel_part_way(qtbot, w, panel):
    """Press Run for a long job in ``panel``, check the window answers meanwhile, then press Cancel."""
    with qtbot.waitSignal(panel.job.progressed, timeout=30_000):
        panel.controls.run_button.click()
    assert panel.job.busy and panel.controls.cancel_button.isEnabled()
    check_stays_responsive(qtbot, w)
    process = panel.job._process
    with qtbot.waitSignal(panel.job.cancelled, timeout=5_000):
        panel.controls.cancel_button.click()
    assert not panel.job.busy and not process.is_alive()
    assert not panel.controls.cancel_button.isEnabled()
    assert "cancelled" in panel.summary.text()
    check_stays_responsive(qtbot, w)


def test_sweep_marks_rates_above_2_over_l_as_diverged_sets_a_clicked_rate_and_cancels(open_window, qtbot):
    w = open_window(RunSetup(problem="linear-regression"))
    c, panel = w.controller, w.explorer.sweep
    shortcut(qtbot, w, Qt.Key.Key_W)
    assert w.explorer.sweep_dock.isVisible()
    qtbot.waitUntil(lambda: panel.sweep is not None, timeout=30_000)
    sweep = panel.sweep
    assert len(sweep.rates) == 200 and sweep.rates[-1] / sweep.rates[0] == pytest.approx(1e4)
    limit = sweep.stability_limit
    status = sweep.outcomes.status
    # The plots show it: every rate above 2/L is drawn as a diverged mark, along the top ...
    symbol, color, words = STYLES[RunStatus.DIVERGED]
    series = {s[:2]: s for s in drawn(panel.loss_plot)}
    _, _, xs, ys = series[(symbol, QColor(color).name())]
    assert set(xs) == set(sweep.rates[status == RunStatus.DIVERGED])
    assert set(sweep.rates[sweep.rates > limit * 1.01]) <= set(xs)
    assert not any(r < 0.98 * limit for r in xs)
    assert max(ys) == min(ys) > max(y for s in series.values() if s is not series[(symbol, QColor(color).name())]
                                    for y in s[3])  # fmt: skip
    # ... as the key and the summary say, with the dashed 2/L line where theory puts it.
    assert f"{words}: {len(xs)}" in panel.key.text() and f"2/L = {limit:.3g}" in panel.key.text()
    assert [line.value() for line in panel.limit_lines] == [pytest.approx(math.log10(limit))] * 2
    # Clicking a point sets that learning rate, as the λ field would.
    chosen = sweep.rates[60]
    click(qtbot, panel.steps_plot, math.log10(chosen), sweep.budget / 2)
    qtbot.waitUntil(lambda: c.state.setup.lr == chosen)
    assert w.method_panel.lr.value() == pytest.approx(chosen, rel=1e-5)
    assert panel.lr_lines[0].value() == pytest.approx(math.log10(chosen))
    # A long sweep, cancelled: the window answers meanwhile, and the picture stays as it was.
    picture = drawn(panel.loss_plot), drawn(panel.steps_plot)
    panel.steps.setValue(LONG_STEPS)
    panel.count.setValue(2_000)
    cancel_part_way(qtbot, w, panel)
    assert panel.sweep is sweep and (drawn(panel.loss_plot), drawn(panel.steps_plot)) == picture
    # A range that is not one is refused in one line, and nothing starts.
    panel.low.set_value(0.5)
    panel.high.set_value(0.1)
    panel.controls.run_button.click()
    assert not panel.job.busy and panel.sweep is sweep
    assert w.banner.isVisible() and w.banner.text() == (
        "Learning rates must run from a positive number up to a larger one, got 0.5 to 0.1"
    )


def map_pixel(w, x, y) -> np.ndarray:
    """The colour the map shows at ``(x, y)``."""
    view = w.map_view
    rgb = to_array(view.grab().toImage())
    pos = view.mapFromScene(view.getViewBox().mapViewToScene(QPointF(x, y)))
    ratio = rgb.shape[1] / view.width()
    return rgb[round(pos.y() * ratio), round(pos.x() * ratio)].astype(int)


def test_basins_of_himmelblau_colour_each_minimum_s_neighbourhood_and_a_click_runs_there(
    open_window, qtbot, monkeypatch
):
    w = open_window(RunSetup(problem="himmelblau", lr=0.005))
    c, overlay = w.controller, w.explorer.basins
    shortcut(qtbot, w, Qt.Key.Key_B)
    assert w.explorer.basin_dock.isVisible()
    qtbot.waitUntil(lambda: overlay.basins is not None, timeout=60_000)
    basins = overlay.basins
    assert len(basins.xs) >= 128 and len(basins.minima) == 4
    image = overlay.image.image
    key = overlay.key.text()
    for i, m in enumerate(basins.minima):
        # A start beside each minimum reached it, and the map shows that minimum's colour there
        # (half a unit off, beside the star marking the minimum).
        x, y = m.location[0] + 0.5 * np.sign(-m.location[0]), m.location[1]
        start = overlay.nearest_start(x, y)
        cell = (np.searchsorted(basins.xs, start[0]), np.searchsorted(basins.ys, start[1]))
        assert basins.image()[cell] == i
        expected = QColor(MINIMUM_COLORS[i])
        assert tuple(image[cell][:3]) == (expected.red(), expected.green(), expected.blue())
        seen = map_pixel(w, x, y)
        want = np.array([expected.red(), expected.green(), expected.blue()])
        assert np.abs(seen - want).max() < 255 * (1 - OPACITY) + 12, (i, seen, want)
        # The key gives each minimum its colour and share of the starts.
        share = 100 * basins.basin_sizes()[i] / len(basins.outcomes)
        assert f"color:{MINIMUM_COLORS[i]}'>■</span>&nbsp;global minimum" in key and f"{share:.1f}%" in key
    # Colour by final loss instead: the switch changes the picture and the key.
    by_minimum = image.copy()
    overlay.by_loss.click()
    assert not np.array_equal(overlay.image.image, by_minimum) and "final loss" in overlay.key.text()
    overlay.by_minimum.click()
    assert np.array_equal(overlay.image.image, by_minimum)
    # A click on the map runs from the grid start under it, to the minimum its colour shows.
    click(qtbot, w.map_view, -3.0, -2.5)
    start = overlay.nearest_start(-3.0, -2.5)
    qtbot.waitUntil(
        lambda: c.state.setup.start == pytest.approx(start) and not c.is_loading and c.frame.step > 0
        and not c.state.running, timeout=30_000,
    )  # it ran by itself, to its end  # fmt: skip
    run = c.frame.runs[0]
    cell = (np.searchsorted(basins.xs, start[0]), np.searchsorted(basins.ys, start[1]))
    aimed = basins.minima[basins.image()[cell]].location
    assert tuple(run.history.params[0]) == start
    assert run.status is RunStatus.CONVERGED and run.params == pytest.approx(aimed, abs=1e-3)
    # A long basin map (tiny steps that do not arrive), cancelled: the window answers and the basins stay.
    c.update_setup(lr=1e-5)
    overlay.steps.setValue(LONG_STEPS)
    cancel_part_way(qtbot, w, overlay)
    assert overlay.basins is basins and np.array_equal(overlay.image.image, by_minimum)
    assert overlay.image.isVisible()
    # The presentation view hides the panel with the key: the key goes above the map, in the hall's type.
    above = w.explorer.basin_key
    assert not above.isVisible()  # the panel gives it: not twice
    screen = QRect(0, 0, 1920, 1080)
    monkeypatch.setattr(screen_fit, "screen_geometry", lambda _w: screen)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: screen)
    press(qtbot, w, Qt.Key.Key_F5)
    qtbot.waitUntil(lambda: above.isVisible() and w.size().toTuple() == (1920, 1080))
    for i, share in basins.basin_sizes().items():  # each entry whole on its line: no space to break it at
        where = ",&nbsp;".join(f"{v:.3g}" for v in basins.minima[i].location)
        entry = f"color:{MINIMUM_COLORS[i]}'>■</span>&nbsp;global&nbsp;minimum&nbsp;({where}):&nbsp;"
        assert entry + f"{100 * share / len(basins.outcomes):.1f}%" in above.text()
    assert font_px(above.font()) >= 24
    # Wrapped, not clipped, once the window has laid it out.
    qtbot.waitUntil(lambda: above.height() >= above.heightForWidth(above.width()))
    where = QRect(above.mapTo(w, QPoint(0, 0)), above.size())
    assert not where.intersects(QRect(w.map_view.mapTo(w, QPoint(0, 0)), w.map_view.size()))  # beside the map
    press(qtbot, w, Qt.Key.Key_Escape)
    assert not w.presentation.active and w.explorer.basin_dock.isVisible()
    assert not above.isVisible()


def test_rough_bowl_has_many_basins_each_its_own_colour_and_diverged_starts_are_black(open_window, qtbot):
    w = open_window(RunSetup(problem="rough-bowl"))
    overlay = w.explorer.basins
    overlay.run()
    qtbot.waitUntil(lambda: overlay.basins is not None, timeout=60_000)
    reached = overlay.basins.basin_sizes()
    assert len(reached) > 1 and overlay.key.text().count("minimum (") == len(overlay.basins.minima)
    colours = {tuple(c) for c in overlay.image.image.reshape(-1, 4)[:, :3]}
    assert len(colours) >= len(reached)  # a colour for each basin
    # Another landscape: the old basins go; plain descent past 2/L on the bowl: every start diverged, in black.
    w.controller.update_setup(problem="bowl", lr=1.5)
    qtbot.waitUntil(lambda: overlay.basins is None and not overlay.image.isVisible())
    qtbot.waitUntil(lambda: not w.controller.is_loading)
    overlay.run()
    qtbot.waitUntil(lambda: overlay.basins is not None, timeout=60_000)
    assert overlay.basins.outcomes.count(RunStatus.DIVERGED) == len(overlay.basins.outcomes)
    assert np.all(overlay.image.image[..., :3] == 0) and "diverged: 100.0%" in overlay.key.text()


def test_gradient_cloud_shows_the_batches_around_the_full_gradient_and_follows_the_batch_size(open_window, qtbot):
    w = open_window(RunSetup(problem="linear-regression", batch_size=32))
    c, view = w.controller, w.explorer.cloud
    shortcut(qtbot, w, Qt.Key.Key_G)
    assert w.explorer.actions["cloud"].isChecked() and w.explorer.cloud_dock.isVisible()
    qtbot.waitUntil(lambda: view.cloud is not None, timeout=30_000)
    cloud = view.cloud
    assert cloud.batch_size == 32 and tuple(cloud.point) == tuple(c.frame.runs[0].params)
    # The dots are minus each batch's gradient at the run's point, the arrow minus the full one,
    # to one scale; they lie around the arrow's tip.
    dots = np.column_stack(view.dots.getData())
    assert len(dots) == 200 and dots == pytest.approx(cloud.point - view.scale * cloud.gradients)
    tip = np.array(view.arrow_line.getData())[:, 1]
    assert tip == pytest.approx(cloud.point - view.scale * cloud.full_gradient)
    assert np.hypot(*(dots.mean(axis=0) - tip)) < 3 * view.scale * cloud.spread / np.sqrt(len(dots))
    for item in (view.dots, view.ellipse, view.arrow_line, view.arrow_head):
        assert item.isVisible()
    # One arrow from the run's point: the cloud's (the full gradient, to scale), not the map's
    # white downhill arrow beside it, which comes back when the cloud is put away.
    assert not w.map_view.arrow_line.isVisible() and not w.map_view.arrow_head.isVisible()
    shortcut(qtbot, w, Qt.Key.Key_G)
    assert w.map_view.arrow_line.isVisible() and not view.arrow_line.isVisible()
    shortcut(qtbot, w, Qt.Key.Key_G)
    assert view.arrow_line.isVisible() and not w.map_view.arrow_line.isVisible()
    # The numbers: measured spread beside the theory's, above the map and in the panel.
    assert w.map_view.getPlotItem().titleLabel.isVisible()
    title = w.map_view.getPlotItem().titleLabel.text
    assert f"spread {cloud.spread:.3g}" in title and f"theory {cloud.theory_spread():.3g}" in title
    # Even in large type, wider than the map, the title never widens the map past its box:
    # the whole domain stays in view.
    w.zoom_text(3.0)
    w.resize(1000, 700)
    qtbot.waitUntil(lambda: w.map_view.getPlotItem().titleLabel.itemRect().width() > w.map_view.width())

    def plot_area_inside():  # once the layout has settled
        box = w.map_view.getViewBox().sceneBoundingRect()
        return box.left() >= 0 and box.right() <= w.map_view.width()

    qtbot.waitUntil(plot_area_inside)  # the plot area is not cut off
    label = w.map_view.getPlotItem().titleLabel
    assert label.geometry().height() >= label.itemRect().height() - 0.5  # both lines in full height
    (x0, x1), _ = w.map_view.getViewBox().viewRange()
    (d0, d1), _ = c.landscape.problem.domain
    assert x0 <= d0 + 1e-9 and x1 >= d1 - 1e-9
    w.zoom_text(1 / 3.0)
    assert f"{cloud.spread:.3g}" in view.numbers.text() and f"{cloud.theory_spread():.3g}" in view.numbers.text()
    # Four times the batch: the cloud is drawn again, about half as wide.
    c.update_setup(batch_size=128)
    qtbot.waitUntil(lambda: view.cloud.batch_size == 128, timeout=30_000)
    assert view.cloud.spread / cloud.spread == pytest.approx(0.5, abs=0.1)
    assert "B = 128" in w.map_view.getPlotItem().titleLabel.text
    # Full batch at the minimum: no noise and no slope, so no arrow worth the name (it was once
    # drawn at its usual length whatever the gradient, pointing "downhill" from the bottom).
    bottom = c.landscape.minima[0].location
    c.update_setup(batch_size=None, start=bottom)
    qtbot.waitUntil(lambda: view.cloud.batch_size == 500 and tuple(view.cloud.point) == bottom, timeout=30_000)
    (d0, d1), _ = c.landscape.problem.domain
    assert view.cloud.spread < 1e-9 and np.hypot(*(view.scale * view.cloud.full_gradient)) < 0.01 * (d1 - d0)
    # An arrow too short for a head has none: a full-size head on it showed only its back beside
    # the ball, a wedge that read as pointing the other way.
    assert view.arrow_line.isVisible() and not view.arrow_head.isVisible()
    # Off: gone from the map, title and all.
    shortcut(qtbot, w, Qt.Key.Key_G)
    assert not view.dots.isVisible() and not w.map_view.getPlotItem().titleLabel.isVisible()
    # A surface has no samples: the panel says why there is no cloud.
    c.update_setup(problem="rosenbrock")
    qtbot.waitUntil(lambda: c.landscape.problem.name.lower().startswith("rosenbrock") and not c.is_loading)
    view.set_enabled(True)
    assert "no data samples" in view.numbers.text() and not view.dots.isVisible()


def test_closing_the_window_ends_a_job_under_way(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock", lr=1e-5))
    overlay = w.explorer.basins
    overlay.steps.setValue(LONG_STEPS)
    with qtbot.waitSignal(overlay.job.progressed, timeout=30_000):
        overlay.run()
    process = overlay.job._process
    w.close()
    assert not process.is_alive() and not overlay.job.busy
