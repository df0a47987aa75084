"""Fuzzing the scene folder: whatever a scene file holds, loading it gives a scene or one reason.

Any exception but ConfigError, or a reason that is not one line, fails. Every scene that
does load must also build its runs and take steps: the engine meets only checked values.
Bounded (a few seconds in all), so it runs with every test run.
"""

import contextlib
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gdstudio.core import ConfigError
from gdstudio.core.lesson import load_folder, load_scene, read_scene
from gdstudio.core.resources import resource

SHIPPED = resource("lessons")
SHIPPED_FILES = sorted(SHIPPED.glob("*.json"))
#: Stands in for a JSON value that json.dumps cannot write (a 5,000-digit number, deep nesting).
MARK = "\u0000MARK"

FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=20,
)
#: JSON text that Python's json reader chokes on in its own ways.
hostile_tokens = st.one_of(
    st.integers(min_value=300, max_value=6000).map(lambda n: "9" * n),
    st.integers(min_value=300, max_value=6000).map(lambda n: "-1" + "0" * n),
    st.sampled_from(["NaN", "Infinity", "-Infinity", "1e999", "-0", "1e-999", "0", "-5", "1e-300", '"0.9"', "true"]),
    st.integers(min_value=1, max_value=100_000).map(lambda n: "[" * n + "]" * n),
    st.integers(min_value=1, max_value=50_000).map(lambda n: '{"a":' * n + "1" + "}" * n),
)


def _check(path: Path):
    """Load ``path``: a scene, or one ConfigError line naming the file. Nothing else may escape."""
    try:
        scene = load_scene(path)
    except ConfigError as exc:
        _says_why_in_one_line(exc, path.name)
        return None
    return scene


def _says_why_in_one_line(refusal: ConfigError, name: str) -> None:
    message = str(refusal)
    assert message.startswith(f"{name}: ") and "\n" not in message and len(message) < 400


def _runs_build_and_step(scene) -> None:
    """Each run of a loaded scene builds and steps; bad values may only be refused as ConfigError."""
    for setup in scene.runs:
        if (setup.samples or 0) > 5_000:
            continue  # valid, but generating millions of samples is not what this test is about
        with contextlib.suppress(ConfigError):  # a value the engine refuses, in one line
            setup.make_simulation().advance(3)


def _leaves(value, path=()):
    """Every place in a decoded scene: (path of keys, value)."""
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _leaves(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _leaves(v, (*path, i))


def _replace(data, path, new):
    if not path:
        return new
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = new
    return data


@pytest.mark.parametrize("path", SHIPPED_FILES, ids=lambda p: p.stem[:2])
def test_every_truncation_of_a_shipped_scene_loads_or_says_why(path):
    text = path.read_bytes().rstrip()  # every cut of a JSON object short of its last "}" is broken
    for end in range(len(text)):  # the bytes as load_scene reads them from a file, without the file
        with pytest.raises(ConfigError) as refused:
            read_scene(text[:end], "cut.json", "cut")
        _says_why_in_one_line(refused.value, "cut.json")


@FUZZ
@given(value=json_values)
def test_random_json_loads_or_says_why(tmp_path, value):
    target = tmp_path / "random.json"
    target.write_text(json.dumps(value))
    _check(target)


@FUZZ
@given(data=st.binary(max_size=300))
def test_random_bytes_load_or_say_why(tmp_path, data):
    target = tmp_path / "random.json"
    target.write_bytes(data)
    _check(target)


@FUZZ
@given(
    source=st.sampled_from(SHIPPED_FILES),
    choice=st.integers(min_value=0),
    new=st.one_of(json_values, hostile_tokens.map(lambda t: (MARK, t))),
)
def test_a_shipped_scene_with_one_value_changed_loads_or_says_why(tmp_path, source, choice, new):
    data = json.loads(source.read_text())
    places = list(_leaves(data))
    place, _ = places[choice % len(places)]
    token = None
    if isinstance(new, tuple):
        new, token = new
    text = json.dumps(_replace(data, place, new))
    if token is not None:
        text = text.replace(json.dumps(MARK), token)
    target = tmp_path / source.name
    target.write_text(text)
    scene = _check(target)
    if scene is not None:
        _runs_build_and_step(scene)


def test_a_folder_of_hostile_files_still_lists_every_good_scene(tmp_path):
    good = SHIPPED_FILES[0].read_text()
    (tmp_path / "00-good.json").write_text(good)
    (tmp_path / "deep.json").write_text("[" * 100_000 + "]" * 100_000)
    (tmp_path / "digits.json").write_text(good.replace('"steps": ', '"steps": ' + "9" * 5000 + ', "x": '))
    (tmp_path / "huge-lr.json").write_text(good.replace('"lr": ', '"lr": 1' + "0" * 400 + ', "x": '))
    os.mkfifo(tmp_path / "fifo.json")
    (tmp_path / "zero.json").symlink_to("/dev/zero")
    scenes, broken = load_folder(tmp_path)
    assert [s.id for s in scenes] == ["00-good"]
    assert sorted(p.name for p, _ in broken) == ["deep.json", "digits.json", "fifo.json", "huge-lr.json", "zero.json"]
    assert all(reason.startswith(path.name + ": ") and "could not be read" not in reason for path, reason in broken)
