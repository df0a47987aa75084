"""Experiment files with the real 3D view: the camera is kept, a screenshot takes --config."""

import os
import subprocess
import sys

import pytest
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


def test_screenshot_of_an_experiment_file(tmp_path):
    config = save_experiment(experiment_from_runs(RACE, ["gd", "adam"], ["surface", "map", "loss"], 50),
                             tmp_path / "race.gdstudio.json")  # fmt: skip
    out = tmp_path / "shot.png"
    settings = tmp_path / "config"
    result = subprocess.run(
        [sys.executable, "-m", "gdstudio", "--screenshot", str(out), "--config", str(config)],
        capture_output=True, text=True, timeout=180, env={**os.environ, "XDG_CONFIG_HOME": str(settings)},
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert not settings.exists()  # a scripted screenshot neither reads nor writes the user's settings
    image = QImage(str(out))
    assert image.width() >= 1200
    opened = subprocess.run(
        [sys.executable, "-m", "gdstudio", str(config), "--screenshot", str(tmp_path / "b.png")],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stdout + opened.stderr
