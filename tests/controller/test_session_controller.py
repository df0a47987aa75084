"""The controller and its engine thread, headless: commands in, frames and messages out."""

import time

import numpy as np
import pytest
from PySide6.QtCore import QTimer

from gdstudio.controller import SessionController
from gdstudio.core import RunStatus
from gdstudio.core.run_setup import RunSetup


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


def test_runs_to_convergence_with_time_batched_frames(make_controller, qtbot):
    c = make_controller(RunSetup(problem="rosenbrock", optimizer="adam", lr=0.01))
    frames = []
    c.frame_ready.connect(frames.append)
    t0 = time.perf_counter()
    with qtbot.waitSignal(c.run_finished, timeout=20_000) as blocker:
        c.play()
    elapsed = time.perf_counter() - t0
    assert blocker.args == ["every run has stopped"]
    last = c.frame.runs[0]
    assert last.status is RunStatus.CONVERGED
    assert c.frame.step == 4443 and len(last.history) == 4444
    assert len(frames) <= elapsed * 60 + 3  # at most ~60 frames a second, however fast the engine
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
        with qtbot.waitSignal(c.frame_ready, timeout=5_000):
            c.step()
        assert c.frame.step == expected
    np.testing.assert_allclose(c.frame.runs[0].params, [-2.5 * 0.64, 2.0 * 0.64])
    # Second step on x² + y² with λ = 0.1: from (-2.0, 1.6), the update is −0.1 · 2 · (-2.0, 1.6).
    np.testing.assert_allclose(c.frame.runs[0].update, [0.4, -0.32])


def test_learning_rate_applies_live_without_reset(make_controller, qtbot):
    c = make_controller(RunSetup(problem="ravine", optimizer="momentum", lr=0.001))
    for _ in range(5):
        with qtbot.waitSignal(c.frame_ready, timeout=5_000):
            c.step()
    with qtbot.assertNotEmitted(c.landscape_changed):
        c.set_learning_rate(0.01)
    assert c.state.setup.lr == 0.01
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.step()
    assert c.frame.step == 6  # the run went on


def test_bad_learning_rate_is_refused_and_nothing_changes(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", lr=0.1))
    with qtbot.waitSignal(c.error_raised, timeout=5_000) as blocker:
        c.set_learning_rate(float("nan"))
    assert "learning rate" in blocker.args[0]
    assert c.state.setup.lr == 0.1


def test_bad_setup_is_refused_and_the_old_one_stays(make_controller, qtbot):
    c = make_controller(RunSetup(problem="linear-regression"))
    with qtbot.waitSignal(c.error_raised, timeout=5_000) as blocker:
        c.update_setup(batch_size=10_000)
    assert "batch size must be between 1 and the 500 samples" in blocker.args[0]
    assert c.state.setup.batch_size is None
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.step()  # still works
    assert c.frame.step == 1


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


def test_shutdown_mid_run_stops_the_engine(make_controller, qtbot):
    c = make_controller(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-5))
    c.play()
    qtbot.waitUntil(lambda: c.frame is not None and c.frame.step > 100, timeout=5_000)
    t0 = time.perf_counter()
    c.shutdown()
    assert time.perf_counter() - t0 < 2.0  # promptly, with room for a busy CI machine
    assert not c.engine_running


def test_several_runs_share_the_landscape(make_controller, qtbot):
    c = make_controller(RunSetup(problem="bowl", lr=0.01))
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.set_extra_runs([RunSetup(problem="bowl", lr=0.1), RunSetup(problem="bowl", lr=1.5)])
    with qtbot.waitSignal(c.run_finished, timeout=10_000):
        c.play()
    statuses = [r.status for r in c.frame.runs]
    assert statuses[1] is RunStatus.CONVERGED and statuses[2] is RunStatus.DIVERGED
    assert c.frame.runs[1].label == "gd, lr 0.1"


def test_a_large_dataset_loads_off_the_gui_thread_with_progress(qapp, qtbot):
    c = SessionController(RunSetup(problem="wave-fit", samples=20_000))
    percents = []
    c.load_progressed.connect(percents.append)
    ticks = []
    probe = QTimer()
    probe.timeout.connect(lambda: ticks.append(time.perf_counter()))
    probe.start(10)
    try:
        with qtbot.waitSignal(c.landscape_changed, timeout=60_000):
            pass
    finally:
        probe.stop()
        c.shutdown()
    assert len(percents) > 3 and percents == sorted(percents) and percents[-1] == 100
    gaps = np.diff(ticks)
    assert len(ticks) > 10 and gaps.max() < 0.5  # the GUI thread kept turning while the grid was computed
