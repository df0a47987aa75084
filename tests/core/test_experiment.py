"""Experiment files: kept whole, read back exactly, and refused with one clear line when bad."""

import json
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gdstudio.core import ConfigError, experiment
from gdstudio.core.experiment import (
    VERSION,
    Camera,
    Layout,
    experiment_from_runs,
    load_experiment,
    save_experiment,
)
from gdstudio.core.problems.shipped_data import shipped_datasets
from gdstudio.core.run_setup import RunSetup

RACE = [
    RunSetup(problem="rough-bowl", optimizer="gd", lr=0.001, start=(-4.6, 0.0)),
    RunSetup(problem="rough-bowl", optimizer="adam", lr=0.05, hyper={"beta1": 0.8}, start=(-4.6, 0.3)),
    RunSetup(
        problem="rough-bowl", optimizer="momentum", lr=0.01, hyper={"momentum": 0.85}, start=(2.5, -1.25), tol=1e-9
    ),
]


def race(**kw):
    return experiment_from_runs(
        RACE, ["tiny", "adam", "momentum"], ["surface", "map", "loss"], 300, "A race", "Three walkers",
        camera=Camera(12.5, 40.0, -90.0), layout=Layout(True, b"\x00\x01dock state\xff"), **kw,
    )  # fmt: skip


def test_save_then_open_reproduces_the_setup_and_the_same_trajectories(tmp_path):
    saved = race()
    path = save_experiment(saved, tmp_path / "race.gdstudio.json")
    opened = load_experiment(path)
    assert opened.scene.runs == saved.scene.runs == tuple(RACE)
    assert opened.scene.labels == ("tiny", "adam", "momentum")
    assert (opened.scene.title, opened.scene.caption, opened.scene.steps) == ("A race", "Three walkers", 300)
    assert opened.scene.views == ("surface", "map", "loss")
    assert opened.camera == Camera(12.5, 40.0, -90.0)
    assert opened.layout == Layout(True, b"\x00\x01dock state\xff")
    for before, after in zip(RACE, opened.scene.runs):
        a, b = before.make_simulation().advance(300), after.make_simulation().advance(300)
        np.testing.assert_array_equal(a.params, b.params)  # bit for bit
        np.testing.assert_array_equal(a.loss, b.loss)


def test_a_shipped_dataset_is_kept_by_name_and_its_runs_repeat(tmp_path):
    data = shipped_datasets()["old-faithful"].path
    setup = RunSetup(problem="linear-regression", lr=0.02, batch_size=16, seed=4, data=data)
    path = save_experiment(
        experiment_from_runs([setup], ["faithful"], ["map", "data"], 50), tmp_path / "f.gdstudio.json"
    )
    assert json.loads(path.read_text())["landscape"]["data"] == "old-faithful"
    opened = load_experiment(path).scene.runs[0]
    assert opened == setup
    a, b = setup.make_simulation().advance(50), opened.make_simulation().advance(50)
    np.testing.assert_array_equal(a.params, b.params)


def test_a_data_file_beside_the_experiment_is_stored_relative_to_it(tmp_path):
    (tmp_path / "mine.csv").write_text("x,y\n1,2\n2,4\n3,7\n")
    setup = RunSetup(problem="linear-regression", data=tmp_path / "mine.csv")
    path = save_experiment(experiment_from_runs([setup], ["mine"], ["map"], 10), tmp_path / "m.gdstudio.json")
    assert json.loads(path.read_text())["landscape"]["data"] == "mine.csv"
    moved = tmp_path / "moved"
    moved.mkdir()
    for name in ("mine.csv", "m.gdstudio.json"):
        (tmp_path / name).rename(moved / name)
    assert load_experiment(moved / "m.gdstudio.json").scene.runs[0].data == moved / "mine.csv"


def test_the_colours_given_to_runs_and_the_gradient_cloud_are_kept(tmp_path):
    saved = race(colors=["#000000", None, "#f0e442"])
    path = save_experiment(saved, tmp_path / "race.gdstudio.json")
    assert [run.get("color") for run in json.loads(path.read_text())["runs"]] == ["#000000", None, "#F0E442"]
    assert load_experiment(path).scene.colors == ("#000000", None, "#F0E442")
    ordered = load_experiment(save_experiment(race(ordered=True), tmp_path / "ordered.gdstudio.json")).scene
    assert ordered.ordered and ordered.colors == ()
    data = RunSetup(problem="linear-regression", lr=0.05, batch_size=32, samples=256)
    cloud = experiment_from_runs([data], ["mini-batch"], ["map", "loss"], 40, gradient_cloud=True)
    assert load_experiment(save_experiment(cloud, tmp_path / "cloud.gdstudio.json")).scene.gradient_cloud
    assert not load_experiment(path).scene.gradient_cloud


def test_a_file_written_before_colours_and_the_cloud_were_kept_still_opens(tmp_path):
    path = tmp_path / "old.gdstudio.json"
    path.write_text(json.dumps({
        "format": "gdstudio-experiment", "version": 1, "title": "", "caption": "",
        "landscape": {"problem": "linear-regression", "seed": 0, "samples": 256},
        "runs": [{"label": "a", "optimizer": "gd", "lr": 0.05, "batch_size": 32}, {"label": "b", "optimizer": "adam"}],
        "views": ["map", "loss"], "steps": 40, "loss_axis": "steps",
        "camera": {"distance": 15.0, "elevation": 28.0, "azimuth": -125.0}, "layout": {"log_loss": True},
    }))  # fmt: skip
    scene = load_experiment(path).scene
    assert scene.labels == ("a", "b") and scene.colors == () and not scene.ordered and not scene.gradient_cloud


