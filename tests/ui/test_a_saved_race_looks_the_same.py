"""A race saved as a scene or an experiment opens looking as it was saved: the colours the user
picked for its runs, and the gradient cloud on the map."""

import json

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QMessageBox

from gdstudio.core.lesson import load_scene
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.race_panel import NAME, RACE_COLORS

PURPLE, BLACK = "#CC79A7", "#000000"


@pytest.fixture(autouse=True)
def own_settings(qapp, tmp_path, monkeypatch):
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    # Opening a file over changes asks first: the user lets the changes go.
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Discard)


def settled(w, qtbot, runs: int) -> None:
    c = w.controller
    qtbot.waitUntil(lambda: not c.is_loading and c.frame is not None and len(c.frame.runs) == runs, timeout=30_000)


def pick(panel, i: int, color: str) -> None:
    """Select run ``i`` and choose ``color`` from the Colour button's menu, as a user does."""
    panel.tree.setCurrentItem(panel.tree.topLevelItem(i))
    [action] = [a for a in panel.color_button.menu().actions() if a.text() == _name(color)]
    action.trigger()


def _name(color: str) -> str:
    from gdstudio.ui.race_panel import COLOR_NAMES

    return COLOR_NAMES[color]


def drawn(w, runs: int) -> dict[str, list[str]]:
    """Each run's colour in the run list, on the map, in the loss curve and in the run key."""
    w.view_area.draw(w.controller.frame)
    tree = w.race_panel.tree
    key = w.view_area.run_legend.text().upper()
    return {
        "list": [tree.topLevelItem(i).icon(NAME).pixmap(16, 16).toImage().pixelColor(8, 8).name().upper()
                 for i in range(runs)],
        "map": [p.opts["pen"].color().name().upper() for p in w.map_view._paths[:runs]],
        "loss": [c.opts["pen"].color().name().upper() for c in w.loss_view._full[:runs]],
        "key": [c for c in (*RACE_COLORS, PURPLE, BLACK) if f"COLOR:{c}" in key],
    }  # fmt: skip


def shows(w, colors: list[str]) -> bool:
    seen = drawn(w, len(colors))
    return all(seen[view] == colors for view in ("list", "map", "loss")) and set(seen["key"]) == set(colors)


def test_the_colours_picked_for_runs_come_back_with_the_scene_and_the_experiment(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="linear-regression", lr=0.02))
    panel, files = w.race_panel, w.keeping.files
    panel.add()
    panel.add()
    settled(w, qtbot, 3)
    pick(panel, 1, PURPLE)
    pick(panel, 2, BLACK)
    picked = [RACE_COLORS[0], PURPLE, BLACK]
    assert shows(w, picked)

    scene_path = w.lesson.save_current("Picked colours")
    assert load_scene(scene_path).colors == (None, PURPLE, BLACK)  # the first run wears its usual colour
    settled(w, qtbot, 3)  # the saved scene is shown, as saved
    assert shows(w, picked)
    experiment = tmp_path / "picked.gdstudio.json"
    assert files.save_to(experiment)
    assert [run.get("color") for run in json.loads(experiment.read_text())["runs"]] == [None, PURPLE, BLACK]
    # A colour picked after saving is a change to save: the title says so, and closing would ask.
    assert not w.isWindowModified()
    pick(panel, 0, RACE_COLORS[4])
    assert w.isWindowModified()
    pick(panel, 0, RACE_COLORS[0])
    assert not w.isWindowModified()

    # Another race in the usual colours, then the saved one opened again: as it was saved.
    panel.apply_preset("compare optimisers")
    settled(w, qtbot, 6)
    assert shows(w, list(RACE_COLORS[:6]))
    assert files.open(experiment)
    settled(w, qtbot, 3)
    qtbot.waitUntil(lambda: shows(w, picked))
    assert not w.isWindowModified()

    # The scene, opened in the lesson (where the scene owns its runs), draws them in its colours too.
    w.lesson.open(scene_path.stem)
    settled(w, qtbot, 3)
    qtbot.waitUntil(lambda: w.controller.frame.runs[1].label == load_scene(scene_path).labels[1])
    seen = drawn(w, 3)
    assert seen["map"] == seen["loss"] == picked and set(seen["key"]) == set(picked)


