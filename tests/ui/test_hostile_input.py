"""Hostile input in the window: a broken scene folder, colliding scene names, numbers beyond a spin box."""

import json
import os

import pytest
from PySide6.QtWidgets import QInputDialog, QMessageBox

from gdstudio.core import ConfigError

GOOD = {
    "title": "Mine",
    "caption": "c",
    "landscape": {"problem": "bowl"},
    "runs": [{"optimizer": "gd", "lr": 0.1, "start": [1, 2]}],
}


def test_the_window_starts_whatever_the_scene_folder_holds(open_window, tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "mine.json").write_text(json.dumps(GOOD))
    (folder / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (folder / "digits.json").write_text(json.dumps(GOOD).replace('"lr": 0.1', '"lr": 1' + "0" * 400))
    (folder / "steps.json").write_text(json.dumps(GOOD)[:-1] + ', "steps": ' + "9" * 5000 + "}")
    (folder / "speed.json").write_text(json.dumps(dict(GOOD, speed=0)))
    os.mkfifo(folder / "fifo.json")
    (folder / "zero.json").symlink_to("/dev/zero")
    w = open_window()
    w.lesson.open()
    panel = w.lesson.panel
    texts = [panel.list.item(i).text() for i in range(panel.list.count())]
    assert texts.count("⚠") == 0 and sum(t.startswith("⚠ ") for t in texts) == 6
    reasons = {p.name: r for p, r in panel.broken}
    assert "nested too deeply" in reasons["deep.json"]
    assert "field 'runs[0].lr' must be a finite number" in reasons["digits.json"]
    assert "Exceeds the limit (4300 digits)" in reasons["steps.json"]
    assert "field 'speed' must be between 0.1 and 100000, got 0" in reasons["speed.json"]
    assert "a pipe (FIFO), not a regular file" in reasons["fifo.json"]
    assert "a device, not a regular file" in reasons["zero.json"]
    assert "Mine  (yours)" in " ".join(texts)  # the good scene beside them is there


def test_saving_a_scene_whose_file_name_is_taken_asks_first(open_window, qtbot, tmp_path, monkeypatch):
    w = open_window()
    titles = iter(["Test A!", "test a", "test a"])
    monkeypatch.setattr(QInputDialog, "getText", lambda *a, **k: (next(titles), True))
    answers = iter([QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
    asked = []

    def question(parent, title, text, *rest):
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(QMessageBox, "question", question)
    path = tmp_path / "lessons" / "test-a.json"
    w.lesson.ask_save()
    assert json.loads(path.read_text())["title"] == "Test A!"
    w.lesson.ask_save()  # answered No: the first scene stays as it was
    assert len(asked) == 1 and "“Test A!” is saved as test-a.json" in asked[0]
    assert json.loads(path.read_text())["title"] == "Test A!"
    w.lesson.ask_save()  # answered Yes
    assert json.loads(path.read_text())["title"] == "test a"
    assert sorted(p.name for p in path.parent.iterdir()) == ["test-a.json"]


def test_a_non_latin_title_keeps_its_name(open_window, tmp_path):
    w = open_window()
    path = w.lesson.save_current("勾配降下")
    assert path.name == "勾配降下.json"


def test_numbers_beyond_a_spin_box_do_not_stop_the_panels(open_window, qtbot):
    w = open_window()
    with qtbot.waitSignal(w.controller.error_raised, timeout=10_000) as refused:
        w.controller.set_max_steps(3_000_000_000)
    assert "step limit must be a whole number from 1 to 100,000,000" in refused.args[0]
    assert w.toolbar.max_steps.value() <= w.toolbar.max_steps.maximum()
    w.controller.set_max_steps(1234)  # the toolbar still follows the state
    assert w.toolbar.max_steps.value() == 1234
    w.problem_panel.choose("wave-fit")
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.landscape.problem.name == "wave-fit")
    with qtbot.waitSignal(w.controller.error_raised, timeout=10_000) as refused:
        w.controller.update_setup(seed=3_000_000_000)
    assert "seed must be between 0 and 2,147,483,647" in refused.args[0]
    assert w.problem_panel.seed.value() <= w.problem_panel.seed.maximum()
    w.controller.update_setup(seed=7)
    qtbot.waitUntil(lambda: w.problem_panel.seed.value() == 7)


@pytest.mark.parametrize("name", ["loop", "x" * 300])
def test_exports_to_unwritable_places_get_a_message_and_the_window_works_on(open_window, qtbot, tmp_path, name):
    from gdstudio.core.run_setup import RunSetup
    from gdstudio.ui.screenshot import save_window_png

    for ext in ("csv", "json", "png", "gif"):
        (tmp_path / f"loop.{ext}").symlink_to(tmp_path / f"loop.{ext}")
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    w.controller.set_max_steps(10)
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    for kind in ("csv", "json"):
        w.export_run(tmp_path / f"{name}.{kind}", kind)
        assert "Could not export the run: cannot write" in w.banner.text()
    with pytest.raises(ConfigError, match="cannot write"):
        save_window_png(w, tmp_path / f"{name}.png")
    recorder = w.export_animation(tmp_path / f"{name}.gif", frames=3)
    # The encoder's thread reports through a queued signal: wait for what the user reads.
    qtbot.waitUntil(lambda: "Could not save the animation: cannot write" in w.banner.text(), timeout=20_000)
    qtbot.waitUntil(lambda: not recorder.busy, timeout=20_000)
    assert not list(tmp_path.glob(".*.part"))
    w.export_run(tmp_path / "fine.csv")  # the window still works
    assert (tmp_path / "fine.csv").read_text().startswith("step,")


@pytest.mark.parametrize("data", ["/dev/zero", "fifo"])
def test_a_special_data_file_chosen_in_the_window_is_refused_at_once(open_window, qtbot, tmp_path, data):
    from pathlib import Path

    if data == "fifo":
        data = tmp_path / "fifo.csv"
        os.mkfifo(data)
    w = open_window()
    w.problem_panel.choose("wave-fit")
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.landscape.problem.name == "wave-fit")
    with qtbot.waitSignal(w.controller.error_raised, timeout=20_000) as refused:
        w.controller.update_setup(data=Path(data))
    assert "not a regular file" in refused.args[0]
    w.problem_panel.choose("bowl")  # the app still works
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.landscape.problem.name == "bowl")
