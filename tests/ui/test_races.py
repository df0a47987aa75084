"""Races in the explorer: the run list adds, edits, hides and removes runs, and every view shows
each run in its colour."""

from collections import Counter

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QIcon

from gdstudio.core import RunStatus
from gdstudio.core.lesson import load_scene
from gdstudio.core.race_presets import MAX_RUNS
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui import theme
from gdstudio.ui.race_panel import NAME, RACE_COLORS, STATUS

from .pixels import to_array


def settled(c, qtbot, runs: int) -> None:
    qtbot.waitUntil(lambda: not c.is_loading and c.frame is not None and len(c.frame.runs) == runs, timeout=20_000)


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def select(panel, i: int) -> None:
    panel.tree.setCurrentItem(panel.tree.topLevelItem(i))


def tick(panel, i: int, shown: bool) -> None:
    """Tick or untick run ``i``'s box in the list, as a click on it does."""
    panel.tree.topLevelItem(i).setCheckState(NAME, Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)


def vanished(before: np.ndarray, after: np.ndarray, color: str, tol: int = 30) -> int:
    """Pixels of ``color`` in ``before`` that are another colour in ``after`` (a run hidden)."""
    target = np.array([int(color[i : i + 2], 16) for i in (1, 3, 5)])
    near = [np.abs(p.astype(int) - target).max(axis=2) <= tol for p in (before, after)]
    return int((near[0] & ~near[1]).sum())


def pictures(w) -> dict[str, np.ndarray]:
    """What the map, the loss curve and the data view show now."""
    w.view_area.draw(w.controller.frame)
    return {name: to_array(view.grab().toImage()) for name, view in
            (("map", w.map_view), ("loss", w.loss_view), ("data", w.fit_view))}  # fmt: skip


def test_a_race_is_built_edited_shown_and_hidden_from_the_run_list(open_window, qtbot):
    w = open_window(RunSetup(problem="linear-regression", lr=0.02))
    c, panel = w.controller, w.race_panel
    assert panel.tree.topLevelItemCount() == 1 and not w.view_area.run_legend.isVisible()

    # Add: a second run (gradient descent at the suggested λ, 0.05) at the same start; the panels now edit it.
    click(qtbot, panel.add_button)
    settled(c, qtbot, 2)
    assert panel.tree.topLevelItemCount() == 2 and c.selected_run == 1
    assert c.setups[1].start == c.setups[0].start
    # Editing the selected run's optimiser and method edits that run only.
    index = w.method_panel.optimizer.findData("adam")
    w.method_panel.optimizer.setCurrentIndex(index)
    w.method_panel.optimizer.activated.emit(index)
    settled(c, qtbot, 2)
    w.method_panel.methods.button(1).click()  # stochastic
    settled(c, qtbot, 2)
    assert [(s.optimizer, s.batch_size) for s in c.setups] == [("gd", None), ("adam", 1)]
    # The name follows the run's settings until the user names it; the legend gives its λ.
    assert panel.tree.topLevelItem(1).text(NAME) == "Adam, stochastic"
    assert "Adam, stochastic, λ 0.05" in w.view_area.run_legend.text().replace("&nbsp;", " ")

    # Duplicate, then give the copy a larger λ (live: nothing reloads), a name and a colour.
    click(qtbot, panel.copy_button)
    settled(c, qtbot, 3)
    assert c.selected_run == 2 and c.setups[2] == c.setups[1]
    w.method_panel.methods.button(0).click()  # full batch, so its path is its own
    settled(c, qtbot, 3)
    w.method_panel.lr.changed.emit(0.2)
    assert [s.lr for s in c.setups] == [0.02, None, 0.2] and not c.is_loading
    panel.tree.topLevelItem(2).setText(NAME, "bold Adam")  # what editing the name in the list does
    panel.recolor(2, "#000000")
    assert [panel.tree.topLevelItem(i).text(NAME) for i in range(3)] == ["Gradient descent, full batch",
                                                                         "Adam, stochastic", "bold Adam"]  # fmt: skip
    c.set_max_steps(10)
    with qtbot.waitSignal(c.run_finished, timeout=20_000):
        c.play()
    # Each run's own steps: 10 rounds are 10 full batches or 10 epochs of single samples.
    qtbot.waitUntil(lambda: [panel.tree.topLevelItem(i).text(1) for i in range(3)]
                    == ["paused 10", "paused 5,000", "paused 10"])  # fmt: skip
    assert [r.label for r in c.frame.runs] == ["Gradient descent, full batch", "Adam, stochastic", "bold Adam"]
    legend = w.view_area.run_legend.text()
    colors = [RACE_COLORS[0], RACE_COLORS[1], "#000000"]
    assert all(f"color:{color}" in legend for color in colors) and "bold&nbsp;Adam,&nbsp;λ&nbsp;0.2" in legend

    # Every view draws each run in its colour: hiding a run takes its colour out of each.
    w.loss_view.x_axis.setCurrentIndex(2)  # against samples processed: each curve across the plot
    shown = pictures(w)
    for i, color in enumerate(colors):
        tick(panel, i, False)
        assert len(w.loss_view._full) >= 2 and f"color:{color}" not in w.view_area.run_legend.text()
        hidden = pictures(w)
        for view, picture in shown.items():
            assert vanished(picture, hidden[view], color) > 30, (view, i)
        tick(panel, i, True)
    # One run always stays shown.
    tick(panel, 0, False)
    tick(panel, 1, False)
    tick(panel, 2, False)
    assert panel.tree.topLevelItem(2).checkState(NAME) == Qt.CheckState.Checked
    assert "One run stays shown" in w.banner.text()
    assert len(w.map_view._paths) >= 1 and sum(p.isVisible() for p in w.map_view._paths) == 1

    # Remove the selected run: the others stay as they were.
    for i in range(3):
        tick(panel, i, True)
    select(panel, 1)
    # The selected row's swatch is its run's own colour, not tinted by the selection.
    swatch = panel.tree.topLevelItem(1).icon(NAME).pixmap(16, 16, QIcon.Mode.Selected).toImage()
    assert swatch.pixelColor(8, 8).name().upper() == colors[1].upper()
    click(qtbot, panel.remove_button)
    settled(c, qtbot, 2)
    assert [r.label for r in c.frame.runs] == ["Gradient descent, full batch", "bold Adam"]
    assert [s.lr for s in c.setups] == [0.02, 0.2] and c.selected_run == 1
    assert f"color:{RACE_COLORS[1]}" not in w.view_area.run_legend.text()


