"""Experiment files with the real 3D view: the camera is kept, a screenshot takes --config."""

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from gdstudio.core.experiment import Camera, experiment_from_runs, load_experiment, save_experiment
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.about_dialog import about_text

pytestmark = pytest.mark.gl

RACE = [RunSetup(problem="himmelblau", lr=0.01), RunSetup(problem="himmelblau", optimizer="adam", lr=0.1)]


def test_the_camera_is_saved_and_restored(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="himmelblau"), gl=True)
    w.surface_view.view.setCameraPosition(distance=22, elevation=61, azimuth=10)
    path = tmp_path / "c.gdstudio.json"
    assert w.keeping.files.save_to(path)
    assert load_experiment(path).camera == Camera(22.0, 61.0, 10.0)
    w.surface_view.reset_camera()
    w.keeping.files.open(path)
    opts = w.surface_view.view.opts
    assert (opts["distance"], opts["elevation"], opts["azimuth"]) == (22, 61, 10)
    assert "OpenGL renderer: " in about_text(w) and "OpenGL 4" in about_text(w)


def test_screenshot_of_an_experiment_file(gdstudio_command, tmp_path):
    config = save_experiment(experiment_from_runs(RACE, ["gd", "adam"], ["surface", "map", "loss"], 50),
                             tmp_path / "race.gdstudio.json")  # fmt: skip
    out = tmp_path / "shot.png"
    settings = tmp_path / "config"
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(settings))
    code, err = gdstudio_command("--screenshot", out, "--config", config)
    assert code == 0, err
    assert not settings.exists()  # a scripted screenshot neither reads nor writes the user's settings
    image = QImage(str(out))
    assert image.width() >= 1200
    code, err = gdstudio_command(config, "--screenshot", tmp_path / "b.png")  # the file named alone opens too
    assert code == 0, err
