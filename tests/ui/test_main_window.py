"""Drive the real window with the mouse and keyboard, as a lecturer would."""

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt

from gdstudio.core import RunStatus
from gdstudio.core.optimizers import OPTIMIZERS
from gdstudio.core.run_setup import RunSetup

from .keys import press


def type_into(qtbot, field, text):
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def test_descent_methods_by_widgets(open_window, qtbot):
    w = open_window(RunSetup(problem="linear-regression"))
    c, panel = w.controller, w.method_panel
    panel.methods.button(1).click()
    qtbot.waitUntil(lambda: c.state.setup.batch_size == 1 and not c.is_loading)
    assert c.method == "stochastic"
    panel.methods.button(2).click()
    qtbot.waitUntil(lambda: (c.state.setup.batch_size or 0) > 1 and not c.is_loading)
    type_into(qtbot, panel.batch_size.lineEdit(), "64")
    qtbot.waitUntil(lambda: c.state.setup.batch_size == 64)
    panel.presets.setCurrentIndex(5)
    panel.presets.activated.emit(5)
    qtbot.waitUntil(lambda: c.state.setup.batch_size == 128)
    assert c.method == "mini-batch 128"
    panel.methods.button(0).click()
    qtbot.waitUntil(lambda: c.state.setup.batch_size is None and not c.is_loading)
    assert c.method == "full batch"


def test_batch_size_is_explained_away_on_surfaces(open_window):
    w = open_window(RunSetup(problem="rosenbrock"))
    panel = w.method_panel
    assert not any(b.isEnabled() for b in panel.methods.buttons())
    assert panel.batch_note.isVisible() and "exact gradient" in panel.batch_note.text()


