"""Lesson scene files: the shipped ones load; broken ones say which file and field."""

import json
import os
from pathlib import Path

import pytest

from gdstudio.core import ConfigError
from gdstudio.core.lesson import (
    SceneExistsError,
    find_scene,
    load_folder,
    load_scene,
    parse_scene,
    save_scene,
    scene_dict,
    scene_file_name,
)
from gdstudio.core.resources import resource
from gdstudio.core.run_setup import RunSetup

SHIPPED = resource("lessons")
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
    # The lecture's order: batch sizes, then the noise of a mini-batch, then the optimisers' preview.
    ids = [s.id for s in scenes]
    assert ids[8:12] == ["09-batch-sizes", "10-mini-batch-noise", "11-optimisers-on-a-ravine",
                         "12-optimisers-on-rosenbrock"]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "found"),
    [
        ("10", "10-mini-batch-noise"),
        ("11-optimisers-on-a-ravine", "11-optimisers-on-a-ravine"),
        # Ids remembered (or scripted) before the scenes were put in lecture order find the same scene.
        ("12-mini-batch-noise", "10-mini-batch-noise"),
        ("10-optimisers-on-a-ravine", "11-optimisers-on-a-ravine"),
        ("11-optimisers-on-rosenbrock", "12-optimisers-on-rosenbrock"),
    ],
)
def test_a_scene_is_found_by_its_number_or_its_name(name, found):
    scenes, _ = load_folder(SHIPPED)
    assert scenes[find_scene(scenes, name)].id == found


@pytest.mark.parametrize("name", ["", "99", "12-nowhere", "mini-batch-noise", "-mini-batch-noise"])
def test_a_name_no_scene_has_finds_none(name):
    scenes, _ = load_folder(SHIPPED)
    assert find_scene(scenes, name) == -1


def refusal(tmp_path, change) -> str:
    """The message loading the good scene, changed by ``change``, is refused with."""
    data = json.loads(json.dumps(GOOD))
    change(data)
    path = tmp_path / "my-scene.json"
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError) as info:
        load_scene(path)
    return str(info.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("title"), "field 'title' is missing"),
        (lambda d: d.update(caption=3), "field 'caption' must be text, got 3"),
        (
            lambda d: d["landscape"].update(problem="volcano"),
            "'landscape.problem' is 'volcano', which is not a known landscape",
        ),
        (lambda d: d["runs"][0].update(lr="fast"), "field 'runs[0].lr' must be a number, got \"fast\""),
        (lambda d: d["runs"][0].update(optimizer="sgdd"), "'runs[0].optimizer' is 'sgdd'"),
        (lambda d: d["runs"][0].update(start=[1]), "field 'runs[0].start' must be two numbers"),
        (lambda d: d["runs"][0].update(lr=-1), "runs[0]: gd: learning rate must be in [0, ∞)"),
        (lambda d: d.update(runs=[]), "field 'runs' must list at least one run"),
        (lambda d: d.update(views=["surface", "hologram"]), "field 'views' has 'hologram'"),
        (lambda d: d.update(steps=True), "field 'steps' must be a whole number, got true"),
        (lambda d: d.update(annotations=[{"label": "A"}]), "field 'annotations[0].at' is missing"),
        (lambda d: d["runs"][0].update(diverges="yes"), "field 'runs[0].diverges' must be true or false, got \"yes\""),
        (lambda d: d.update(ordered=1), "field 'ordered' must be true or false, got 1"),
        (
            lambda d: d["runs"][0].update(color="red"),
            'field \'runs[0].color\' must be a colour written #RRGGBB (like "#CC79A7"), got "red"',
        ),
        (lambda d: d["runs"][0].update(color="#12345"), "field 'runs[0].color' must be a colour written #RRGGBB"),
        (lambda d: d["runs"][0].update(color="#CC79A7\n"), "field 'runs[0].color' must be a colour written #RRGGBB"),
        (lambda d: d["runs"][0].update(color=0xCC79A7), "field 'runs[0].color' must be text, got 13400487"),
        (lambda d: d["runs"][0].update(color="#" + "A" * 10_000), "field 'runs[0].color' must be a colour"),
        (lambda d: d.update(gradient_cloud="on"), "field 'gradient_cloud' must be true or false, got \"on\""),
        (
            lambda d: d.update(gradient_cloud=True),
            "field 'gradient_cloud' needs a landscape made of data samples (their batches' gradients are drawn); "
            "'bowl' has none",
        ),
    ],
)
def test_a_broken_scene_names_the_file_and_field(tmp_path, change, message):
    text = refusal(tmp_path, change)
    assert text.startswith("my-scene.json: ")
    assert message in text


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


def test_a_saved_scene_keeps_the_colours_the_user_gave_its_runs(tmp_path):
    runs = [RunSetup(problem="bowl", lr=0.1), RunSetup(problem="bowl", lr=0.2), RunSetup(problem="bowl", lr=0.3)]
    data = scene_dict("Mine", "c", runs, ["map"], 50, ["a", "b", "c"], colors=["#cc79a7", None, "#000000"])
    assert [item.get("color") for item in data["runs"]] == ["#cc79a7", None, "#000000"]  # only the chosen ones
    scene = load_scene(save_scene(data, tmp_path, "mine"))
    assert scene.colors == ("#CC79A7", None, "#000000")
    # A scene of the usual colours (every shipped one) has none to keep.
    assert parse_scene(GOOD, "x.json", "x").colors == ()
    assert "color" not in json.dumps(scene_dict("Mine", "c", runs, ["map"], 50, colors=[None] * 3))


def test_a_scene_on_data_may_show_the_gradient_cloud():
    data = json.loads(json.dumps(GOOD))
    data["landscape"] = {"problem": "linear-regression", "samples": 64}
    data["gradient_cloud"] = True
    assert parse_scene(data, "x.json", "x").gradient_cloud
    assert not parse_scene(GOOD, "x.json", "x").gradient_cloud


