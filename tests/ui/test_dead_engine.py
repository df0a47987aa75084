"""An engine that dies is seen: the window says so and goes on; ``--screenshot`` and
``--animation`` end with one line and a non-zero code."""

import multiprocessing

import pytest

from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.screenshot_session import ScreenshotSession


def engine_process():
    [engine] = [p for p in multiprocessing.active_children() if p.name == "gdstudio-engine"]
    return engine


def test_the_window_says_the_engine_died_and_goes_on(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-7))
    c = w.controller
    w.toolbar.run_action.trigger()
    qtbot.waitUntil(lambda: c.frame.step > 0, timeout=10_000)
    engine_process().kill()
    qtbot.waitUntil(lambda: "engine stopped unexpectedly" in w.banner.text(), timeout=1_000)
    assert w.banner.isVisible() and w.banner.kind == "error"
    assert w.toolbar.run_action.text() == "Run"  # no longer says it is running
    qtbot.waitUntil(lambda: not c.is_loading, timeout=20_000)
    assert "fresh one has loaded" in w.banner.text()  # still said once the fresh engine's runs are drawn
    w.toolbar.step_action.trigger()
    qtbot.waitUntil(lambda: c.frame.step == 1, timeout=5_000)  # a fresh engine took over


@pytest.mark.parametrize("animation", [False, True], ids=["screenshot", "animation"])
def test_an_engine_that_dies_mid_run_ends_the_session_with_one_line(open_window, qtbot, tmp_path, capsys, animation):
    w = open_window(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-7))
    path = tmp_path / ("run.gif" if animation else "run.png")
    session = ScreenshotSession(w, 10**8, path, animation=animation)
    w.controller.reset()  # the session starts at the next load
    qtbot.waitUntil(lambda: w.controller.state.running and w.controller.frame.step > 0, timeout=20_000)
    with qtbot.waitSignal(session.finished, timeout=5_000) as blocker:
        engine_process().kill()
    assert blocker.args == [2]
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gdstudio: error: the engine stopped unexpectedly (killed by")
    assert not path.exists()


def test_gdstudio_screenshot_exits_2_when_its_engine_is_killed(gdstudio_command, tmp_path):
    from PySide6.QtCore import QTimer

    killer = QTimer(interval=20)  # kills the command's engine as soon as there is one

    def kill_the_engine():
        engines = [p for p in multiprocessing.active_children() if p.name == "gdstudio-engine"]
        if engines:
            engines[0].kill()
            killer.stop()

    killer.timeout.connect(kill_the_engine)
    killer.start()
    args = ["--problem", "rosenbrock", "--optimizer", "gd", "--lr", "1e-7", "--steps", "100000000"]
    code, err = gdstudio_command(*args, "--screenshot", tmp_path / "x.png")
    killer.stop()
    assert code == 2
    ours = [line for line in err.splitlines() if line.startswith("gdstudio")]  # not Qt's platform notes
    assert len(ours) == 1 and "the engine stopped unexpectedly" in ours[0], err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []
