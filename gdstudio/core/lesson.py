"""Lesson scenes: runnable set-ups stored as JSON, validated on load with clear errors."""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from .atomic_file import atomic_write
from .errors import ConfigError
from .optimizers import OPTIMIZERS, make_optimizer
from .problems import PROBLEM_NAMES, SURFACE_PROBLEMS, DataSettings, is_dataset
from .problems.data import MAX_NOISE, MAX_SAMPLES
from .problems.formula import DOMAIN as FORMULA_DOMAIN
from .problems.formula import NAME as FUNCTION
from .problems.formula import check_formula
from .run_setup import MAX_SEED, MAX_WINDOW_STEPS, RunSetup
from .simulation import check_starts_on_map
from .user_file import read_regular

#: Views a scene may show.
VIEWS = ("surface", "map", "loss", "slice", "data")
#: Each JSON type, as an error message names it.
_KIND_NAMES = {"str": "text", "int": "a whole number", "float": "a number", "list": "a list", "dict": "an object",
               "bool": "true or false"}  # fmt: skip
#: What the loss curve may be plotted against.
LOSS_AXES = ("steps", "epochs", "samples")

#: Largest scene file read: the shipped ones are about 1 kB; a 100 MB caption froze the window.
MAX_FILE_BYTES = 256_000
#: Longest texts: a caption is read aloud from the screen, titles and labels fit a line.
MAX_CAPTION, MAX_TITLE, MAX_LABEL, MAX_NAME, MAX_FORMULA = 4_000, 200, 200, 100, 500
#: Most runs and annotations in one scene (each run is drawn as its own path).
MAX_RUNS, MAX_ANNOTATIONS = 64, 64
#: Largest size of any number in a scene; larger ones overflow a float.
MAX_NUMBER = 1e300
#: Starts and annotations lie on the map, within a few units of zero.
MAX_COORDINATE = 1e6
#: Slowest and fastest steps per second a scene may ask for.
MIN_SPEED, MAX_SPEED = 0.1, 100_000.0
#: A run's colour as a scene writes it: ``#`` and six hex digits (``"#CC79A7"``), the form every
#: view and the run list take as it is.
_COLOR = re.compile(r"#[0-9A-Fa-f]{6}")


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
    #: Draw the first run's mini-batch gradients on the map (a dataset landscape only).
    gradient_cloud: bool = False
    #: Per run: the colour the user gave it (``#RRGGBB``), or ``None`` for its usual one.
    colors: tuple[str | None, ...] = ()


class _Fields:
    """Reads typed fields from a JSON object, naming the file and field in every error.

    Every number is checked for its type and range where it is read, so nothing
    downstream meets a 400-digit integer (``float()`` overflows) or a string.
    """

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
            raise self._fail(key, f"must be {_kind_name(kinds)}, got {_shown(value)}")
        if float in kinds and isinstance(value, (int, float)) and not abs(value) <= MAX_NUMBER:
            raise self._fail(key, f"must be a finite number within ±{MAX_NUMBER:g}, got {_shown(value)}")
        return value

    def text(self, key: str, longest: int, default=..., optional: bool = False) -> str | None:
        """A string of at most ``longest`` characters."""
        value = self.get(key, str, default, optional)
        if value is not None and len(value) > longest:
            raise self._fail(key, f"is {len(value):,} characters long; keep it under {longest:,}")
        return value

    def line(self, key: str, longest: int, default=..., blank: bool = False) -> str:
        """A name shown in a list, a legend or on the map: one line, and not blank unless ``blank``
        (an experiment file's title may be empty)."""
        value = self.text(key, longest, default)
        if not blank and not value.strip():
            raise self._fail(key, "is blank; give it a name to show")
        if len(value.splitlines()) > 1:
            raise self._fail(key, f"must be one line, got {_said(value)}")
        return value

    def color(self, key: str) -> str | None:
        """A colour written ``#RRGGBB`` (upper case once read), or ``None`` where there is none."""
        value = self.get(key, str, optional=True)
        if value is not None and not _COLOR.fullmatch(value):
            raise self._fail(key, f'must be a colour written #RRGGBB (like "#CC79A7"), got {_shown(value)}')
        return None if value is None else value.upper()

    def number(self, key: str, low: float, high: float, default=..., optional: bool = False) -> float | None:
        """A number (a JSON integer too) in ``[low, high]``, as a float."""
        value = self.get(key, (int, float), default, optional)
        if value is not None and not low <= value <= high:
            raise self._fail(key, f"must be between {low:g} and {high:g}, got {_shown(value)}")
        return None if value is None else float(value)

    def whole(self, key: str, low: int, high: int, default=..., optional: bool = False) -> int | None:
        """A whole number in ``[low, high]``."""
        value = self.get(key, int, default, optional)
        if value is not None and not low <= value <= high:
            raise self._fail(key, f"must be between {low:,} and {high:,}, got {_shown(value)}")
        return value

    def items(self, key: str, longest: int, default=...) -> list:
        """A list of at most ``longest`` items."""
        value = self.get(key, list, default)
        if len(value) > longest:
            raise self._fail(key, f"has {len(value):,} items; at most {longest:,} are allowed")
        return value

    def pair(self, key: str, optional: bool = False) -> tuple[float, float] | None:
        value = self.get(key, list, optional=optional)
        if value is None:
            return None
        if len(value) != 2 or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            raise self._fail(key, f"must be two numbers [a, b], got {_shown(value)}")
        if not all(abs(v) <= MAX_COORDINATE for v in value):
            raise self._fail(key, f"must be two numbers within ±{MAX_COORDINATE:g}, got {_shown(value)}")
        return (float(value[0]), float(value[1]))


