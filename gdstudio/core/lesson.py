"""Lesson scenes: runnable set-ups stored as JSON, validated on load with clear errors."""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

from .atomic_file import atomic_write
from .errors import ConfigError
from .optimizers import OPTIMIZERS, make_optimizer
from .problems import PROBLEM_NAMES
from .problems.formula import NAME as FUNCTION
from .problems.formula import check_formula
from .run_setup import RunSetup

#: Views a scene may show.
VIEWS = ("surface", "map", "loss", "slice", "data")
#: Each JSON type, as an error message names it.
_KIND_NAMES = {"str": "text", "int": "a whole number", "float": "a number", "list": "a list", "dict": "an object",
               "bool": "true or false"}  # fmt: skip
#: What the loss curve may be plotted against.
LOSS_AXES = ("steps", "epochs", "samples")


@dataclass(frozen=True)
class Annotation:
    """A labelled point drawn on the map and the 1-D view ("A", "global minimum", ...)."""

    label: str
    at: tuple[float, float]


@dataclass(frozen=True)
class Scene:
    """One step of a lecture: a caption and the runs that show it."""

    id: str
    title: str
    caption: str
    formula: str | None
    runs: tuple[RunSetup, ...]
    labels: tuple[str, ...]
    views: tuple[str, ...]
    annotations: tuple[Annotation, ...]
    #: The scene's run stops after this many steps.
    steps: int
    #: Steps per second while it runs (``None``: as fast as possible).
    speed: float | None
    loss_axis: str
    path: Path | None = None
    #: Per run: the scene means it to diverge (a lesson, not an error, when it does).
    diverges: tuple[bool, ...] = ()
    #: The runs are in an order (batch 8 → 256, λ small → large): colours from an ordered ramp.
    ordered: bool = False


class _Fields:
    """Reads typed fields from a JSON object, naming the file and field in every error."""

    def __init__(self, data, where: str, origin: str) -> None:
        if not isinstance(data, dict):
            raise ConfigError(f"{origin}: {where or 'the file'} must be a JSON object")
        self.data, self.where, self.origin = data, where, origin

    def _name(self, key: str) -> str:
        return f"{self.where}.{key}" if self.where else key

    def _fail(self, key: str, what: str) -> ConfigError:
        return ConfigError(f"{self.origin}: field '{self._name(key)}' {what}")

    def get(self, key: str, kind, default=..., optional: bool = False):
        if key not in self.data or self.data[key] is None:
            if default is not ... or optional:
                return None if default is ... else default
            raise self._fail(key, "is missing")
        value = self.data[key]
        kinds = kind if isinstance(kind, tuple) else (kind,)
        if (isinstance(value, bool) and bool not in kinds) or not isinstance(value, kinds):
            names = " or ".join(_KIND_NAMES.get(k.__name__, k.__name__) for k in kinds)
            raise self._fail(key, f"must be {names}, got {json.dumps(value)}")
        if isinstance(value, float) and not math.isfinite(value):
            raise self._fail(key, "must be finite")
        return value

    def pair(self, key: str, optional: bool = False) -> tuple[float, float] | None:
        value = self.get(key, list, optional=optional)
        if value is None:
            return None
        if len(value) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise self._fail(key, f"must be two numbers [a, b], got {json.dumps(value)}")
        return (float(value[0]), float(value[1]))


