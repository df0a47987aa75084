"""Lesson scene files: the shipped ones load; broken ones say which file and field."""

import json
from pathlib import Path

import pytest

from gdstudio.core import ConfigError
from gdstudio.core.lesson import load_folder, load_scene, parse_scene, save_scene, scene_dict
from gdstudio.core.run_setup import RunSetup

SHIPPED = Path(__file__).resolve().parents[2] / "gdstudio" / "resources" / "lessons"
GOOD = {
    "title": "t",
    "caption": "c",
    "landscape": {"problem": "bowl"},
    "runs": [{"optimizer": "gd", "lr": 0.1, "start": [1, 2]}],
}


def test_every_shipped_scene_loads_in_lecture_order():
    scenes, broken = load_folder(SHIPPED)
    assert broken == []
    assert len(scenes) >= 10
    assert [s.id[:2] for s in scenes] == [f"{i:02d}" for i in range(1, len(scenes) + 1)]
    for scene in scenes:
        assert scene.title and scene.caption and scene.runs
        scene.runs[0].make_problem()  # the landscape builds


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("title"), "field 'title' is missing"),
        (lambda d: d.update(caption=3), "field 'caption' must be text, got 3"),
        (
            lambda d: d["landscape"].update(problem="volcano"),
            "'landscape.problem' is 'volcano', which is not a known landscape",
        ),
        (lambda d: d["runs"][0].update(lr="fast"), "field 'runs[0].lr' must be a whole number or a number"),
        (lambda d: d["runs"][0].update(optimizer="sgdd"), "'runs[0].optimizer' is 'sgdd'"),
        (lambda d: d["runs"][0].update(start=[1]), "field 'runs[0].start' must be two numbers"),
        (lambda d: d["runs"][0].update(lr=-1), "runs[0]: gd: learning rate must be in [0, ∞)"),
        (lambda d: d.update(runs=[]), "field 'runs' must list at least one run"),
        (lambda d: d.update(views=["surface", "hologram"]), "field 'views' has 'hologram'"),
        (lambda d: d.update(steps=True), "field 'steps' must be a whole number, got true"),
        (lambda d: d.update(annotations=[{"label": "A"}]), "field 'annotations[0].at' is missing"),
        (lambda d: d["runs"][0].update(diverges="yes"), "field 'runs[0].diverges' must be true or false, got \"yes\""),
        (lambda d: d.update(ordered=1), "field 'ordered' must be true or false, got 1"),
    ],
)
def test_a_broken_scene_names_the_file_and_field(tmp_path, change, message):
    data = json.loads(json.dumps(GOOD))
    change(data)
    path = tmp_path / "my-scene.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError) as info:
        load_scene(path)
    assert str(info.value).startswith("my-scene.json: ")
    assert message in str(info.value)


def test_not_json_at_all(tmp_path):
    path = tmp_path / "oops.json"
    path.write_text("{ title: ")
    with pytest.raises(ConfigError, match=r"oops\.json: not valid JSON"):
        load_scene(path)


def test_broken_files_are_listed_not_fatal(tmp_path):
    (tmp_path / "a.json").write_text(json.dumps(GOOD))
    (tmp_path / "b.json").write_text("[]")
    scenes, broken = load_folder(tmp_path)
    assert [s.id for s in scenes] == ["a"]
    assert broken[0][0].name == "b.json" and "must be a JSON object" in broken[0][1]


def test_saved_scenes_load_back(tmp_path):
    runs = [RunSetup(problem="wave-fit", optimizer="adam", lr=0.05, start=(1.0, 2.0), batch_size=16, samples=300)]
    path = save_scene(scene_dict("Mine", "caption", runs, ["map", "loss"], 250), tmp_path, "mine")
    scene = load_scene(path)
    assert scene.runs[0] == runs[0] and scene.steps == 250 and scene.views == ("map", "loss")
    with pytest.raises(ConfigError):
        save_scene({"title": "no runs"}, tmp_path, "bad")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]  # nothing half-written


def test_parse_accepts_defaults():
    scene = parse_scene(GOOD, "x.json", "x")
    assert scene.views == ("surface", "map", "loss") and scene.loss_axis == "steps" and scene.speed is None


def test_a_typed_function_is_saved_and_checked_as_a_scene(tmp_path):
    runs = [RunSetup(problem="function", function="x^2 + 3*y^2", optimizer="momentum", lr=0.05)]
    path = save_scene(scene_dict("Own", "caption", runs, ["surface", "loss"], 100), tmp_path, "own")
    assert load_scene(path).runs[0] == runs[0]
    data = json.loads(path.read_text())
    data["landscape"]["function"] = "x + os"
    with pytest.raises(ConfigError, match=r"field 'landscape\.function': .*found 'os'"):
        parse_scene(data, "own.json", "own")


def test_a_scene_marks_the_runs_it_means_to_diverge_and_whether_they_are_in_order():
    data = json.loads(json.dumps(GOOD))
    data["runs"].append({"optimizer": "gd", "lr": 1.5, "diverges": True})
    data["ordered"] = True
    scene = parse_scene(data, "x.json", "x")
    assert scene.diverges == (False, True) and scene.ordered
    assert parse_scene(GOOD, "x.json", "x").diverges == (False,) and not parse_scene(GOOD, "x.json", "x").ordered