def _kind_name(kinds: tuple[type, ...]) -> str:
    if int in kinds and float in kinds:
        return "a number"
    return " or ".join(_KIND_NAMES.get(k.__name__, k.__name__) for k in kinds)


def _shown(value, longest: int = 60) -> str:
    """``value`` as JSON for a message, cut short (a 5000-digit number, a huge list)."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**longest:
        return f"a number of {len(str(abs(value))):,} digits" if value.bit_length() < 14_000 else "a huge number"
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (ValueError, RecursionError):
        text = "a value too deep or big to show"
    return text if len(text) <= longest else text[: longest - 1] + "…"


def _said(text: str, longest: int = 60) -> str:
    """A name from the file, quoted as Python would, cut short."""
    return repr(text if len(text) <= longest else text[: longest - 1] + "…")


def _hyper(data, where: str, origin: str) -> dict[str, float]:
    """A run's hyperparameters: names to numbers (names are checked by the optimiser)."""
    f = _Fields(data, where, origin)
    return {key: float(f.get(key, (int, float))) for key in f.data}


def parse_scene(data, origin: str, scene_id: str, path: Path | None = None) -> Scene:
    """Build a :class:`Scene` from decoded JSON; errors name ``origin`` and the field."""
    top = _Fields(data, "", origin)
    land = _Fields(top.get("landscape", dict), "landscape", origin)
    problem = land.text("problem", MAX_NAME)
    function = land.text("function", MAX_FORMULA) if problem == FUNCTION else None
    if function is not None:
        try:
            check_formula(function)
        except ConfigError as exc:
            raise ConfigError(f"{origin}: field 'landscape.function': {exc}") from None
    if problem not in PROBLEM_NAMES and function is None:
        raise ConfigError(f"{origin}: field 'landscape.problem' is {_said(problem)}, which is not a known landscape")
    seed = land.whole("seed", 0, MAX_SEED, default=0)
    samples = land.whole("samples", 2, MAX_SAMPLES, optional=True)
    noise = land.number("noise", 0, MAX_NOISE, optional=True)
    no_data = None if is_dataset(problem) else f"does not apply: {_said(problem)} is a surface, with no data"
    for key, value in (("samples", samples), ("noise", noise)):
        if value is not None and no_data:
            raise land._fail(key, no_data)
    # Generated data's count bounds a batch; a data file (in an experiment) is counted when it loads.
    most_batch = (
        (DataSettings.samples if samples is None else samples) if land.data.get("data") is None else MAX_SAMPLES
    )
    # A surface's map is known now (a dataset's depends on its data): a start far off it is refused here.
    domain = None if no_data is None else (FORMULA_DOMAIN if function is not None else SURFACE_PROBLEMS[problem].domain)
    runs_data = top.items("runs", MAX_RUNS)
    if not runs_data:
        raise ConfigError(f"{origin}: field 'runs' must list at least one run")
    runs, labels, diverges, colors = [], [], [], []
    for i, item in enumerate(runs_data):
        f = _Fields(item, f"runs[{i}]", origin)
        optimizer = f.text("optimizer", MAX_NAME, default="gd")
        if optimizer not in OPTIMIZERS:
            raise ConfigError(f"{origin}: field 'runs[{i}].optimizer' is {_said(optimizer)}, which is not an optimiser")
        hyper = _hyper(f.get("hyper", dict, default={}), f"runs[{i}].hyper", origin)
        lr = f.get("lr", (int, float), optional=True)
        batch = f.whole("batch_size", 1, MAX_SAMPLES, optional=True)
        if batch is not None and no_data:
            raise f._fail("batch_size", f"{no_data}: every step takes the exact gradient")
        if batch is not None and batch > most_batch:
            raise f._fail("batch_size", f"must be at most the {most_batch:,} samples, got {batch:,}")
        try:
            make_optimizer(optimizer, 0.01 if lr is None else float(lr), **hyper)
        except (ConfigError, TypeError) as exc:
            raise ConfigError(f"{origin}: runs[{i}]: {exc}") from None
        start = f.pair("start", optional=True)
        if start is not None and domain is not None:
            try:
                check_starts_on_map(domain, [start])
            except ConfigError as exc:
                raise f._fail("start", f"is no good: {exc}") from None
        runs.append(
            RunSetup(
                problem=problem,
                optimizer=optimizer,
                lr=None if lr is None else float(lr),
                hyper=hyper,
                start=start,
                batch_size=batch,
                # A run's own seed orders its batches; the first run's also makes the data, so the
                # landscape's seed is the first run's unless it gives its own.
                seed=f.whole("seed", 0, MAX_SEED, default=seed),
                samples=samples,
                noise=noise,
                function=function,
            )
        )
        labels.append(f.line("label", MAX_LABEL, default=f"{optimizer}, λ {lr}"))
        diverges.append(f.get("diverges", bool, default=False))
        colors.append(f.color("color"))
    views = top.items("views", len(VIEWS), default=["surface", "map", "loss"])
    if not views:
        raise ConfigError(f"{origin}: field 'views' must list at least one view: {', '.join(VIEWS)}")
    for view in views:
        if not isinstance(view, str) or view not in VIEWS:
            shown = _said(view) if isinstance(view, str) else _shown(view)
            raise ConfigError(f"{origin}: field 'views' has {shown}; choose from {', '.join(VIEWS)}")
    if set(views) == {"data"} and no_data:  # the window would show nothing at all
        raise ConfigError(f"{origin}: field 'views' shows only the data view, but {_said(problem)} has no data")
    annotations = []
    for i, item in enumerate(top.items("annotations", MAX_ANNOTATIONS, default=[])):
        f = _Fields(item, f"annotations[{i}]", origin)
        annotations.append(Annotation(f.line("label", MAX_LABEL), f.pair("at")))
    steps = top.whole("steps", 1, MAX_WINDOW_STEPS, default=500)
    speed = top.number("speed", MIN_SPEED, MAX_SPEED, optional=True)
    loss_axis = top.text("loss_axis", MAX_NAME, default="steps")
    if loss_axis not in LOSS_AXES:
        raise ConfigError(f"{origin}: field 'loss_axis' must be one of {', '.join(LOSS_AXES)}, got {_said(loss_axis)}")
    gradient_cloud = top.get("gradient_cloud", bool, default=False)
    if gradient_cloud and not is_dataset(problem):
        raise ConfigError(
            f"{origin}: field 'gradient_cloud' needs a landscape made of data samples (their batches' "
            f"gradients are drawn); {_said(problem)} has none"
        )
    return Scene(
        id=scene_id,
        title=top.line("title", MAX_TITLE, blank=True),
        caption=top.text("caption", MAX_CAPTION),
        formula=top.text("formula", MAX_TITLE, optional=True),
        runs=tuple(runs),
        labels=tuple(labels),
        views=tuple(views),
        annotations=tuple(annotations),
        steps=steps,
        speed=speed,
        loss_axis=loss_axis,
        path=path,
        diverges=tuple(diverges),
        ordered=top.get("ordered", bool, default=False),
        gradient_cloud=gradient_cloud,
        colors=tuple(colors) if any(colors) else (),
    )


