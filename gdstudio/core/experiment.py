"""Experiment files (``*.gdstudio.json``): a whole set-up kept, shared and opened again.

An experiment is a lesson scene (the landscape, every run of a race with its label,
the views, the steps) plus what a scene lacks: where the data came from, each run's
stopping tolerance, the 3D camera and the view layout. The file is versioned: a
file written by a newer GD Studio is refused, never half-read. Every field is
checked and every error names the file and the field; a file is written whole
or not at all, after checking it reads back.
"""

from __future__ import annotations

import base64
import binascii
import json
import math
from dataclasses import dataclass, replace
from pathlib import Path

from .atomic_file import atomic_write
from .errors import ConfigError
from .lesson import MAX_FILE_BYTES, Scene, _Fields, parse_scene, scene_dict
from .problems import is_dataset
from .problems.shipped_data import shipped_dataset
from .run_setup import RunSetup
from .simulation import MAX_TOL
from .user_file import read_regular

#: What every experiment file's name ends with (the MIME type's glob).
SUFFIX = ".gdstudio.json"
#: The ``format`` field: tells an experiment from any other JSON.
FORMAT = "gdstudio-experiment"
#: The version this build writes and the newest it reads.
VERSION = 1
#: Top-level fields an experiment may have; anything else is a typo or a newer feature.
_FIELDS = {
    "format", "version", "title", "caption", "formula", "landscape", "runs", "views", "annotations",
    "steps", "speed", "loss_axis", "camera", "layout", "ordered", "gradient_cloud",
}  # fmt: skip
_LANDSCAPE_FIELDS = {"problem", "function", "seed", "samples", "noise", "data"}
_RUN_FIELDS = {"label", "optimizer", "lr", "hyper", "start", "batch_size", "tol", "seed", "color"}


@dataclass(frozen=True)
class Camera:
    """Where the 3D view looks from: distance to the centre, elevation and azimuth in degrees."""

    distance: float = 15.0
    elevation: float = 28.0
    azimuth: float = -125.0


@dataclass(frozen=True)
class Layout:
    """How the window is arranged, beyond which views a scene shows."""

    #: Loss curve on a logarithmic axis.
    log_loss: bool = True
    #: The window's dock and toolbar arrangement, as Qt saves it (opaque bytes).
    window_state: bytes | None = None


@dataclass(frozen=True)
class Experiment:
    """A set-up to keep: the scene it runs, the camera and the layout."""

    scene: Scene
    camera: Camera = Camera()
    layout: Layout = Layout()
    #: The file it was read from, if any.
    path: Path | None = None


def experiment_from_runs(
    runs: list[RunSetup],
    labels: list[str],
    views: list[str],
    steps: int,
    title: str = "",
    caption: str = "",
    camera: Camera | None = None,
    layout: Layout | None = None,
    colors: list[str | None] | None = None,
    ordered: bool = False,
    gradient_cloud: bool = False,
) -> Experiment:
    """An experiment of the window's current runs (checked as a file's would be): ``colors``
    are the ones the user gave them (``None``: the usual one), ``ordered`` says they wear the
    ordered ramp, ``gradient_cloud`` that the mini-batch gradients are drawn on the map."""
    data = scene_dict(title, caption, runs, views, steps, ordered=ordered, colors=colors)
    if gradient_cloud:
        data["gradient_cloud"] = True
    data = _to_dict(data, runs, labels, camera or Camera(), layout or Layout(), None)
    return parse_experiment(data, "the set-up")


def experiment_dict(experiment: Experiment, folder: Path | None = None) -> dict:
    """The JSON form of ``experiment``; a data file inside ``folder`` is stored relative to it."""
    s = experiment.scene
    colors = list(s.colors) or None
    data = scene_dict(s.title, s.caption, list(s.runs), list(s.views), s.steps, ordered=s.ordered, colors=colors)
    if s.gradient_cloud:
        data["gradient_cloud"] = True
    if s.formula is not None:
        data["formula"] = s.formula
    if s.annotations:
        data["annotations"] = [{"label": a.label, "at": list(a.at)} for a in s.annotations]
    if s.speed is not None:
        data["speed"] = s.speed
    data["loss_axis"] = s.loss_axis
    return _to_dict(data, list(s.runs), list(s.labels), experiment.camera, experiment.layout, folder)


def _to_dict(data: dict, runs: list[RunSetup], labels: list[str], camera: Camera, layout: Layout, folder) -> dict:
    data = {"format": FORMAT, "version": VERSION, **data}
    data["runs"] = [{k: v for k, v in r.items() if v is not None} for r in data["runs"]]
    data_file = runs[0].data
    if data_file is not None:
        shipped = shipped_dataset(data_file)
        if shipped is not None:
            data["landscape"]["data"] = shipped.name
        elif folder is not None and Path(data_file).resolve().is_relative_to(folder.resolve()):
            data["landscape"]["data"] = Path(data_file).resolve().relative_to(folder.resolve()).as_posix()
        else:
            data["landscape"]["data"] = str(Path(data_file).resolve())
    for run, item, label in zip(runs, data["runs"], labels):
        item["label"] = label
        if run.tol != RunSetup.tol:
            item["tol"] = run.tol
    data["camera"] = {"distance": camera.distance, "elevation": camera.elevation, "azimuth": camera.azimuth}
    data["layout"] = {"log_loss": layout.log_loss}
    if layout.window_state is not None:
        data["layout"]["window_state"] = base64.b64encode(layout.window_state).decode("ascii")
    return data