def parse_scene(data, origin: str, scene_id: str, path: Path | None = None) -> Scene:
    """Build a :class:`Scene` from decoded JSON; errors name ``origin`` and the field."""
    top = _Fields(data, "", origin)
    land = _Fields(top.get("landscape", dict), "landscape", origin)
    problem = land.get("problem", str)
    function = land.get("function", str) if problem == FUNCTION else None
    if function is not None:
        try:
            check_formula(function)
        except ConfigError as exc:
            raise ConfigError(f"{origin}: field 'landscape.function': {exc}") from None
    if problem not in PROBLEM_NAMES and function is None:
        raise ConfigError(f"{origin}: field 'landscape.problem' is {problem!r}, which is not a known landscape")
    runs_data = top.get("runs", list)
    if not runs_data:
        raise ConfigError(f"{origin}: field 'runs' must list at least one run")
    runs, labels, diverges = [], [], []
    for i, item in enumerate(runs_data):
        f = _Fields(item, f"runs[{i}]", origin)
        optimizer = f.get("optimizer", str, default="gd")
        if optimizer not in OPTIMIZERS:
            raise ConfigError(f"{origin}: field 'runs[{i}].optimizer' is {optimizer!r}, which is not an optimiser")
        hyper = f.get("hyper", dict, default={})
        lr = f.get("lr", (int, float), optional=True)
        batch = f.get("batch_size", int, optional=True)
        try:
            make_optimizer(optimizer, 0.01 if lr is None else float(lr), **hyper)
        except (ConfigError, TypeError) as exc:
            raise ConfigError(f"{origin}: runs[{i}]: {exc}") from None
        if batch is not None and batch < 1:
            raise ConfigError(f"{origin}: field 'runs[{i}].batch_size' must be at least 1, got {batch}")
        runs.append(
            RunSetup(
                problem=problem,
                optimizer=optimizer,
                lr=None if lr is None else float(lr),
                hyper={k: float(v) for k, v in hyper.items()},
                start=f.pair("start", optional=True),
                batch_size=batch,
                seed=land.get("seed", int, default=0),
                samples=land.get("samples", int, optional=True),
                noise=land.get("noise", (int, float), optional=True),
                function=function,
            )
        )
        labels.append(f.get("label", str, default=f"{optimizer}, λ {lr}"))
        diverges.append(f.get("diverges", bool, default=False))
    views = top.get("views", list, default=["surface", "map", "loss"])
    for view in views:
        if view not in VIEWS:
            raise ConfigError(f"{origin}: field 'views' has {view!r}; choose from {', '.join(VIEWS)}")
    annotations = []
    for i, item in enumerate(top.get("annotations", list, default=[])):
        f = _Fields(item, f"annotations[{i}]", origin)
        annotations.append(Annotation(f.get("label", str), f.pair("at")))
    steps = top.get("steps", int, default=500)
    if steps < 1:
        raise ConfigError(f"{origin}: field 'steps' must be at least 1, got {steps}")
    speed = top.get("speed", (int, float), optional=True)
    loss_axis = top.get("loss_axis", str, default="steps")
    if loss_axis not in LOSS_AXES:
        raise ConfigError(f"{origin}: field 'loss_axis' must be one of {', '.join(LOSS_AXES)}, got {loss_axis!r}")
    return Scene(
        id=scene_id,
        title=top.get("title", str),
        caption=top.get("caption", str),
        formula=top.get("formula", str, optional=True),
        runs=tuple(runs),
        labels=tuple(labels),
        views=tuple(views),
        annotations=tuple(annotations),
        steps=steps,
        speed=None if speed is None else float(speed),
        loss_axis=loss_axis,
        path=path,
        diverges=tuple(diverges),
        ordered=top.get("ordered", bool, default=False),
    )


def load_scene(path: str | Path) -> Scene:
    """Read and validate one scene file."""
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"{path.name}: cannot read it ({exc.strerror or exc})") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ConfigError(f"{path.name}: not valid JSON ({exc})") from None
    return parse_scene(data, path.name, path.stem, path)


def load_folder(folder: Path) -> tuple[list[Scene], list[tuple[Path, str]]]:
    """Every ``*.json`` scene in ``folder``, in name order, and the broken ones with why."""
    scenes, broken = [], []
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            try:
                scenes.append(load_scene(path))
            except ConfigError as exc:
                broken.append((path, str(exc)))
    return scenes, broken


def find_scene(scenes: list[Scene], name: str) -> int:
    """Index of the scene whose id is ``name`` or starts with it (``"06"``), or -1."""
    for i, scene in enumerate(scenes):
        if scene.id == name or scene.id.startswith(name):
            return i
    return -1


def scene_dict(title: str, caption: str, runs: list[RunSetup], views: list[str], steps: int) -> dict:
    """The JSON form of a set-up, for "save current setup as scene"."""
    main = runs[0]
    landscape = {"problem": main.problem, "seed": main.seed}
    if main.function is not None:
        landscape["function"] = main.function
    if main.samples is not None:
        landscape["samples"] = main.samples
    if main.noise is not None:
        landscape["noise"] = main.noise
    return {
        "title": title,
        "caption": caption,
        "landscape": landscape,
        "runs": [
            {
                "optimizer": r.optimizer,
                "lr": r.lr,
                "hyper": r.hyper,
                "start": None if r.start is None else list(r.start),
                "batch_size": r.batch_size,
            }
            for r in runs
        ],
        "views": views,
        "steps": steps,
    }


def save_scene(data: dict, folder: Path, name: str) -> Path:
    """Write a scene file into ``folder`` (atomically), checking it loads back first."""
    parse_scene(data, f"{name}.json", name)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.json"
    with atomic_write(path) as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return path
