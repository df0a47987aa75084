"""The window as a desktop application: experiment files, title and unsaved changes, Help."""

import json

import numpy as np
import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from gdstudio.core.experiment import experiment_from_runs, load_experiment, save_experiment
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.about_dialog import about_text
from gdstudio.ui.app_settings import AppSettings

RACE = [
    RunSetup(problem="rough-bowl", optimizer="gd", lr=0.01, start=(-4.6, 0.0)),
    RunSetup(problem="rough-bowl", optimizer="adam", lr=0.05, start=(-4.6, 0.5)),
]


@pytest.fixture(autouse=True)
def settings_folder(qapp, tmp_path):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def loaded(qtbot, w, runs):
    c = w.controller
    qtbot.waitUntil(lambda: not c.is_loading and c.frame is not None and len(c.frame.runs) == runs, timeout=30_000)


def test_save_then_open_in_the_window_gives_the_same_race_bit_for_bit(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="bowl"))
    w.keeping.interactive = True  # a lecturer's window: files go into Open Recent
    path = save_experiment(
        experiment_from_runs(RACE, ["slow", "adam"], ["map", "loss"], 40), tmp_path / "r.gdstudio.json"
    )
    assert w.keeping.files.open(path)
    loaded(qtbot, w, 2)
    c = w.controller
    assert c.setups == RACE
    assert [r.label for r in c.frame.runs] == ["slow", "adam"]
    assert w.windowTitle() == "r.gdstudio.json[*] — GD Studio" and not w.isWindowModified()
    c.play()
    qtbot.waitUntil(lambda: not c.state.running and c.frame.step >= 40, timeout=60_000)
    first = [r.history.column("loss").copy() for r in c.frame.runs]
    # Saved from the window and opened again: the same set-up, the same trajectories.
    again = tmp_path / "again.gdstudio.json"
    assert w.keeping.files.save_to(again)
    assert load_experiment(again).scene.runs == tuple(RACE)
    w.keeping.files.open(again)
    loaded(qtbot, w, 2)
    c.play()
    qtbot.waitUntil(lambda: not c.state.running and c.frame.step >= 40, timeout=60_000)
    for before, run in zip(first, c.frame.runs):
        np.testing.assert_array_equal(run.history.column("loss"), before)
    assert AppSettings().recent_files()[:2] == [again.resolve(), path.resolve()]


def test_a_change_marks_the_title_and_closing_asks(open_window, qtbot, tmp_path, monkeypatch):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    assert w.keeping.files.save_to(tmp_path / "b.gdstudio.json")
    assert not w.isWindowModified()
    w.controller.set_learning_rate(0.2)
    qtbot.waitUntil(w.isWindowModified)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: asked.append(a) or QMessageBox.StandardButton.Cancel)
    w.keeping.interactive = True
    assert not w.close() and w.isVisible()  # Cancel keeps the window and the change
    assert len(asked) == 1 and "b.gdstudio.json" in asked[0][2]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Save)
    assert w.close()
    assert load_experiment(tmp_path / "b.gdstudio.json").scene.runs[0].lr == 0.2
    # Closing kept the settings: the last set-up and the window's geometry.
    s = AppSettings()
    assert s.last_setup()["runs"][0]["lr"] == 0.2 and s.geometry() is not None


def test_a_bad_file_is_refused_and_the_session_is_untouched(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    good = save_experiment(experiment_from_runs(RACE, ["a", "b"], ["map"], 10), tmp_path / "g.gdstudio.json")
    data = good.read_text()
    bad = tmp_path / "bad.gdstudio.json"
    for text in (data[: len(data) // 2], json.dumps({**json.loads(data), "version": 7})):
        bad.write_text(text)
        assert not w.keeping.files.open(bad)
        assert w.banner.isVisible() and "bad.gdstudio.json" in w.banner.text()
        assert w.controller.setups == [RunSetup(problem="bowl", lr=0.1)]
        assert w.keeping.files.path is None


def test_restore_reopens_the_last_setup(open_window, qtbot):
    AppSettings().set_last_setup(
        {"format": "gdstudio-experiment", "version": 1, "title": "", "caption": "",
         "landscape": {"problem": "ravine"}, "runs": [{"optimizer": "momentum", "lr": 0.02, "label": "m"}],
         "views": ["map", "loss"], "steps": 77}
    )  # fmt: skip
    w = open_window(RunSetup(problem="bowl"))
    w.keeping.restore(last_setup=True)
    loaded(qtbot, w, 1)
    qtbot.waitUntil(lambda: w.controller.state.setup.problem == "ravine", timeout=30_000)
    assert w.controller.state.setup.optimizer == "momentum" and w.controller.state.max_steps == 77


def test_help_about_names_the_versions(open_window):
    import numpy
    import pyqtgraph
    import PySide6

    text = about_text(open_window(RunSetup(problem="bowl")))
    for version in ("GD Studio 0.1.0", PySide6.__version__, numpy.__version__, pyqtgraph.__version__):
        assert version in text
    assert "OpenGL renderer: none (the 3D view is off here)" in text


def test_the_window_has_the_app_icon(open_window, qapp):
    w = open_window(RunSetup(problem="bowl"))
    assert not qapp.windowIcon().isNull() and not w.windowIcon().isNull()
    assert w.windowIcon().pixmap(64, 64).width() == 64


def test_a_shipped_dataset_is_chosen_in_the_window(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    action = next(a for a in w.keeping.real_data_menu.actions() if a.text().startswith("iris-virginica"))
    assert "public domain" in action.toolTip()
    action.trigger()
    qtbot.waitUntil(lambda: w.controller.state.setup.problem == "logistic-regression" and not w.controller.is_loading)
    assert w.controller.state.setup.data.name == "iris-virginica.csv"
    assert w.controller.landscape.problem.n_samples == 100


def test_a_lecture_left_open_reopens_at_its_scene(open_window, qtbot):
    w = open_window(RunSetup(problem="bowl"))
    w.lesson.open("06")
    qtbot.waitUntil(lambda: w.lesson.panel.current is not None and w.lesson.panel.current.id.startswith("06"))
    w.keeping.save()
    assert AppSettings().lesson_scene().startswith("06")
    again = open_window(RunSetup(problem="bowl"))
    again.keeping.restore(last_setup=True)
    assert again.lesson.panel.current.id.startswith("06") and again.lesson.dock.isVisibleTo(again)
    w.lesson.leave()
    w.keeping.save()
    assert AppSettings().lesson_scene() is None
    # A scene remembered under its number before the lessons were put in lecture order reopens by its name.
    AppSettings().set_lesson_scene("12-mini-batch-noise")
    again.keeping.restore(last_setup=True)
    assert again.lesson.panel.current.id == "10-mini-batch-noise"


def test_the_text_size_is_kept_between_launches(open_window):
    w = open_window(RunSetup(problem="bowl"))
    w.zoom_text(1.15)
    w.zoom_text(1.15)
    w.keeping.save()
    again = open_window(RunSetup(problem="bowl"))
    assert again.text_zoom == 1.0
    again.keeping.restore(last_setup=False)
    assert again.text_zoom == pytest.approx(1.15**2)
    w.zoom_text(1 / 1.15**2)  # put the application's shared text size back for the tests after
    again.text_zoom = 1.0
    again.apply_text_scale()
