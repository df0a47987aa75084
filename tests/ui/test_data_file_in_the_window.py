"""The data file in the window: the run is not exported over it, and an edited one is read again."""

from gdstudio.core.run_setup import RunSetup

DATA = "x,y\n1,2\n2,4\n3,6.5\n"


def test_exporting_the_run_over_its_data_file_is_refused(open_window, tmp_path):
    data = tmp_path / "mine.csv"
    data.write_text(DATA)
    w = open_window(RunSetup(problem="linear-regression", data=data))
    for kind in ("csv", "json"):
        w.export_run(data, kind)
        assert w.banner.isVisible() and "is the data file of this landscape" in w.banner.text()
        assert data.read_text() == DATA
    w.export_run(tmp_path / "run.csv")  # elsewhere it works
    assert (tmp_path / "run.csv").read_text().startswith("step,")


def test_a_data_file_edited_and_chosen_again_is_read_again(open_window, qtbot, tmp_path, monkeypatch):
    from PySide6.QtWidgets import QFileDialog

    data = tmp_path / "mine.csv"
    data.write_text(DATA)
    w = open_window(RunSetup(problem="linear-regression", data=data))
    assert w.controller.landscape.problem.n_samples == 3
    data.write_text(DATA + "4,8.5\n")  # the user fixes the file and loads it again
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(data), ""))
    with qtbot.waitSignal(w.controller.landscape_changed, timeout=20_000):
        w.problem_panel.load_csv.click()
    assert w.controller.landscape.problem.n_samples == 4