def test_every_optimizer_by_the_chooser(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    c, panel = w.controller, w.method_panel
    for i, (name, cls) in enumerate(OPTIMIZERS.items()):
        panel.optimizer.setCurrentIndex(i)
        panel.optimizer.activated.emit(i)
        qtbot.waitUntil(lambda name=name: c.state.setup.optimizer == name and not c.is_loading)
        assert list(panel.hyper_fields) == list(cls.hyperparameters())
        with qtbot.waitSignal(c.frame_ready, timeout=5_000):
            c.step()
        assert c.frame.step == 1
    type_into(qtbot, panel.hyper_fields["beta1"], "0.5")
    qtbot.waitUntil(lambda: c.state.setup.hyper == {"beta1": 0.5})


def test_learning_rate_by_field_and_slider(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    c, lr = w.controller, w.method_panel.lr
    type_into(qtbot, lr.field, "0.02")
    qtbot.waitUntil(lambda: c.state.setup.lr == 0.02)
    tick = lr.slider.value()
    lr.slider.triggerAction(lr.slider.SliderAction.SliderSingleStepAdd)
    assert lr.slider.value() == tick + 1
    qtbot.waitUntil(lambda: c.state.setup.lr == pytest.approx(0.02 * 10**0.01, rel=0.01))


def test_bad_values_get_one_clear_message_and_change_nothing(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    c = w.controller
    type_into(qtbot, w.method_panel.lr.field, "abc")
    assert "'abc' is not a number" in w.banner.text()
    type_into(qtbot, w.method_panel.lr.field, "50")
    assert "between 1e-05 and 10" in w.banner.text()
    assert c.state.setup.lr == 0.1 and w.method_panel.lr.field.text() == "0.1"
    type_into(qtbot, w.start_panel.fields[0], "nan")
    assert "Start w1 must be a finite number, got nan" in w.banner.text()
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.step()  # the app keeps working


def test_broken_data_file_is_reported_and_the_data_kept(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="linear-regression"))
    bad = tmp_path / "bad.csv"
    bad.write_text("x,y\n1,2\n2,oops\n")
    source = w.problem_panel.source.text()
    w.controller.update_setup(data=bad)
    qtbot.waitUntil(lambda: "line 3" in w.banner.text(), timeout=5_000)
    assert "bad.csv" in w.banner.text()
    assert w.problem_panel.source.text() == source and w.controller.state.setup.data is None


def test_keyboard_and_buttons_drive_the_run(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock", lr=1e-4))
    c = w.controller
    w.controller.set_speed(50)
    press(qtbot, w, Qt.Key.Key_Space)
    assert c.state.running and w.toolbar.run_action.text() == "Pause"
    qtbot.waitUntil(lambda: c.frame.step > 2, timeout=5_000)
    press(qtbot, w, Qt.Key.Key_Space)
    assert not c.state.running
    # Frames sent before the pause may still be on their way: start stepping from a reset.
    press(qtbot, w, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: not c.is_loading and c.frame.step == 0)
    step = 0
    press(qtbot, w, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: c.frame.step == step + 1)
    press(qtbot, w, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: c.frame.step == step + 2)
    assert w.readouts.values["step"].text() == str(step + 2)
    press(qtbot, w, Qt.Key.Key_R)
    qtbot.waitUntil(lambda: c.frame.step == 0)
    w.toolbar.widgetForAction(w.toolbar.step_action).click()
    qtbot.waitUntil(lambda: c.frame.step == 1)
    w.toolbar.widgetForAction(w.toolbar.run_action).click()
    assert c.state.running
    w.toolbar.widgetForAction(w.toolbar.run_action).click()
    assert not c.state.running
    w.toolbar.widgetForAction(w.toolbar.reset_action).click()
    qtbot.waitUntil(lambda: c.frame.step == 0)
    assert w.readouts.badge.text() == "paused"


def test_click_on_the_map_sets_the_start(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    view = w.map_view
    scene = view.getViewBox().mapViewToScene(QPointF(1.0, -1.5))
    pos = view.mapFromScene(scene)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=pos)
    qtbot.waitUntil(lambda: w.controller.state.setup.start is not None and not w.controller.is_loading)
    x, y = w.controller.state.setup.start
    pixel = 6 / view.width()  # the domain is 6 wide
    assert abs(x - 1.0) < 3 * pixel and abs(y + 1.5) < 3 * pixel
    assert w.controller.frame.runs[0].params == pytest.approx([x, y])
    assert float(w.start_panel.fields[0].text()) == pytest.approx(x, abs=1e-4)


def test_a_diverging_run_stops_with_a_message_and_no_nan_plotted(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl", lr=1.5))
    assert "past it" in w.method_panel.lr.limit.text()  # 2/L = 1 for x² + y²
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    assert w.controller.frame.runs[0].status is RunStatus.DIVERGED
    assert "Diverged at step" in w.banner.text() and "too large" in w.banner.text()
    assert w.readouts.badge.text().startswith("diverged\n")
    _x, y = w.loss_view._full[0].getData()
    assert len(y) > 3 and np.isfinite(y).all()


def test_switching_landscape_mid_run(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock", lr=1e-4))
    c = w.controller
    c.set_speed(100)
    c.play()
    qtbot.waitUntil(lambda: c.frame.step > 3, timeout=5_000)
    w.problem_panel.choose("styblinski-tang")
    qtbot.waitUntil(lambda: c.landscape.problem.name == "styblinski-tang", timeout=10_000)
    assert c.frame.step == 0 and not c.state.running
    assert w.map_view.getPlotItem().getAxis("bottom").labelText == "x"
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    assert "Stuck at step" in w.banner.text() and "local minimum" in w.banner.text()


def test_closing_mid_run_stops_the_engine(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock", lr=1e-5))
    c = w.controller
    c.play()
    qtbot.waitUntil(lambda: c.frame.step > 100, timeout=5_000)
    w.close()
    assert not c.engine_running


def test_dataset_views_show_data_fit_and_batch_loss(open_window, qtbot):
    w = open_window(RunSetup(problem="linear-regression", batch_size=8, lr=0.02))
    c = w.controller
    c.set_max_steps(200)
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    assert w.fit_view.isVisible()
    xs, ys = w.fit_view.fits[0].getData()
    wgt, b = c.frame.runs[0].params
    np.testing.assert_allclose(ys, wgt * xs + b)
    w.loss_view.x_axis.setCurrentIndex(2)  # samples processed
    x, _ = w.loss_view._full[0].getData()
    # 63 batches an epoch (62 of 8 and one of 4): 3 epochs in 189 steps, then 11 batches of 8.
    assert x[-1] == c.frame.samples == 3 * 500 + 11 * 8
    _, batch = w.loss_view._batch[0].getData()
    assert len(batch) == 200


def test_export_run(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    w.export_run(tmp_path / "run.csv")
    lines = (tmp_path / "run.csv").read_text().splitlines()
    assert lines[0].startswith("step,w1,w2,loss") and len(lines) == w.controller.frame.step + 2
    w.export_run(tmp_path / "missing" / "run.csv")
    assert "Could not export" in w.banner.text()


def test_without_opengl_the_3d_pane_says_why(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    assert w.surface_view is None
    assert "3D view is not available" in w.view_area.surface_widget.text()
    # Before the first step there is no last step: a dash, not "-0" from the start point times zero.
    assert [w.readouts.values[k].text() for k in ("d0", "d1", "batch loss")] == ["–", "–", "–"]
    with qtbot.waitSignal(w.controller.frame_ready, timeout=5_000):
        w.controller.step()
    assert w.readouts.values["step"].text() == "1"
    update = w.controller.frame.runs[0].update
    assert w.readouts.values["d0"].text() == f"{update[0]:+.4g}" != "–"


def test_every_control_explains_itself(open_window):
    from PySide6.QtWidgets import QAbstractButton, QAbstractSlider, QAbstractSpinBox, QComboBox, QLineEdit

    w = open_window(RunSetup(problem="linear-regression"))
    kinds = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractSlider)
    silent = []
    for widget in (x for kind in kinds for x in w.findChildren(kind)):
        if (
            not widget.isVisibleTo(w)
            or widget.parent() is None
            or (widget.inherits("QToolButton") and not widget.text())
        ):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QAbstractSpinBox, QComboBox)):
            continue
        if not widget.toolTip() and not widget.objectName().startswith("qt_"):
            silent.append(f"{type(widget).__name__} {getattr(widget, 'text', lambda: '')()!r}")
    assert not silent, silent


def test_your_own_function_is_typed_loaded_and_descended(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    c, panel = w.controller, w.problem_panel
    assert not panel.formula.isVisibleTo(w)
    panel.choose("function")  # the chooser offers a formula to start from
    qtbot.waitUntil(lambda: c.landscape.problem.name == "function", timeout=20_000)
    assert panel.formula.isVisibleTo(w) and panel.formula.text() == c.state.setup.function
    type_into(qtbot, panel.formula, "(x - 1)^2 + 2*(y + 2)^2")
    qtbot.waitUntil(lambda: "(x - 1)^2" in c.landscape.problem.title, timeout=20_000)
    assert "press Enter" in panel.description.text() and "sqrt" in panel.description.text()  # what may be typed
    np.testing.assert_allclose([m.location for m in c.landscape.minima], [(1.0, -2.0)], atol=1e-6)
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    assert "Converged at step" in w.banner.text()

    # A typo: one clear message, the text stays to be corrected, the surface stays.
    type_into(qtbot, panel.formula, "(x - 1)^2 + q")
    assert "found 'q'" in w.banner.text()
    assert panel.formula.text() == "(x - 1)^2 + q" and "(x - 1)^2 + 2*(y + 2)^2" in c.landscape.problem.title
    # Text only sympy can judge comes back from the engine, with the surface kept too.
    type_into(qtbot, panel.formula, "x y")
    qtbot.waitUntil(lambda: "read the function 'x y'" in w.banner.text(), timeout=20_000)
    assert "missing" in w.banner.text()
    assert c.state.setup.function == "(x - 1)^2 + 2*(y + 2)^2"
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.reset()


def test_a_typed_plane_with_no_minimum_still_draws_its_loss(open_window, qtbot):
    w = open_window(RunSetup(problem="function", function="x + y", lr=0.1))
    c = w.controller
    c.set_max_steps(40)
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    x, y = w.loss_view._full[0].getData()
    assert len(x) == 41 and np.all(np.isfinite(y)) and np.all(np.diff(y) < 0)  # straight downhill


def test_zooming_into_the_loss_curve_shows_every_step_there(open_window, qtbot):
    w = open_window(RunSetup(problem="linear-regression", batch_size=4, lr=0.02))
    c, view = w.controller, w.loss_view
    c.set_max_steps(6_000)  # enough to be thinned when whole
    with qtbot.waitSignal(c.run_finished, timeout=30_000):
        c.play()
    whole_x, _ = view._batch[0].getData()
    assert len(whole_x) <= 4 * 400 + 3  # the whole run, thinned
    box = view.plot.getPlotItem().getViewBox()
    box.setXRange(5_000, 5_200, padding=0)
    box.sigRangeChangedManually.emit([True, True])  # as a mouse wheel or drag does
    x, y = view._batch[0].getData()
    steps = x[(x >= 5_000) & (x <= 5_200)]
    np.testing.assert_array_equal(steps, np.arange(5_000, 5_201))  # every step in view
    batch = c.frame.runs[0].history.column("batch_loss")[5_000:5_201]
    np.testing.assert_allclose(10 ** y[(x >= 5_000) & (x <= 5_200)], batch, rtol=1e-9)  # log axis
    assert box.viewRange()[0] == pytest.approx([5_000, 5_200])  # frames do not undo the zoom
    view._on_click(type("DoubleClick", (), {"double": lambda self: True})())
    assert not view.zoomed and len(view._batch[0].getData()[0]) <= 4 * 400 + 3


def test_the_loss_curve_fits_a_run_that_has_stopped(open_window, qtbot):
    # While a run goes on, the step axis grows in doublings; once it stops, the curve fills the plot.
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    c, box = w.controller, w.loss_view.plot.getPlotItem().getViewBox()
    c.set_max_steps(10_000)
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    qtbot.waitUntil(lambda: c.frame.runs[0].status is RunStatus.CONVERGED)
    last = c.frame.runs[0].finished_at
    assert 50 < last < 500  # converged long before max steps, at no power of two
    low, high = box.viewRange()[0]
    assert high == pytest.approx(last, rel=0.05) and low <= 0
