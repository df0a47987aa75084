"""Command line: open the window, list what exists, or run descent headless.

``gdstudio run`` imports no Qt, so it works on a machine without a display.
Bad input exits with code 2 and one line naming the bad value.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from . import cli_experiment as files
from . import cli_explore
from .core import ConfigError, RunStatus, describe_method
from .core.atomic_file import atomic_write, check_writable
from .core.heap import keep_freed_memory
from .core.optimizers import OPTIMIZERS
from .core.problems import DATASET_PROBLEMS, PROBLEM_NAMES, SURFACE_PROBLEMS, DataSettings, make_problem
from .core.problems.formula import NAME as FUNCTION
from .core.resources import resource
from .core.run_setup import MAX_WINDOW_STEPS, RunSetup
from .core.trace_csv import TraceCsvWriter
from .core.typed_number import quoted, read_number, shortened
from .core.user_file import same_file


def _hyperparameter_help() -> dict[str, str]:
    """Every optimiser hyperparameter by field name, with what it does and which optimisers
    have it at which default: generated from the optimisers' Specs, as the panels are."""
    helps: dict[str, str] = {}
    defaults: dict[str, list[str]] = {}
    for name, cls in OPTIMIZERS.items():
        for key, spec in cls.hyperparameters().items():
            helps.setdefault(key, spec.help)
            defaults.setdefault(key, []).append(f"{name} {cls.defaults()[key]:g}")
    return {key: f"{text} Default: {', '.join(defaults[key])}." for key, text in helps.items()}


#: Hyperparameter flags, each named after the optimiser field it sets, with its help.
HYPER_FLAGS = _hyperparameter_help()
#: Steps per engine call while writing the CSV: bounds memory for long runs.
_CHUNK = 20_000


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        raise ConfigError(message)


def _number(text: str) -> float:
    """A number as Python writes one, ``0x10`` and ``1_000`` too (as in typed formulas)."""
    try:
        return read_number(text)
    except ConfigError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


#: Larger than any count GD Studio takes (each has its own limit, checked where it is used):
#: a larger one is refused here, so no message quotes a number of thousands of digits.
_LARGEST_COUNT = 2**63 - 1


def _count(text: str, most: int = _LARGEST_COUNT, too_large: str | None = None) -> int:
    """A whole number from 0 to ``most``; ``too_large`` says what is wrong with a larger one."""
    too_large = too_large or f"{quoted(text)} is too large a number"
    try:
        value = int(text)
    except ValueError:
        try:
            value = int(text.strip(), 0)
        except ValueError:
            if text.strip().lstrip("+-").replace("_", "").isdigit():  # more digits than Python reads
                raise argparse.ArgumentTypeError(too_large) from None
            raise argparse.ArgumentTypeError(f"expected a whole number, got {quoted(text)}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {shortened(text.strip())}")
    if value > most:
        raise argparse.ArgumentTypeError(too_large)
    return value


def _steps(text: str) -> int:
    """A step count: at most ``MAX_WINDOW_STEPS``, in the window and headless alike (a hundred
    million steps of one run already make a CSV of several gigabytes)."""
    return _count(text, MAX_WINDOW_STEPS, f"GD Studio runs at most {MAX_WINDOW_STEPS:,} steps, got {quoted(text)}")


def _named(text: str) -> Path:
    """A file to read: an empty name is refused (``Path("")`` is the current folder)."""
    if not text.strip():
        raise argparse.ArgumentTypeError(f"give a file name, got {quoted(text)}")
    return Path(text)


def _file_name(text: str) -> Path:
    """A file to write. ``keep.csv/`` names a folder: Path() would drop the slash and write over keep.csv."""
    _named(text)
    if text.endswith(("/", os.sep)) and text.strip("/" + os.sep):
        raise argparse.ArgumentTypeError(f"{quoted(text)} names a folder (it ends in a slash); give a file name")
    return Path(text)