def test_presets_race_fairly_and_a_race_saved_as_a_scene_comes_back(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="linear-regression", lr=0.02))
    c, panel = w.controller, w.race_panel
    click(qtbot, panel.preset_buttons["compare methods"])
    settled(c, qtbot, 3)
    assert [s.batch_size for s in c.setups] == [None, 1, 32]
    assert w.loss_view.x_axis.currentText().lower() == "samples processed"  # the equal budget is stated on the axis
    c.set_max_steps(2)
    with qtbot.waitSignal(c.run_finished, timeout=20_000):
        c.play()
    # The full batch's smooth curve is drawn over the stochastic run's noisy one, not hidden in it.
    full, stochastic, mini = (curve.zValue() for curve in w.loss_view._full[:3])
    assert full > mini > stochastic
    click(qtbot, panel.preset_buttons["compare learning rates"])
    settled(c, qtbot, 4)
    rates = [s.lr for s in c.setups]
    assert rates == sorted(rates) and {0.002, 0.02, 0.2} <= set(rates)
    loss = [curve.opts["pen"].color().name().lower() for curve in w.loss_view._full[:4]]
    assert loss == [theme.ordered_color(i, 4).lower() for i in range(4)]  # λ small → large reads from colour
    click(qtbot, panel.preset_buttons["compare optimisers"])
    settled(c, qtbot, 6)
    assert [s.optimizer for s in c.setups] == ["gd", "momentum", "nesterov", "adagrad", "rmsprop", "adam"]
    # At most eight runs.
    for _ in range(3):
        click(qtbot, panel.copy_button)
        qtbot.waitUntil(lambda: not c.is_loading, timeout=20_000)
    assert len(c.setups) == MAX_RUNS and "A race has at most 8 runs" in w.banner.text()
    assert len({panel.looks()[i].color for i in range(MAX_RUNS)}) == MAX_RUNS

    # Save as scene keeps the race: its runs, their names and λ.
    select(panel, 3)
    w.method_panel.lr.changed.emit(0.5)
    path = w.lesson.save_current("My race")
    scene = load_scene(path)
    assert list(scene.runs) == c.setups
    assert scene.labels[3] == "AdaGrad, λ 0.5" and scene.labels[0].startswith("Gradient descent, λ")
    # Opened outside a lesson (as an experiment file is), the legend gives each run's λ as it is now.
    adagrad = c.frame.runs[3].history
    w.lesson.show_scene(scene)
    qtbot.waitUntil(lambda: not c.is_loading and c.frame.runs[3].history is not adagrad, timeout=20_000)
    assert panel.tree.topLevelItem(3).text(NAME) == "AdaGrad, λ 0.5"
    # Runs keep the scene's names (a run the scene means to diverge is known by its name).
    assert [r.label for r in c.frame.runs] == list(scene.labels)
    select(panel, 3)
    w.method_panel.lr.changed.emit(0.25)
    assert "AdaGrad,&nbsp;λ&nbsp;0.25" in w.view_area.run_legend.text()
    assert w.view_area.run_legend.text().count("λ") == MAX_RUNS


