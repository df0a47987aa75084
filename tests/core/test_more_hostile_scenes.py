"""Scene files that loaded but showed nothing sensible (not listed in issue 11): listed as broken with a reason."""

import json

import pytest

from gdstudio.core.lesson import load_folder

GOOD = {
    "title": "Mine",
    "caption": "c",
    "landscape": {"problem": "bowl"},
    "runs": [{"optimizer": "gd", "lr": 0.1, "start": [1, 2]}],
}


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"title": "a\nb"}, "field 'title' must be one line"),
        ({"title": "a\u2028b"}, "field 'title' must be one line"),
        ({"runs": [{"lr": 0.1, "label": "two\nlines"}]}, "field 'runs[0].label' must be one line"),
        ({"annotations": [{"label": "", "at": [0, 0]}]}, "field 'annotations[0].label' is blank"),
        ({"views": []}, "field 'views' must list at least one view"),
        ({"views": ["data"]}, "field 'views' shows only the data view, but 'bowl' has no data"),
    ],
)
def test_a_scene_without_a_name_to_show_is_listed_as_broken(tmp_path, changes, reason):
    (tmp_path / "odd.json").write_text(json.dumps(dict(GOOD, **changes)))
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    scenes, broken = load_folder(tmp_path)
    assert [s.id for s in scenes] == ["good"]
    assert len(broken) == 1 and reason in broken[0][1], broken


@pytest.mark.parametrize(
    ("landscape", "run", "reason"),
    [
        ({"problem": "bowl", "samples": 100}, {}, "field 'landscape.samples' does not apply: 'bowl' is a surface"),
        (
            {"problem": "himmelblau", "noise": 0.5},
            {},
            "field 'landscape.noise' does not apply: 'himmelblau' is a surface",
        ),
        (
            {"problem": "function", "function": "x^2 + y^2", "samples": 50},
            {},
            "field 'landscape.samples' does not apply",
        ),
        ({"problem": "bowl"}, {"batch_size": 8}, "field 'runs[0].batch_size' does not apply: 'bowl' is a surface"),
        ({"problem": "wave-fit"}, {"batch_size": 501}, "field 'runs[0].batch_size' must be at most the 500 samples"),
        ({"problem": "wave-fit", "samples": 40}, {"batch_size": 41}, "must be at most the 40 samples, got 41"),
    ],
)
def test_a_scene_that_could_never_run_is_listed_as_broken_when_loaded(tmp_path, landscape, run, reason):
    """Such scenes once loaded, and were refused only when Run scene was pressed."""
    scene = dict(GOOD, landscape=landscape, runs=[{"optimizer": "gd", "lr": 0.1, **run}])
    (tmp_path / "odd.json").write_text(json.dumps(scene))
    scenes, broken = load_folder(tmp_path)
    assert scenes == [] and len(broken) == 1
    assert broken[0][1].startswith("odd.json: ") and reason in broken[0][1], broken


def test_a_scene_with_data_and_batches_still_loads(tmp_path):
    scene = dict(GOOD, landscape={"problem": "wave-fit", "samples": 40}, runs=[{"lr": 0.1, "batch_size": 40}])
    (tmp_path / "fine.json").write_text(json.dumps(scene))
    scenes, broken = load_folder(tmp_path)
    assert broken == [] and scenes[0].runs[0].batch_size == 40


def test_a_start_far_off_a_surfaces_map_is_listed_as_broken_when_loaded(tmp_path):
    scene = dict(GOOD, runs=[{"lr": 0.1, "start": [1000, 0]}])
    (tmp_path / "far.json").write_text(json.dumps(scene))
    _, broken = load_folder(tmp_path)
    assert "far.json: field 'runs[0].start' is no good: start point (1000, 0) lies far off the map" in broken[0][1]