HUGE = 10**400


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d["runs"][0].update(lr=HUGE), "field 'runs[0].lr' must be a finite number within ±1e+300"),
        (lambda d: d["runs"][0].update(start=[HUGE, 0]), "field 'runs[0].start' must be two numbers within ±1e+06"),
        (lambda d: d["runs"][0].update(hyper={"momentum": HUGE}), "field 'runs[0].hyper.momentum' must be a finite"),
        (
            lambda d: d["runs"][0].update(hyper={"momentum": "0.9"}),
            "'runs[0].hyper.momentum' must be a number, got \"0.9\"",
        ),
        (lambda d: d.update(speed=HUGE), "field 'speed' must be a finite number"),
        (lambda d: d.update(speed=0), "field 'speed' must be between 0.1 and 100000, got 0"),
        (lambda d: d.update(speed=-5), "field 'speed' must be between 0.1 and 100000, got -5"),
        (lambda d: d.update(speed=1e-300), "field 'speed' must be between 0.1 and 100000, got 1e-300"),
        (lambda d: d.update(steps=HUGE), "field 'steps' must be between 1 and 100,000,000, got a number of 401 digits"),
        (lambda d: d.update(steps=0), "field 'steps' must be between 1 and 100,000,000, got 0"),
        (
            lambda d: d["landscape"].update(seed=3_000_000_000),
            "field 'landscape.seed' must be between 0 and 2,147,483,647",
        ),
        (lambda d: d["landscape"].update(samples=2**31), "field 'landscape.samples' must be between 2 and 10,000,000"),
        (lambda d: d["landscape"].update(noise=-1), "field 'landscape.noise' must be between 0 and 1000"),
        (
            lambda d: d["runs"][0].update(batch_size=2**40),
            "field 'runs[0].batch_size' must be between 1 and 10,000,000",
        ),
        (
            lambda d: d.update(annotations=[{"label": "A", "at": [0, HUGE]}]),
            "'annotations[0].at' must be two numbers within",
        ),
        (lambda d: d.update(caption="word " * 2000), "field 'caption' is 10,000 characters long; keep it under 4,000"),
        (lambda d: d.update(views=[["map"]]), "field 'views' has [\"map\"]; choose from"),
        (lambda d: d.update(runs=[GOOD["runs"][0]] * 65), "field 'runs' has 65 items; at most 64 are allowed"),
    ],
)
def test_a_number_or_text_out_of_range_is_refused_where_it_is_read(tmp_path, change, message):
    text = refusal(tmp_path, change)
    assert text.startswith("my-scene.json: ")
    assert message in text
    assert len(text) < 300 and "\n" not in text


def _listed_reason(folder: Path, name: str) -> str:
    scenes, broken = load_folder(folder)
    assert [s.id for s in scenes] == ["good"]  # the good scene beside it still loads
    reasons = {path.name: reason for path, reason in broken}
    return reasons[name]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"steps": ' + "9" * 5000 + "}", "not valid JSON (Exceeds the limit (4300 digits)"),
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('{"a": ' + "[" * 100_000 + "]" * 100_000 + "}", "nested too deeply"),
        ("\xff\xfe{}", "not valid JSON"),
    ],
)
def test_a_scene_that_breaks_the_json_reader_is_listed_with_its_reason(tmp_path, text, reason):
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    (tmp_path / "bad.json").write_bytes(text.encode("latin-1"))
    assert reason in _listed_reason(tmp_path, "bad.json")


def test_special_files_are_refused_at_once_and_listed(tmp_path):
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    os.mkfifo(tmp_path / "fifo.json")  # reading it would wait for a writer for ever
    (tmp_path / "zero.json").symlink_to("/dev/zero")  # reading it would never end
    (tmp_path / "folder.json").mkdir()
    (tmp_path / "loop.json").symlink_to(tmp_path / "loop.json")
    big = dict(GOOD, caption="x" * 300_000)
    (tmp_path / "big.json").write_text(json.dumps(big))
    assert "it is a pipe (FIFO), not a regular file" in _listed_reason(tmp_path, "fifo.json")
    assert "it is a device, not a regular file" in _listed_reason(tmp_path, "zero.json")
    assert "it is a folder, not a regular file" in _listed_reason(tmp_path, "folder.json")
    assert "Too many levels of symbolic links" in _listed_reason(tmp_path, "loop.json")
    assert "it is 300 kB, more than the 256 kB allowed" in _listed_reason(tmp_path, "big.json")


def test_a_scene_file_name_keeps_any_script_and_is_short():
    assert scene_file_name("Test A!") == "test-a"
    assert scene_file_name("勾配降下") == "勾配降下"
    assert scene_file_name("Ölçek — Größe") == "ölçek-grösse"
    assert scene_file_name("!!!") == "scene"
    assert len(scene_file_name("勾" * 500).encode()) <= 120


def test_saving_never_replaces_a_scene_unasked(tmp_path):
    runs = [RunSetup(problem="bowl", lr=0.1)]
    first = save_scene(scene_dict("Test A!", "one", runs, ["map"], 100), tmp_path, scene_file_name("Test A!"))
    with pytest.raises(SceneExistsError) as info:
        save_scene(scene_dict("test a", "two", runs, ["map"], 100), tmp_path, scene_file_name("test a"))
    assert info.value.path == first and "test-a.json is already in" in str(info.value)
    assert load_scene(first).caption == "one"  # the old scene is intact
    save_scene(scene_dict("test a", "two", runs, ["map"], 100), tmp_path, "test-a", replace=True)
    assert load_scene(first).caption == "two"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["test-a.json"]
