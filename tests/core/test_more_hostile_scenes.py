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
    ],
)
def test_a_scene_without_a_name_to_show_is_listed_as_broken(tmp_path, changes, reason):
    (tmp_path / "odd.json").write_text(json.dumps(dict(GOOD, **changes)))
    (tmp_path / "good.json").write_text(json.dumps(GOOD))
    scenes, broken = load_folder(tmp_path)
    assert [s.id for s in scenes] == ["good"]
    assert len(broken) == 1 and reason in broken[0][1], broken