def parse_experiment(data, origin: str, folder: Path | None = None) -> Experiment:
    """Build an :class:`Experiment` from decoded JSON; errors name ``origin`` and the field.

    A relative data file is looked for in ``folder`` (the experiment file's own).
    """
    top = _Fields(data, "", origin)
    if data.get("format") != FORMAT:
        raise ConfigError(f"{origin}: not a GD Studio experiment (field 'format' must be {FORMAT!r})")
    version = top.get("version", int)
    if version > VERSION:
        raise ConfigError(
            f"{origin}: written by a newer GD Studio (experiment version {version}); "
            f"this one reads version {VERSION} and older. Update GD Studio to open it"
        )
    if version < 1:
        raise ConfigError(f"{origin}: field 'version' must be at least 1, got {version}")
    _no_unknown(data, _FIELDS, "", origin)
    land = _Fields(top.get("landscape", dict), "landscape", origin)
    _no_unknown(land.data, _LANDSCAPE_FIELDS, "landscape.", origin)
    for i, item in enumerate(top.get("runs", list)):
        _no_unknown(_Fields(item, f"runs[{i}]", origin).data, _RUN_FIELDS, f"runs[{i}].", origin)
    scene = parse_scene(data, origin, Path(origin).name.removesuffix(SUFFIX))
    data_file = _data_file(land, origin, folder)
    if data_file is not None and not is_dataset(scene.runs[0].problem):
        raise land._fail("data", f"does not apply: {scene.runs[0].problem!r} is a surface, with no data")
    runs = []
    for i, run in enumerate(scene.runs):
        tol = _Fields(data["runs"][i], f"runs[{i}]", origin).get("tol", (int, float), default=RunSetup.tol)
        if not 0 < tol <= MAX_TOL:  # its square must stay finite
            raise ConfigError(f"{origin}: field 'runs[{i}].tol' must be above 0 and at most {MAX_TOL:g}, got {tol}")
        runs.append(replace(run, data=data_file, tol=float(tol)))
    scene = replace(scene, runs=tuple(runs))
    return Experiment(scene, _camera(top, origin), _layout(top, origin))


def _no_unknown(data: dict, known: set[str], prefix: str, origin: str) -> None:
    unknown = sorted(set(data) - known)
    if unknown:
        raise ConfigError(f"{origin}: field '{prefix}{unknown[0]}' is not part of an experiment file")


def _data_file(land: _Fields, origin: str, folder: Path | None) -> Path | None:
    name = land.get("data", str, optional=True)
    if name is None:
        return None
    shipped = shipped_dataset(name)
    if shipped is not None:
        return shipped.path
    path = Path(name)
    if not path.is_absolute() and folder is not None:
        path = folder / path
    if not path.is_file():
        raise ConfigError(f"{origin}: field 'landscape.data': no shipped dataset or file called {name!r}")
    return path


def _camera(top: _Fields, origin: str) -> Camera:
    f = _Fields(top.get("camera", dict, default={}), "camera", origin)
    _no_unknown(f.data, {"distance", "elevation", "azimuth"}, "camera.", origin)
    default = Camera()
    distance = float(f.get("distance", (int, float), default=default.distance))
    elevation = float(f.get("elevation", (int, float), default=default.elevation))
    azimuth = float(f.get("azimuth", (int, float), default=default.azimuth))
    if not 0 < distance < 1e6:
        raise ConfigError(f"{origin}: field 'camera.distance' must be above 0 and below 1e6, got {distance:g}")
    if not -90 <= elevation <= 90:
        raise ConfigError(f"{origin}: field 'camera.elevation' must be between -90 and 90, got {elevation:g}")
    if not math.isfinite(azimuth):  # pragma: no cover - JSON has no infinities; kept for callers
        raise ConfigError(f"{origin}: field 'camera.azimuth' must be finite")
    return Camera(distance, elevation, azimuth)


def _layout(top: _Fields, origin: str) -> Layout:
    f = _Fields(top.get("layout", dict, default={}), "layout", origin)
    _no_unknown(f.data, {"log_loss", "window_state"}, "layout.", origin)
    log_loss = f.get("log_loss", bool, default=True)
    state = f.get("window_state", str, optional=True)
    if state is not None:
        try:
            state = base64.b64decode(state, validate=True)
        except (binascii.Error, ValueError):
            raise ConfigError(f"{origin}: field 'layout.window_state' is not base64 text") from None
    return Layout(log_loss, state)


def load_experiment(path: str | Path) -> Experiment:
    """Read and check one experiment file.

    Raises
    ------
    ConfigError
        One line naming the file (and the field) for a file that cannot be read, is not
        JSON (damaged, truncated), is of a newer version or holds a bad value.
    """
    path = Path(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "the experiment")  # never a FIFO, a device, a huge file
    except ConfigError as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    try:
        data = json.loads(raw.decode("utf-8"), parse_constant=_no_constant, parse_float=_finite)
    except (UnicodeDecodeError, json.JSONDecodeError, ValueError, RecursionError) as exc:
        reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
        raise ConfigError(f"{path.name}: damaged or incomplete, not valid JSON ({reason})") from None
    return replace(parse_experiment(data, path.name, path.parent), path=path)


def _no_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is too large a number")
    return value


def save_experiment(experiment: Experiment, path: str | Path) -> Path:
    """Write ``experiment`` to ``path`` whole or not at all, after checking it reads back."""
    path = Path(path)
    data = experiment_dict(experiment, path.parent)
    parse_experiment(json.loads(json.dumps(data)), path.name, path.parent)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    with atomic_write(path) as fh:
        fh.write(text)
    return path