def load_scene(path: str | Path) -> Scene:
    """Read and validate one scene file (a regular file of at most :data:`MAX_FILE_BYTES`)."""
    path = Path(path)
    try:
        raw = read_regular(path, MAX_FILE_BYTES, "the scene")
    except ConfigError as exc:
        raise ConfigError(f"{path.name}: {exc}") from None
    return read_scene(raw, path.name, path.stem, path)


def read_scene(raw: bytes, name: str, scene_id: str, path: Path | None = None) -> Scene:
    """A scene from the bytes of a file called ``name``; every error is one line naming it."""
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{name}: not valid JSON (not UTF-8 text: {exc.reason} at byte {exc.start})") from None
    except RecursionError:
        raise ConfigError(f"{name}: not valid JSON for a scene (nested too deeply)") from None
    except ValueError as exc:  # JSONDecodeError, or an integer of more than 4,300 digits
        raise ConfigError(f"{name}: not valid JSON ({exc})") from None
    try:
        return parse_scene(data, name, scene_id, path)
    except RecursionError:
        raise ConfigError(f"{name}: nested too deeply to be a scene") from None


def load_folder(folder: Path) -> tuple[list[Scene], list[tuple[Path, str]]]:
    """Every ``*.json`` scene in ``folder``, in name order, and the broken ones with why.

    No file can stop the others from loading: whatever goes wrong with one is its reason in the list.
    """
    scenes, broken = [], []
    try:
        paths = sorted(folder.glob("*.json")) if folder.is_dir() else []
    except OSError:
        paths = []
    for path in paths:
        try:
            scenes.append(load_scene(path))
        except ConfigError as exc:
            broken.append((path, str(exc)))
        except Exception as exc:  # a bug in one file must not stop the app from starting
            broken.append((path, f"{path.name}: could not be read ({type(exc).__name__}: {exc})"[:300]))
    return scenes, broken