def test_a_surface_refuses_the_methods_race_and_a_lesson_takes_the_list_over(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock"))
    c, panel = w.controller, w.race_panel
    click(qtbot, panel.preset_buttons["compare methods"])
    assert "needs a dataset landscape" in w.banner.text() and len(c.setups) == 1
    w.lesson.open("12")  # the optimisers on Rosenbrock (scene 11 before the lessons were renumbered)
    settled(c, qtbot, 6)
    assert not panel.tree.isEnabled() and panel.tree.topLevelItemCount() == 6
    # The scene's own colours and names, not the explorer's.
    assert w.view_area.run_legend.text().count("λ") == 6
    w.lesson.leave()
    settled(c, qtbot, 1)
    assert panel.tree.isEnabled() and panel.tree.topLevelItemCount() == 1


@pytest.mark.gl
def test_the_3d_view_draws_each_run_of_a_race_in_its_colour(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock", start=(-1.5, 2.0)), gl=True)
    c, panel = w.controller, w.race_panel
    qtbot.waitUntil(w.surface_view.view.isValid, timeout=10_000)
    click(qtbot, panel.preset_buttons["compare optimisers"])
    settled(c, qtbot, 6)
    c.set_max_steps(300)
    with qtbot.waitSignal(c.run_finished, timeout=20_000):
        c.play()
    colors = [look.color for look in panel.looks()]
    assert colors == list(RACE_COLORS[:6])

    def picture():
        w.view_area.draw(c.frame)
        return to_array(w.surface_view.render_image())

    shown = picture()
    for i, color in enumerate(colors):
        tick(panel, i, False)
        assert vanished(shown, picture(), color) >= 10, i  # runs overlap: some are mostly covered
        tick(panel, i, True)


def test_a_race_going_flat_out_changes_its_numbers_without_laying_the_window_out_again(open_window, qtbot):
    """Laying the window out again on every frame cost a race a third of its frame budget: the
    numbers that change with each frame (the loss under the curve, the run list's steps) are
    drawn in place."""
    w = open_window(RunSetup(problem="rosenbrock"))
    c, panel = w.controller, w.race_panel
    # Rates so small that no run ends (an ending is news: the window may make room to say it).
    c.set_runs([RunSetup(problem="rosenbrock", optimizer=name, lr=1e-7) for name in ("gd", "momentum", "adam")])
    settled(c, qtbot, 3)
    c.set_speed(None)
    c.set_max_steps(10**8)
    frames, layouts = [], Counter()

    class Layouts(QObject):
        def eventFilter(self, obj, event):  # noqa: N802 (Qt's name)
            if event.type() == QEvent.Type.LayoutRequest and len(frames) > 2:  # after Play's own changes
                layouts[type(obj).__name__] += 1
            return False

    spy = Layouts()
    for widget in (w, w.view_area, w.loss_view):
        widget.installEventFilter(spy)
    c.frame_ready.connect(frames.append)
    c.play()
    qtbot.waitUntil(lambda: len(frames) >= 30, timeout=20_000)
    c.pause()
    for widget in (w, w.view_area, w.loss_view):
        widget.removeEventFilter(spy)
    assert all(r.status is RunStatus.RUNNING for r in c.frame.runs)
    assert not layouts, layouts
    # The numbers did change in place, and the list's steps caught up once paused.
    run = c.frame.runs[c.selected_run]
    assert w.readouts.values["loss"].text() == f"{run.loss:.6g}"
    # A race's losses are each its own: no lone "loss" beside the curves, that was the first run's.
    assert not w.loss_view.caption.isVisible()
    steps = int(c.frame.runs[0].history.column("step")[-1])
    assert panel.tree.topLevelItem(0).text(STATUS) == f"paused {steps:,}"