def _start(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        a, b = (_number(p) for p in parts)
    except (ValueError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(f"expected two numbers as A,B (e.g. -1.5,2), got {quoted(text)}") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise argparse.ArgumentTypeError(f"start must be finite, got {quoted(text)}")
    return (a, b)


def _batch_size(text: str) -> int | None:
    """A batch size, or ``full``; a count like any other (so no message quotes a 4,000-digit one whole)."""
    if text.strip().lower() == "full":
        return None
    try:
        return _count(text)
    except argparse.ArgumentTypeError:
        if text.strip().lstrip("+-").replace("_", "").isdigit():
            raise  # a number, out of range
        raise argparse.ArgumentTypeError(f"expected a whole number or 'full', got {quoted(text)}") from None


def _add_setup_options(p: argparse.ArgumentParser, defaults: bool = True) -> None:
    """Options that describe a run, shared by ``run`` and the window.

    Without ``defaults`` (the ``run`` subcommand) an option not given leaves the
    value given before ``run`` alone: ``gdstudio --problem bowl run`` runs the bowl.
    """
    d = RunSetup()

    def add(flag: str, default=None, group=None, **kw) -> None:
        (group or p).add_argument(flag, default=default if defaults else argparse.SUPPRESS, **kw)

    noise = ", ".join(f"{name} {cls.default_noise:g}" for name, cls in DATASET_PROBLEMS.items())
    add("--problem", metavar="NAME", help=f"loss landscape (see 'gdstudio list'); the window opens on {d.problem}")
    add("--function", metavar="EXPR", help="your own surface instead of --problem, e.g. 'x^2 + 3*y^2'")
    add(
        "--optimizer",
        d.optimizer,
        metavar="NAME",
        help=f"update rule: {', '.join(OPTIMIZERS)} (default: {d.optimizer})",
    )
    add("--lr", type=_number, metavar="F", help="learning rate (default: the problem's suggestion)")
    add("--start", type=_start, metavar="A,B", help="start point (default: the problem's)")
    add(
        "--batch-size",
        type=_batch_size,
        metavar="N|full",
        help="samples per step: 1 (SGD), N (mini-batch), full (default)",
    )
    add(
        "--seed",
        d.seed,
        type=_count,
        metavar="N",
        help=f"seed for generated data and batch shuffling (default: {d.seed})",
    )
    add(
        "--samples",
        type=_count,
        metavar="N",
        help=f"number of generated samples (datasets; default: {DataSettings.samples})",
    )
    add("--noise", type=_number, metavar="F", help=f"noise of generated data (datasets; default: {noise})")
    add(
        "--data",
        type=files.data_file,
        metavar="NAME|FILE.csv",
        help="a shipped dataset (see 'gdstudio list') or a two-column CSV of x,y to fit instead (datasets)",
    )
    add("--config", type=_named, metavar="FILE", help="an experiment file (*.gdstudio.json) holding the whole set-up")
    add(
        "--tol",
        d.tol,
        type=_number,
        metavar="F",
        help=f"gradient norm at which a run has stopped (default: {d.tol:g})",
    )
    hyper = p.add_argument_group("hyperparameters (each only for the optimisers that have it)")
    for name, text in HYPER_FLAGS.items():
        add("--" + name.replace("_", "-"), group=hyper, dest=name, metavar="F", type=_number, help=text)


_DESCRIPTION = """\
GD Studio: watch gradient descent at work.

`gdstudio` alone opens the window on {problem}, {optimizer} with full batches, the
landscape's suggested learning rate and its start point; the options below change
any of those. `gdstudio list` shows every landscape and optimiser with its defaults;
`gdstudio run` runs descent without a window and writes every step to a CSV (see
`gdstudio run --help`)."""


def build_parser() -> argparse.ArgumentParser:
    d = RunSetup()
    parser = _Parser(
        prog="gdstudio",
        description=_DESCRIPTION.format(problem=d.problem, optimizer=d.optimizer),
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_setup_options(parser)
    parser.add_argument("--steps", type=_steps, default=0, metavar="N",
                        help="with --screenshot or --animation: steps to run first")  # fmt: skip
    parser.add_argument("--screenshot", type=_file_name, metavar="FILE.png", help="save a PNG of the window and exit")
    parser.add_argument(
        "--animation", type=_file_name, metavar="FILE.gif", help="save a GIF replaying the run and exit"
    )
    parser.add_argument("--scene", help="open the lesson at this scene (its name or number, e.g. 06)")
    parser.add_argument("--full-screen", action="store_true", help="open the window full screen")
    parser.add_argument(
        "--present", action="store_true", help="open in the presentation view (views and caption only, large text)"
    )
    files.add_options(parser)
    sub = parser.add_subparsers(dest="command", metavar="{list,run,sweep,basins}")
    sub.add_parser("list", help="list landscapes and optimisers with their defaults")
    run = sub.add_parser(
        "run",
        help="run descent without a window and write every step to a CSV",
        description="Run descent without a window (no display needed). One summary line goes to stdout "
        "(to stderr when the CSV goes to stdout). Bad input exits with code 2 and one line.",
    )
    _add_setup_options(run, defaults=False)
    run.add_argument(
        "--steps", type=_steps, required=True, metavar="N", help=f"maximum number of steps (up to {MAX_WINDOW_STEPS:,})"
    )
    run.add_argument(
        "--out", type=_file_name, metavar="FILE.csv", help="CSV file to write (written whole or not at all)"
    )
    cli_explore.add_commands(sub, functools.partial(_add_setup_options, defaults=False), _count, _steps, _file_name)
    return parser


#: A value starting with "-" (a negative number or pair, ``-x^2``, ``-data.csv``), not an option:
#: every option but -h is spelled with two dashes.
_DASH_VALUE = re.compile(r"^-(?!-|h$).")


def _join_negative_values(argv: Sequence[str]) -> list[str]:
    """Let ``--start -1.5,2``, ``--lr -inf`` and ``--function -x`` through: argparse would read
    the value as an option."""
    out: list[str] = []
    for token in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and _DASH_VALUE.match(token):
            out[-1] = f"{out[-1]}={token}"
        else:
            out.append(token)
    return out


def setup_from_args(args: argparse.Namespace, fallback: str = "linear-regression") -> RunSetup:
    """The :class:`RunSetup` the options describe."""
    hyper = {n: getattr(args, n) for n in HYPER_FLAGS if getattr(args, n) is not None}
    if args.problem is not None and args.function is not None:
        raise ConfigError("give --problem or --function, not both")
    return RunSetup(
        problem=FUNCTION
        if args.function is not None
        else files.default_problem(args.data, fallback)
        if args.problem is None
        else args.problem,  # "" is refused as an unknown landscape, not read as none given
        function=args.function,
        optimizer=args.optimizer,
        lr=args.lr,
        hyper=hyper,
        start=args.start,
        batch_size=args.batch_size,
        seed=args.seed,
        samples=args.samples,
        noise=args.noise,
        data=args.data,
        tol=args.tol,
    )


def _list() -> None:
    lines = ["Datasets (parameters w, b; batch size applies):"]
    for name in DATASET_PROBLEMS:
        p = make_problem(name)
        lines.append(f"  {name:<20} {p.description}  [suggested lr {p.suggested_lr:g}]")
    lines += files.dataset_lines()
    lines.append("\nAnalytic surfaces (parameters x, y; exact gradient, no batches):")
    for name, s in SURFACE_PROBLEMS.items():
        best = min(s.minima, key=lambda m: m.value)
        loc = ", ".join(f"{v:g}" for v in best.location)
        lines.append(f"  {name:<20} minimum {best.value:g} at ({loc}); start {s.default_start}, lr {s.suggested_lr:g}")
    lines.append("  --function EXPR      your own surface in x and y, e.g. 'x^2 + 3*y^2' or 'sin(x)*cos(y)'")
    lines.append("\nOptimizers (defaults as torch.optim; the learning rate is always yours):")
    for name, cls in OPTIMIZERS.items():
        params = ", ".join(f"{k}={v:g}" for k, v in cls.defaults().items()) or "lr only"
        lines.append(f"  {name:<20} {params}")
    _say("\n".join(lines))


def _say(text: str, stream: TextIO | None = None) -> None:
    """Print ``text`` to ``stream`` (stdout); one that cannot take it (a full disk,
    ``> /dev/full``) is one line and exit 2, not a traceback."""
    stream = stream or sys.stdout
    try:
        print(text, file=stream)
        stream.flush()
    except BrokenPipeError:
        raise
    except OSError as exc:
        _silence(stream)
        raise ConfigError(f"cannot write the output: {exc.strerror or exc}") from None


def _silence(stream: TextIO) -> None:
    """Point ``stream`` at the null device, so what Python flushes at exit cannot fail again."""
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), stream.fileno())


def _headless_setup(args: argparse.Namespace) -> RunSetup:
    """The set-up of a headless command (``run``, ``sweep``, ``basins``), which must name its landscape."""
    window_flags = ("screenshot", "animation", "scene", "full_screen", "present")
    window_only = [f"--{f.replace('_', '-')}" for f in window_flags if getattr(args, f)]
    if window_only:
        raise ConfigError(f"{', '.join(window_only)} is for the window, not for '{args.command}'")
    experiment = files.load_config(args)
    _refuse_writing_over_inputs(args, experiment, "--out", args.out)
    if experiment is not None:
        return experiment.scene.runs[0]
    if args.problem is None and args.function is None and args.data is None:
        raise ConfigError("--problem (or --function) is required; choose one of: " + ", ".join(PROBLEM_NAMES))
    return setup_from_args(args)


def _refuse_writing_over_inputs(args: argparse.Namespace, experiment, flag: str, output: Path | None) -> None:
    """An output file may not be a file the set-up is read from: the data, the experiment
    file or the experiment's data file (each would be replaced by the output)."""
    if output is None:
        return
    inputs = [("the --data file", args.data), ("the --config file", getattr(args, "config", None))]
    if experiment is not None:
        inputs += [("the experiment's data file", run.data) for run in experiment.scene.runs]
    for name, path in inputs:
        if path is not None and same_file(output, path):
            raise ConfigError(f"{flag} {output} is {name}: writing there would replace it")


def _run(args: argparse.Namespace) -> int:
    setup = _headless_setup(args)
    if getattr(args, "config", None) is not None:  # every run of the experiment
        return files.run_experiment(files.load_config(args), args.steps, args.out)
    keep_freed_memory()  # this process is the engine here
    problem = setup.make_problem()
    sim = setup.make_simulation(problem)
    summary_to = _summary_stream(args.out)
    if args.out is not None:
        with atomic_write(args.out) as fh:  # SIGTERM and SIGHUP remove its temporary file too
            writer = TraceCsvWriter(fh, problem.param_names)
            writer.write_start(sim.params[0], sim.loss[0])
            _advance(sim, args.steps, writer)
    else:
        _advance(sim, args.steps, None)
    _say(summary(sim, setup), summary_to)
    return 0


def _summary_stream(out: Path | None) -> TextIO:
    """Where the summary line goes: stdout, or stderr when the CSV goes to stdout (it would land in it)."""
    return sys.stderr if out is not None and _is_stdout(out) else sys.stdout


def _is_stdout(path: Path) -> bool:
    """True if ``path`` is where stdout goes (``/dev/stdout``, ``/dev/fd/1``, the same file)."""
    try:
        return os.path.samestat(os.stat(path), os.fstat(sys.stdout.fileno()))
    except (OSError, ValueError):  # no such file, or stdout is not a real file (captured)
        return False


def _advance(sim, steps: int, writer: TraceCsvWriter | None) -> None:
    while steps > 0 and not sim.finished:
        trace = sim.advance(min(_CHUNK, steps), every_row=writer is not None)
        steps -= _CHUNK
        if writer is not None:
            writer.write(trace)


def summary(sim, setup: RunSetup) -> str:
    """One line: what ran, how it ended, where."""
    problem = sim.problem
    status = RunStatus(int(sim.status[0]))
    a, b = problem.param_names
    x, y = sim.params[0]
    method = describe_method(setup.batch_size, problem.n_samples)
    detail = f" ({sim.detail[0]})" if sim.detail[0] else ""
    if status == RunStatus.DIVERGED:
        # The step that went bad is not kept (its numbers are infinite or meaningless):
        # say which step it was, and that the point shown is the one before it.
        ending = f"{status.label}{detail} at step {sim.step + 1}; before it"
    else:
        ending = f"{status.label}{detail} after {sim.step} steps;"
    return (
        f"{problem.name}, {sim.optimizer.name} lr={sim.optimizer.lr:g}, {method}: "
        f"{ending} {a}={x:.6g}, {b}={y:.6g}, loss={sim.full_loss()[0]:.6g}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = files.expand_file_argument(_join_negative_values(sys.argv[1:] if argv is None else argv))
    try:
        args = build_parser().parse_args(argv)
        if args.command == "list":
            _list()
            return 0
        if args.command == "run":
            return _run(args)
        if args.command in cli_explore.COMMANDS:
            _say(cli_explore.run_command(args, _headless_setup(args)), _summary_stream(args.out))
            return 0
        if args.install_desktop or args.reset_settings:
            from .app import reset_settings  # Qt's settings; imported only when asked for

            return files.desktop_actions(args, reset_settings)
        experiment = files.load_config(args)
        setup = experiment.scene.runs[0] if experiment else setup_from_args(args)
        for flag in ("--screenshot", "--animation"):
            _refuse_writing_over_inputs(args, experiment, flag, getattr(args, flag[2:]))
        setup.make_simulation()  # validate before any window appears
        if args.screenshot is not None and args.animation is not None:
            raise ConfigError("give --screenshot or --animation, not both")
        if args.animation is not None and args.steps == 0 and not (args.scene or experiment):
            raise ConfigError("--animation replays a run: give --steps N (or a --scene)")
        _check_picture_name("--screenshot", args.screenshot, "PNG", ".png")
        _check_picture_name("--animation", args.animation, "GIF", ".gif")
        scene = _find_scene(args.scene) if args.scene is not None else None
    except ConfigError as exc:
        print(f"gdstudio: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `gdstudio list | head`: the reader has gone, which is fine
        _silence(sys.stdout)
        return 0
    from .app import main as gui_main

    return gui_main(
        setup,
        steps=args.steps,
        screenshot=args.screenshot,
        animation=args.animation,
        scene=scene,
        full_screen=args.full_screen,
        present=args.present,
        experiment=experiment,
        restore_last=experiment is None and not files.setup_given(args),
    )


def _check_picture_name(flag: str, path: Path | None, kind: str, suffix: str) -> None:
    """Refuse a picture whose name says it is something else (a PNG saved as notes.csv
    would replace the user's CSV with a picture that keeps the CSV's name), or that can
    never be written (before a window opens and runs for nothing)."""
    if path is None:
        return
    if path.suffix.lower() != suffix:
        raise ConfigError(f"{flag} saves a {kind}: give a file name ending in {suffix}, got {str(path)!r}")
    check_writable(path)


def _find_scene(name: str):
    """The shipped scene called ``name`` (or numbered so); checked before any window opens."""
    from .core.lesson import find_scene, load_folder

    scenes, _ = load_folder(resource("lessons"))
    index = find_scene(scenes, name)
    if index >= 0:
        return scenes[index]
    raise ConfigError(f"no lesson scene called {name!r}; there are: {', '.join(s.id for s in scenes)}")
