"""The controller and its engine process, headless: commands in, frames and messages out."""

import multiprocessing
from dataclasses import replace

import numpy as np
import pytest

from gdstudio.controller import SessionController
from gdstudio.controller.session_controller import MAX_RESTARTS
from gdstudio.core import RunStatus
from gdstudio.core.optimizers import OPTIMIZERS
from gdstudio.core.run_setup import RunSetup
from tests.reference_run import params_after


@pytest.fixture
def make_controller(qapp, qtbot):
    made = []

    def make(setup, **kw):
        c = SessionController(setup)
        made.append(c)
        with qtbot.waitSignal(c.landscape_changed, timeout=20_000):
            pass
        return c

    yield make
    for c in made:
        c.shutdown()


def engine_processes() -> list:
    return [p for p in multiprocessing.active_children() if p.name == "gdstudio-engine"]


def take_steps(c, qtbot, n: int) -> None:
    for _ in range(n):
        with qtbot.waitSignal(c.frame_ready, timeout=5_000):
            c.step()


def wait_loaded(c, qtbot) -> None:
    qtbot.waitUntil(lambda: not c.is_loading, timeout=20_000)


def test_runs_to_convergence(make_controller, qtbot):
    c = make_controller(RunSetup(problem="rosenbrock", optimizer="adam", lr=0.01))
    frames = []
    c.frame_ready.connect(frames.append)
    with qtbot.waitSignal(c.run_finished, timeout=20_000) as blocker:
        c.play()
    assert blocker.args == ["every run has stopped"]
    last = c.frame.runs[0]
    assert last.status is RunStatus.CONVERGED
    assert c.frame.step == 4443 and len(last.history) == 4444
    steps = [f.step for f in frames]
    assert steps == sorted(steps) and len(frames) < 4443  # frames gather many steps each
    assert not c.state.running


def test_max_steps_pauses_the_run(make_controller, qtbot):
    c = make_controller(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-4))
    c.set_max_steps(250)
    with qtbot.waitSignal(c.run_finished, timeout=10_000) as blocker:
        c.play()
    assert "maximum of 250 steps" in blocker.args[0]
    assert c.frame.step == 250