def good(tmp_path) -> Path:
    return save_experiment(race(), tmp_path / "good.gdstudio.json")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(version=VERSION + 1), f"written by a newer GD Studio (experiment version {VERSION + 1})"),
        (lambda d: d.pop("format"), "not a GD Studio experiment"),
        (lambda d: d.update(version="1"), "field 'version' must be a whole number"),
        (lambda d: d.update(colour="red"), "field 'colour' is not part of an experiment file"),
        (lambda d: d["runs"][1].update(learning_rate=0.1), "field 'runs[1].learning_rate' is not part"),
        (lambda d: d["runs"][2].update(tol=0), "field 'runs[2].tol' must be above 0"),
        (lambda d: d["runs"][0].update(lr="fast"), "field 'runs[0].lr' must be"),
        (lambda d: d["camera"].update(elevation=120), "field 'camera.elevation' must be between -90 and 90"),
        (lambda d: d["camera"].update(distance=-1), "field 'camera.distance' must be above 0"),
        (lambda d: d["layout"].update(window_state="not base64!"), "field 'layout.window_state' is not base64"),
        (lambda d: d["landscape"].update(data="no-such-data"), "field 'landscape.data': no shipped dataset or file"),
        (lambda d: d["landscape"].update(problem="volcano"), "field 'landscape.problem' is 'volcano'"),
        (lambda d: d["runs"][2].update(tol=1e200), "field 'runs[2].tol' must be above 0 and at most 1e+100"),
        (lambda d: d["runs"][1].update(color="sky blue"), "field 'runs[1].color' must be a colour written #RRGGBB"),
        (lambda d: d["runs"][1].update(color=None, colour="#000000"), "field 'runs[1].colour' is not part"),
        (lambda d: d.update(gradient_cloud="yes"), "field 'gradient_cloud' must be true or false, got \"yes\""),
        (lambda d: d.update(gradient_cloud=True), "field 'gradient_cloud' needs a landscape made of data samples"),
        (
            lambda d: d["landscape"].update(data="old-faithful"),
            "field 'landscape.data' does not apply: 'rough-bowl' is a surface, with no data",
        ),
    ],
)
def test_a_hand_edited_file_names_the_file_and_field(tmp_path, change, message):
    path = good(tmp_path)
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError) as info:
        load_experiment(path)
    assert str(info.value).startswith("good.gdstudio.json: ")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "damaged or incomplete, not valid JSON"),
        (b"\xff\xfe{}", "damaged or incomplete"),
        (b"[1, 2]", "the file must be a JSON object"),
        (b'{"format": "gdstudio-experiment", "version": 1e999}', "too large a number"),
        (b'{"format": "gdstudio-experiment", "version": NaN}', "NaN is not a number JSON allows"),
        (b"[" * 100_000, "damaged or incomplete"),
    ],
)
def test_a_damaged_file_is_refused_in_one_line(tmp_path, content, message):
    path = tmp_path / "bad.gdstudio.json"
    path.write_bytes(content)
    with pytest.raises(ConfigError, match=r"^bad\.gdstudio\.json: ") as info:
        load_experiment(path)
    assert message in str(info.value)


_TRUNCATE = {}


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_truncating_a_real_experiment_at_any_byte_is_refused_cleanly(tmp_path_factory, data):
    if "whole" not in _TRUNCATE:
        _TRUNCATE["whole"] = good(tmp_path_factory.mktemp("exp")).read_bytes()
    whole = _TRUNCATE["whole"]
    cut = data.draw(st.integers(0, len(whole) - 2), label="cut")  # the last byte is the newline
    path = tmp_path_factory.mktemp("cut") / "cut.gdstudio.json"
    path.write_bytes(whole[:cut])
    with pytest.raises(ConfigError, match=r"^cut\.gdstudio\.json: damaged or incomplete"):
        load_experiment(path)


def test_every_truncation_of_a_real_experiment_is_refused(tmp_path):
    # Hypothesis samples; this checks each byte position once, so none is missed.
    whole = good(tmp_path).read_bytes()
    path = tmp_path / "cut.gdstudio.json"
    for cut in range(len(whole) - 1):
        path.write_bytes(whole[:cut])
        with pytest.raises(ConfigError, match="damaged or incomplete"):
            load_experiment(path)


def test_a_save_interrupted_mid_write_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = good(tmp_path)
    before = path.read_bytes()
    other = experiment_from_runs([RunSetup(problem="bowl")], ["one"], ["map"], 5)
    real = experiment.atomic_write
    written = []

    @contextmanager
    def interrupted(target):
        with real(target) as fh:

            class HalfThenStop:
                def write(self, text):
                    fh.write(text[: len(text) // 2])
                    fh.flush()
                    written.append(len(text) // 2)
                    raise KeyboardInterrupt  # the lecturer's Ctrl+C, a crash, a power cut

            yield HalfThenStop()

    monkeypatch.setattr(experiment, "atomic_write", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save_experiment(other, path)
    assert written and written[0] > 100  # it really was stopped mid-write
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["good.gdstudio.json"]  # no temporary left
    assert load_experiment(path).scene.title == "A race"