def find_scene(scenes: list[Scene], name: str) -> int:
    """Index of the scene whose id is ``name`` or starts with it (``"06"``), or -1 (for a blank name too).

    A full id whose number has since changed (``"12-mini-batch-noise"``, remembered by a window
    or written in a script before the lessons were put in lecture order) still finds its scene by
    the name after the number, so a lecture reopens at the scene it had reached, not at another
    that now carries its number.
    """
    if not name.strip():
        return -1
    for i, scene in enumerate(scenes):
        if scene.id == name or scene.id.startswith(name):
            return i
    number, dash, title = name.partition("-")
    if number.isdigit() and dash and title:
        for i, scene in enumerate(scenes):
            their_number, _, their_title = scene.id.partition("-")
            if their_number.isdigit() and their_title == title:
                return i
    return -1


def scene_dict(
    title: str,
    caption: str,
    runs: list[RunSetup],
    views: list[str],
    steps: int,
    labels: list[str] | None = None,
    ordered: bool = False,
    colors: list[str | None] | None = None,
) -> dict:
    """The JSON form of a set-up, for "save current setup as scene" (a race keeps its runs'
    names, their own seeds, whether they are in an order and the colours the user gave them:
    ``colors[i]`` is run ``i``'s, or ``None`` where it wears its usual one)."""
    main = runs[0]
    landscape = {"problem": main.problem, "seed": main.seed}
    if main.function is not None:
        landscape["function"] = main.function
    if main.samples is not None:
        landscape["samples"] = main.samples
    if main.noise is not None:
        landscape["noise"] = main.noise
    items = []
    for i, r in enumerate(runs):
        item = {"label": labels[i]} if labels else {}
        item.update(optimizer=r.optimizer, lr=r.lr, hyper=r.hyper, start=None if r.start is None else list(r.start))
        item["batch_size"] = r.batch_size
        if r.seed != main.seed:
            item["seed"] = r.seed
        if colors and colors[i] is not None:
            item["color"] = colors[i]
        items.append(item)
    data = {"title": title, "caption": caption, "landscape": landscape, "runs": items, "views": views, "steps": steps}
    if ordered:
        data["ordered"] = True
    return data


class SceneExistsError(ConfigError):
    """Saving would replace a scene file that is already there: the caller must ask first."""

    def __init__(self, path: Path) -> None:
        super().__init__(f"a scene file called {path.name} is already in {path.parent}")
        self.path = path


def scene_file_name(title: str) -> str:
    """A file name (without ``.json``) for a scene title: its letters and digits in any script,
    lower case, joined by hyphens (``"Test A!"`` -> ``"test-a"``, ``"勾配降下"`` -> ``"勾配降下"``).

    Kept under 120 bytes of UTF-8, well within a file name's 255; ``"scene"`` if nothing is left.
    """
    words = re.findall(r"[^\W_]+", unicodedata.normalize("NFKC", title).casefold())
    name = "-".join(words)
    while len(name.encode("utf-8")) > 120:
        name = name[:-1]
    return name.strip("-") or "scene"


def save_scene(data: dict, folder: Path, name: str, replace: bool = False) -> Path:
    """Write a scene file into ``folder`` (atomically), checking it loads back first.

    Raises
    ------
    SceneExistsError
        If ``name.json`` is already there and ``replace`` is false: a scene is never
        replaced without the user saying so.
    ConfigError
        If the scene does not validate or cannot be written.
    """
    parse_scene(data, f"{name}.json", name)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(f"cannot make the folder {folder}: {exc.strerror or exc}") from None
    path = folder / f"{name}.json"
    if not replace and (path.exists() or path.is_symlink()):
        raise SceneExistsError(path)
    with atomic_write(path) as fh:
        json.dump(data, fh, indent=2, ensure_ascii=False)
        fh.write("\n")
    return path
