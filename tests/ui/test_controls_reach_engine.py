"""Every control on the panels and the toolbar, used as a lecturer would, changes what the engine does.

Each check looks at what came back from the engine process (the landscape it built, the
weights after its next step, where it stopped), never at the controller's own copy of the
set-up: a control whose change stopped reaching the engine fails here.
"""

from dataclasses import replace

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gdstudio.core.optimizers import OPTIMIZERS
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.run_toolbar import SPEEDS
from tests.reference_run import params_after

DATASET = RunSetup(problem="linear-regression")
SURFACE = RunSetup(problem="ravine", optimizer="gd", lr=0.01, start=(-2.0, 1.5))


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key.Key_Return)


def settled(c, qtbot) -> None:
    """Wait until the engine has loaded what the controls now say."""
    qtbot.waitUntil(lambda: not c.is_loading, timeout=20_000)


def one_step(c, qtbot) -> None:
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.step()


def assert_next_step_is(c, qtbot, setup: RunSetup, case: str = "") -> None:
    """The engine's next step (from the start) is ``setup``'s first."""
    assert c.frame.step == 0, case
    one_step(c, qtbot)
    np.testing.assert_allclose(c.frame.runs[0].params, params_after(setup, 1), rtol=1e-12, err_msg=case)


# --- the landscape panel --------------------------------------------------------------------


def test_landscape_chooser(open_window, qtbot):
    w = open_window(DATASET)
    c, panel = w.controller, w.problem_panel
    for name in ("himmelblau", "wave-fit", "rosenbrock"):
        index = panel.choice.findData(name, 257)
        panel.choice.setCurrentIndex(index)
        panel.choice.activated.emit(index)
        settled(c, qtbot)
        assert c.landscape.problem.name == name


def test_typed_formula(open_window, qtbot):
    w = open_window(SURFACE)
    c, panel = w.controller, w.problem_panel
    panel.choose("function")
    settled(c, qtbot)
    type_into(qtbot, panel.formula, "(x - 1)^2 + 3*y^2")
    qtbot.waitUntil(lambda: not c.is_loading and "(x - 1)^2" in c.landscape.problem.title, timeout=20_000)
    np.testing.assert_allclose(c.landscape.problem.loss(np.array([[1.0, 0.0], [0.0, 1.0]])), [0.0, 4.0])


def test_generated_data_fields(open_window, qtbot):
    w = open_window(DATASET)
    c = w.controller
    setup = DATASET
    for box, text, changes in (("samples", "300", {"samples": 300}), ("noise", "2.5", {"noise": 2.5}),
                               ("seed", "7", {"seed": 7})):  # fmt: skip
        setup = replace(setup, **changes)
        type_into(qtbot, getattr(w.problem_panel, box).lineEdit(), text)
        qtbot.waitUntil(lambda: not c.is_loading and c.state.setup == setup, timeout=20_000)  # noqa: B023
        expected = setup.make_problem().data
        np.testing.assert_array_equal(c.landscape.problem.data.x, expected.x, err_msg=box)  # the engine made these
        np.testing.assert_array_equal(c.landscape.problem.data.y, expected.y, err_msg=box)


def test_load_csv_and_back_to_generated_data(open_window, qtbot, tmp_path, monkeypatch):
    csv = tmp_path / "points.csv"
    csv.write_text("x,y\n" + "".join(f"{x},{2 * x + 1}\n" for x in range(12)))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(csv), "")))
    w = open_window(DATASET)
    c, panel = w.controller, w.problem_panel
    panel.load_csv.click()
    settled(c, qtbot)
    np.testing.assert_array_equal(c.landscape.problem.data.x, np.arange(12.0))
    panel.generated.click()
    settled(c, qtbot)
    assert c.landscape.problem.n_samples == 500


# --- the start panel and the map ----------------------------------------------------------


def test_start_fields_default_button_and_map(open_window, qtbot):
    w = open_window(SURFACE)
    c, panel = w.controller, w.start_panel
    type_into(qtbot, panel.fields[0], "1.5")
    type_into(qtbot, panel.fields[1], "-0.5")
    qtbot.waitUntil(lambda: not c.is_loading and c.state.setup.start == (1.5, -0.5), timeout=20_000)
    np.testing.assert_allclose(c.frame.runs[0].params, [1.5, -0.5])
    panel.default.click()
    settled(c, qtbot)
    np.testing.assert_allclose(c.frame.runs[0].params, c.landscape.problem.default_start)
    w.map_view.start_chosen.emit(0.5, 0.25)  # a click on the map
    settled(c, qtbot)
    np.testing.assert_allclose(c.frame.runs[0].params, [0.5, 0.25])


# --- the method panel ----------------------------------------------------------------------


def test_descent_method_batch_size_and_presets(open_window, qtbot):
    w = open_window(DATASET)
    c, panel = w.controller, w.method_panel

    def samples_in_one_step() -> int:
        settled(c, qtbot)
        one_step(c, qtbot)
        return c.frame.samples  # counted by the engine

    panel.methods.button(1).click()
    assert samples_in_one_step() == 1
    panel.methods.button(2).click()
    assert samples_in_one_step() == panel.batch_size.value()
    type_into(qtbot, panel.batch_size.lineEdit(), "64")
    qtbot.waitUntil(lambda: c.state.setup.batch_size == 64)
    assert samples_in_one_step() == 64
    index = panel.presets.findText("16")
    panel.presets.activated.emit(index)
    assert samples_in_one_step() == 16
    panel.methods.button(0).click()
    assert samples_in_one_step() == 500


def test_optimizer_chooser(open_window, qtbot):
    w = open_window(replace(SURFACE, optimizer="adam"))
    c, panel = w.controller, w.method_panel
    for optimizer in OPTIMIZERS:  # each a change from the one before, adam to gd first
        index = panel.optimizer.findData(optimizer)
        panel.optimizer.setCurrentIndex(index)
        panel.optimizer.activated.emit(index)
        settled(c, qtbot)
        assert_next_step_is(c, qtbot, replace(SURFACE, optimizer=optimizer), optimizer)


def test_learning_rate_field_and_slider(open_window, qtbot):
    w = open_window(SURFACE)
    c, lr = w.controller, w.method_panel.lr
    type_into(qtbot, lr.field, "0.05")
    assert_next_step_is(c, qtbot, replace(SURFACE, lr=0.05))
    c.reset()
    settled(c, qtbot)
    lr.slider.setValue(lr.slider.value() - 100)  # a decade down, as keys or a click on the groove do
    assert lr.value() == pytest.approx(0.005, rel=0.01)  # the slider's rate, as shown
    assert_next_step_is(c, qtbot, replace(SURFACE, lr=lr.value()))


#: A value for each hyperparameter field that changes the next step.
NEW_VALUE = {"momentum": 0.3, "lr_decay": 2.0, "initial_accumulator": 50.0, "eps": 5.0, "alpha": 0.3}
NEW_VALUE |= {"beta1": 0.3, "beta2": 0.3}


def test_hyperparameter_fields(open_window, qtbot):
    """Each optimiser's every field, typed three steps into a run, changes the fourth step.

    One window takes every case in turn (each set up through the controller, then typed into).
    """
    w = open_window(SURFACE)
    c = w.controller
    for optimizer, cls in OPTIMIZERS.items():
        for name in cls.hyperparameters():
            case = f"{optimizer} {name}"
            # A value that is off by default (0) is switched on from the start, so the change has a state to act on.
            start = {} if cls.defaults()[name] else {name: 2 * NEW_VALUE[name]}
            setup = replace(SURFACE, optimizer=optimizer, hyper=start)
            changed = replace(setup, hyper={name: NEW_VALUE[name]})
            expected = params_after(setup, 3, changed)
            assert not np.allclose(expected, params_after(setup, 3, setup), rtol=1e-9, atol=0), case  # it matters
            c.set_runs([setup])
            qtbot.waitUntil(lambda: not c.is_loading and c.state.setup == setup and c.frame.step == 0)  # noqa: B023
            for _ in range(3):
                one_step(c, qtbot)
            type_into(qtbot, w.method_panel.hyper_fields[name], f"{NEW_VALUE[name]:g}")
            qtbot.waitUntil(lambda: c.state.setup.hyper.get(name) == NEW_VALUE[name] and not c.is_loading)  # noqa: B023
            one_step(c, qtbot)
            np.testing.assert_allclose(c.frame.runs[0].params, expected, rtol=1e-12, err_msg=case)


# --- the toolbar ---------------------------------------------------------------------------


def test_run_step_reset_and_max_steps(open_window, qtbot):
    w = open_window(SURFACE)
    c, bar = w.controller, w.toolbar
    bar.step_action.trigger()
    qtbot.waitUntil(lambda: c.frame.step == 1, timeout=5_000)
    bar.reset_action.trigger()
    qtbot.waitUntil(lambda: not c.is_loading and c.frame.step == 0, timeout=10_000)
    type_into(qtbot, bar.max_steps.lineEdit(), "7")
    with qtbot.waitSignal(c.run_finished, timeout=10_000) as blocker:
        bar.run_action.trigger()
    assert "maximum of 7 steps" in blocker.args[0] and c.frame.step == 7


def test_speed_slider(open_window, qtbot):
    w = open_window(SURFACE)
    c, bar = w.controller, w.toolbar
    bar.speed.setValue(SPEEDS.index(2))  # two steps a second: one step a frame
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        bar.run_action.trigger()
    assert c.frame.step == 1  # flat out, the first frame brings many steps
    bar.run_action.trigger()  # pause