def test_step_takes_exactly_one_step(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", lr=0.1, start=(-2.5, 2.0)))
    for expected in (1, 2):
        take_steps(c, qtbot, 1)
        assert c.frame.step == expected
    np.testing.assert_allclose(c.frame.runs[0].params, [-2.5 * 0.64, 2.0 * 0.64])
    # Second step on x² + y² with λ = 0.1: from (-2.0, 1.6), the update is −0.1 · 2 · (-2.0, 1.6).
    np.testing.assert_allclose(c.frame.runs[0].update, [0.4, -0.32])


# --- live changes reach the next step --------------------------------------------------


def test_a_new_learning_rate_makes_the_next_step(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", optimizer="gd", lr=0.01, start=(-2.5, 2.0)))
    take_steps(c, qtbot, 5)
    grad = c.frame.runs[0].grad.copy()
    with qtbot.assertNotEmitted(c.landscape_changed):
        c.set_learning_rate(0.3)
    take_steps(c, qtbot, 1)
    assert c.frame.step == 6  # the run went on
    np.testing.assert_allclose(c.frame.runs[0].update, -0.3 * grad, rtol=1e-12)  # W ← W − λ·dE/dW, new λ


#: A value for each hyperparameter, far enough from its default to change the next step.
NEW_VALUE = {
    "momentum": 0.3,
    "lr_decay": 2.0,
    "initial_accumulator": 50.0,
    "eps": 5.0,
    "alpha": 0.3,
    "beta1": 0.3,
    "beta2": 0.3,
}
HYPERPARAMETERS = [(opt, name) for opt, cls in OPTIMIZERS.items() for name in cls.hyperparameters()]


@pytest.mark.parametrize(("optimizer", "name"), HYPERPARAMETERS)
def test_a_new_hyperparameter_makes_the_next_step(make_controller, qtbot, optimizer, name):
    # A value that is off by default (0) is switched on from the start, so the change has a state to act on.
    start = {} if OPTIMIZERS[optimizer].defaults()[name] else {name: 2 * NEW_VALUE[name]}
    setup = RunSetup(problem="ravine", optimizer=optimizer, lr=0.01, start=(-2.0, 1.5), hyper=start)
    changed = replace(setup, hyper={name: NEW_VALUE[name]})
    expected = params_after(setup, 3, changed)
    unchanged = params_after(setup, 3, setup)
    assert not np.allclose(expected, unchanged, rtol=1e-6, atol=0)  # the new value matters here
    c = make_controller(setup)
    take_steps(c, qtbot, 3)
    c.set_hyperparameter(name, NEW_VALUE[name])
    assert c.state.setup.hyper == {name: NEW_VALUE[name]}
    wait_loaded(c, qtbot)  # a starting value reloads; the others apply at once
    take_steps(c, qtbot, 1)
    np.testing.assert_allclose(c.frame.runs[0].params, expected, rtol=1e-12)


def test_bad_learning_rate_is_refused_and_nothing_changes(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", lr=0.1))
    with qtbot.waitSignal(c.error_raised, timeout=5_000) as blocker:
        c.set_learning_rate(float("nan"))
    assert "learning rate" in blocker.args[0]
    assert c.state.setup.lr == 0.1


def test_a_pace_or_step_limit_the_engine_cannot_keep_is_refused(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", lr=0.1))
    for speed in (0, -5, 1e-300, float("nan"), "fast", 10**400):
        with qtbot.waitSignal(c.error_raised, timeout=5_000) as blocker:
            c.set_speed(speed)
        assert "speed must be between" in blocker.args[0] and c.state.speed is None
    for steps in (0, -1, 2.5, "10", 10**400):
        with qtbot.waitSignal(c.error_raised, timeout=5_000) as blocker:
            c.set_max_steps(steps)
        assert "step limit must be" in blocker.args[0] and c.state.max_steps == 100_000
    take_steps(c, qtbot, 1)  # still works
    assert c.frame.step == 1


# --- loads -----------------------------------------------------------------------------


def test_bad_setup_is_shown_then_rolled_back_and_the_old_one_stays(make_controller, qtbot):
    c = make_controller(RunSetup(problem="linear-regression"))
    with qtbot.waitSignal(c.error_raised, timeout=5_000) as blocker:
        c.update_setup(batch_size=10_000)
        assert c.state.setup.batch_size == 10_000 and c.is_loading  # the edit shows at once
    assert "batch size must be between 1 and the 500 samples" in blocker.args[0]
    assert c.state.setup.batch_size is None and not c.is_loading
    take_steps(c, qtbot, 1)  # still works
    assert c.frame.step == 1


def test_an_edit_during_a_load_is_kept_and_the_session_does_not_freeze(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", optimizer="gd"))
    c.update_setup(problem="rosenbrock")
    c.set_learning_rate(0.002)
    assert (c.state.setup.problem, c.state.setup.lr, c.is_loading) == ("rosenbrock", 0.002, True)
    wait_loaded(c, qtbot)
    assert c.landscape.problem.name == "rosenbrock" and c.state.setup.lr == 0.002
    grad = c.frame.runs[0].grad.copy()
    take_steps(c, qtbot, 1)
    np.testing.assert_allclose(c.frame.runs[0].update, -0.002 * grad, rtol=1e-12)
    c.set_max_steps(30)
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()  # Run works
    assert c.frame.step == 30


def test_edits_during_a_load_build_on_each_other(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl"))
    c.update_setup(problem="himmelblau")
    c.set_start(1, 1)
    wait_loaded(c, qtbot)
    assert c.landscape.problem.name == "himmelblau" and c.state.setup.problem == "himmelblau"
    np.testing.assert_allclose(c.frame.runs[0].params, [1.0, 1.0])


def test_a_failed_edit_during_a_load_rolls_back_only_itself(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl"))
    c.update_setup(problem="himmelblau")
    with qtbot.waitSignal(c.error_raised, timeout=10_000) as blocker:
        c.update_setup(batch_size=8)  # a surface has no data to batch
    assert "batch size does not apply" in blocker.args[0]
    wait_loaded(c, qtbot)
    assert c.landscape.problem.name == "himmelblau" and c.state.setup.batch_size is None


def test_run_pressed_during_a_load_runs_once_loaded(qapp, qtbot):
    c = SessionController(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-4))
    try:
        c.set_max_steps(40)
        c.play()  # the first landscape is still loading
        assert c.is_loading and c.state.running  # Run shows as pressed
        with qtbot.waitSignal(c.run_finished, timeout=20_000) as blocker:
            pass
        assert "maximum of 40 steps" in blocker.args[0] and c.frame.step == 40
    finally:
        c.shutdown()


def test_a_load_given_up_for_a_newer_one_closes_its_progress(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl"))
    percents = []
    c.load_progressed.connect(lambda _stage, percent: percents.append(percent))
    c.update_setup(problem="wave-fit", samples=200_000)  # its landscape takes many seconds
    qtbot.waitUntil(lambda: bool(percents) and percents[-1] < 100, timeout=20_000)
    with qtbot.assertNotEmitted(c.landscape_changed):
        c.update_setup(problem="bowl", samples=None)  # back to the landscape on screen, before the other is done
        wait_loaded(c, qtbot)
    assert c.landscape.problem.name == "bowl" and percents[-1] == 100  # no progress bar left half-way


def test_when_the_very_first_load_fails_the_next_edit_loads(qapp, qtbot, tmp_path):
    c = SessionController(RunSetup(problem="linear-regression", data=tmp_path / "missing.csv"))
    try:
        with qtbot.waitSignal(c.error_raised, timeout=20_000) as blocker:
            pass
        assert "missing.csv" in blocker.args[0] and not c.is_loading and c.landscape is None
        c.set_learning_rate(0.01)
        c.update_setup(data=None)
        wait_loaded(c, qtbot)
        assert c.landscape.problem.n_samples == 500 and c.state.setup.lr == 0.01
    finally:
        c.shutdown()


def test_switching_landscape_mid_run_resets(make_controller, qtbot):
    c = make_controller(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-4))
    c.set_speed(200)
    c.play()
    qtbot.waitUntil(lambda: c.frame is not None and c.frame.step > 5, timeout=5_000)
    with qtbot.waitSignal(c.landscape_changed, timeout=10_000):
        c.update_setup(problem="himmelblau")
    assert c.landscape.problem.name == "himmelblau"
    assert c.frame.step == 0 and not c.state.running
    assert c.state.setup.lr is None  # back to the new landscape's suggestion
    assert [len(run.history) for run in c.frame.runs] == [1]  # no rows of the old run crept in


def test_several_runs_share_the_landscape(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", lr=0.01))
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.set_runs([c.state.setup, RunSetup(problem="bowl", lr=0.1), RunSetup(problem="bowl", lr=1.5)])
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    statuses = [r.status for r in c.frame.runs]
    assert statuses[1] is RunStatus.CONVERGED and statuses[2] is RunStatus.DIVERGED
    assert c.frame.runs[1].label == "gd, lr 0.1"


def test_a_surface_chosen_after_data_were_set_up_loads(make_controller, qtbot):
    """Samples and noise set for a dataset once made every surface chosen next refused
    ("bowl is an analytic surface with no data")."""
    c = make_controller(RunSetup(problem="wave-fit"))
    errors = []
    c.error_raised.connect(errors.append)
    c.update_setup(samples=1000, noise=0.5)
    wait_loaded(c, qtbot)
    for surface in ("bowl", "function"):
        with qtbot.waitSignal(c.landscape_changed, timeout=20_000):
            c.update_setup(problem=surface, function="x^2 + y^2" if surface == "function" else None)
        assert c.landscape.problem.name == surface and c.state.setup.samples is None and c.state.setup.noise is None
        c.update_setup(problem="linear-regression", samples=800)
        wait_loaded(c, qtbot)
        c.update_setup(problem="wave-fit")  # from dataset to dataset the data settings carry over
        wait_loaded(c, qtbot)
        assert c.landscape.problem.n_samples == 800
    assert errors == []


def test_a_large_dataset_loads_with_progress(qapp, qtbot):
    c = SessionController(RunSetup(problem="wave-fit", samples=20_000))
    progress = []
    c.load_progressed.connect(lambda stage, percent: progress.append((stage, percent)))
    try:
        with qtbot.waitSignal(c.landscape_changed, timeout=60_000):
            pass
    finally:
        c.shutdown()
    # Progress reached the GUI thread while the engine worked: it was free to draw.
    stages = list(dict.fromkeys(stage for stage, _ in progress))
    assert stages == ["making the data", "computing the landscape", "finding the minima", ""]
    for stage in stages:  # each stage's percent only grows
        percents = [p for s, p in progress if s == stage]
        assert percents == sorted(percents)
    assert len(progress) > 3 and progress[-1] == ("", 100)


# --- the engine process -------------------------------------------------------------------


def test_shutdown_mid_run_stops_the_engine(make_controller, qtbot):
    c = make_controller(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-5))
    c.play()
    qtbot.waitUntil(lambda: c.frame is not None and c.frame.step > 100, timeout=5_000)
    c.shutdown()
    assert not c.engine_running and not engine_processes()


def test_a_killed_engine_is_reported_within_a_second_and_replaced(make_controller, qtbot):
    setup = RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-5)
    c = make_controller(setup)
    c.play()
    qtbot.waitUntil(lambda: c.frame is not None and c.frame.step > 100, timeout=5_000)
    [engine] = engine_processes()
    with qtbot.waitSignal(c.error_raised, timeout=1_000) as blocker:
        engine.kill()
    assert "engine stopped unexpectedly" in blocker.args[0]
    assert not c.state.running  # the window no longer says running
    wait_loaded(c, qtbot)
    [fresh] = engine_processes()
    assert fresh.pid != engine.pid and c.state.setup == setup and c.frame.step == 0
    c.set_max_steps(50)
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()  # the lecture goes on
    assert c.frame.step == 50


def test_an_engine_killed_during_a_load_is_replaced_on_the_edited_setup(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl"))
    c.update_setup(problem="wave-fit", samples=20_000)
    [engine] = engine_processes()
    with qtbot.waitSignal(c.engine_died, timeout=1_000):
        engine.kill()
    wait_loaded(c, qtbot)
    assert c.landscape.problem.name == "wave-fit" and c.landscape.problem.n_samples == 20_000


def test_an_engine_that_keeps_dying_before_it_loads_is_given_up_on(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl"))
    c.update_setup(problem="wave-fit", samples=200_000)  # a load long enough to die in, each time
    messages = []
    c.error_raised.connect(messages.append)
    for _ in range(MAX_RESTARTS + 1):
        [engine] = engine_processes()
        with qtbot.waitSignal(c.engine_died, timeout=5_000):
            engine.kill()
    assert "restart GD Studio" in messages[-1]
    assert not c.engine_running and not c.is_loading and not engine_processes()