def test_a_bad_colour_in_a_file_is_refused_naming_the_file_and_the_field(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="linear-regression", lr=0.02))
    w.race_panel.add()
    settled(w, qtbot, 2)
    good = tmp_path / "good.gdstudio.json"
    assert w.keeping.files.save_to(good)
    data = json.loads(good.read_text())
    data["runs"][1]["color"] = "purple"
    bad = tmp_path / "bad.gdstudio.json"
    bad.write_text(json.dumps(data))
    assert not w.keeping.files.open(bad)
    message = w.banner.text()
    assert "bad.gdstudio.json: field 'runs[1].color' must be a colour written #RRGGBB" in message
    assert "\n" not in message and len(w.controller.setups) == 2  # the race on screen stays

    scene = json.loads(load_scene(w.lesson.save_current("Good")).path.read_text())
    scene["runs"][0]["color"] = "#12345G"
    (tmp_path / "lessons" / "broken.json").write_text(json.dumps(scene))
    w.lesson.panel.reload()
    [(path, reason)] = w.lesson.panel.broken
    assert path.name == "broken.json" and reason.startswith("broken.json: field 'runs[0].color' must be a colour")


def test_the_gradient_cloud_turned_on_in_the_explorer_is_kept_by_an_experiment(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="linear-regression", lr=0.02, batch_size=32))
    cloud, files = w.explorer.cloud, w.keeping.files
    w.explorer.actions["cloud"].trigger()  # Explore → Mini-batch gradient noise
    qtbot.waitUntil(lambda: cloud.dots.isVisible(), timeout=30_000)
    path = tmp_path / "cloud.gdstudio.json"
    assert files.save_to(path)
    assert json.loads(path.read_text())["gradient_cloud"] is True and not w.isWindowModified()

    w.explorer.actions["cloud"].trigger()  # off again: a change to save
    assert not cloud.dots.isVisible() and w.isWindowModified()
    assert files.open(path)
    settled(w, qtbot, 1)
    qtbot.waitUntil(lambda: cloud.dots.isVisible(), timeout=30_000)
    assert w.explorer.actions["cloud"].isChecked() and not w.isWindowModified()

    # Saved with the cloud off, it opens with the cloud off.
    w.explorer.actions["cloud"].trigger()
    off = tmp_path / "off.gdstudio.json"
    assert files.save_to(off) and "gradient_cloud" not in json.loads(off.read_text())
    w.explorer.actions["cloud"].trigger()
    assert files.open(off)
    settled(w, qtbot, 1)
    assert not cloud.enabled.isChecked() and not cloud.dots.isVisible()


@pytest.mark.gl
def test_the_3d_view_draws_a_reopened_race_in_its_picked_colours(open_window, qtbot, tmp_path):
    from gdstudio.core.experiment import experiment_from_runs, save_experiment

    from .pixels import to_array

    race = [RunSetup(problem="rosenbrock", optimizer=name, lr=0.001, start=(-1.5, 2.0)) for name in ("gd", "momentum")]
    path = save_experiment(
        experiment_from_runs(race, ["gd", "momentum"], ["surface", "map", "loss"], 300, colors=[BLACK, PURPLE]),
        tmp_path / "picked.gdstudio.json",
    )
    w = open_window(RunSetup(problem="bowl"), gl=True)
    qtbot.waitUntil(w.surface_view.view.isValid, timeout=10_000)
    assert w.keeping.files.open(path)
    settled(w, qtbot, 2)
    with qtbot.waitSignal(w.controller.run_finished, timeout=30_000):
        w.controller.play()
    w.view_area.draw(w.controller.frame)
    picture = to_array(w.surface_view.render_image()).astype(int)

    def pixels(color: str) -> int:
        target = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
        return int((abs(picture - target).max(axis=2) <= 30).sum())

    assert pixels(PURPLE) >= 10  # the momentum run's path and ball, in the colour picked for it
    assert pixels(RACE_COLORS[1]) < 3  # not in the sky blue it would wear by default
