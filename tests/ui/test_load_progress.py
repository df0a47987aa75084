"""A big data file chosen in the window: what is being done is shown, with Cancel, and Cancel
returns to the landscape and the run as they were, in a window that still works."""

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from gdstudio.core.run_setup import RunSetup


def write_big_csv(path, rows):
    """``rows`` lines of a noisy wave, written at once (a thousand distinct lines repeated)."""
    x = np.linspace(-3, 3, 1000)
    lines = "".join(f"{a:.6f},{np.sin(1.5 * a + 0.5) + 0.1 * np.cos(7 * a):.6f}\n" for a in x)
    path.write_text("x,y\n" + lines * (rows // 1000))


def test_a_big_data_file_loads_with_progress_and_cancel_returns_to_the_run(open_window, qtbot, tmp_path, monkeypatch):
    big = tmp_path / "measurements.csv"
    write_big_csv(big, 600_000)  # about 12 MB, read in blocks of a megabyte: progress shows at once
    w = open_window(RunSetup(problem="wave-fit"))
    c = w.controller
    landscape = c.landscape
    for _ in range(3):
        with qtbot.waitSignal(c.frame_ready, timeout=10_000):
            w.toolbar.step_action.trigger()
    assert c.frame.step == 3

    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(big), "CSV files (*.csv)"))
    w.problem_panel.load_csv.click()
    # Each progress message crosses the GUI's event loop: the window is free while the engine reads.
    qtbot.waitUntil(lambda: w.progress.isVisible() and "reading measurements.csv" in w.progress.text(), timeout=10_000)
    assert c.is_loading and w.cancel_load_button.isVisible()

    qtbot.mouseClick(w.cancel_load_button, Qt.MouseButton.LeftButton)
    assert not c.is_loading and c.state.setup.data is None  # the panels show the old set-up at once
    assert not w.progress.isVisible() and not w.cancel_load_button.isVisible()
    assert "500 generated samples" in w.problem_panel.source.text()
    with qtbot.waitSignal(c.frame_ready, timeout=10_000):
        w.toolbar.step_action.trigger()
    assert c.frame.step == 4 and len(c.frame.runs[0].history) == 5  # the same run, one step on
    assert c.landscape is landscape and c.landscape.problem.n_samples == 500
    assert not w.banner.isVisible()  # nothing went wrong

    w.problem_panel.choose("bowl")  # and the window goes on working
    qtbot.waitUntil(lambda: not c.is_loading and c.landscape.problem.name == "bowl", timeout=10_000)


def test_without_runs_drawn_there_is_nothing_to_cancel_to(qapp, qtbot, tmp_path):
    from gdstudio.controller import SessionController

    big = tmp_path / "first.csv"
    write_big_csv(big, 600_000)
    c = SessionController(RunSetup(problem="wave-fit", data=big))
    try:
        with qtbot.waitSignal(c.load_progressed, timeout=10_000):
            pass
        assert c.is_loading and not c.can_cancel_load
        c.cancel_load()  # ignored: the load goes on
        assert c.is_loading
    finally:
        c.shutdown()
