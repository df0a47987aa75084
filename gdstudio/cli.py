"""Command line: open the window, list what exists, or run descent headless.

``gdstudio run`` imports no Qt, so it works on a machine without a display.
Bad input exits with code 2 and one line naming the bad value.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path

from . import cli_explore
from .core import ConfigError, RunStatus, describe_method
from .core.atomic_file import atomic_write
from .core.optimizers import OPTIMIZERS
from .core.problems import DATASET_PROBLEMS, PROBLEM_NAMES, SURFACE_PROBLEMS, make_problem
from .core.problems.formula import NAME as FUNCTION
from .core.run_setup import RunSetup
from .core.trace_csv import TraceCsvWriter

#: Hyperparameter flags, each named after the optimiser field it sets.
HYPER_FLAGS = ("momentum", "beta1", "beta2", "eps", "alpha", "lr_decay", "initial_accumulator")
#: Steps per engine call while writing the CSV: bounds memory for long runs.
_CHUNK = 20_000


class _Parser(argparse.ArgumentParser):
    """An argument parser whose errors are one line and exit code 2."""

    def error(self, message: str):  # type: ignore[override]
        raise ConfigError(message)


def _number(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number, got {text!r}") from None
    return value


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be >= 0, got {value}")
    return value


def _start(text: str) -> tuple[float, float]:
    parts = text.split(",")
    try:
        a, b = (float(p) for p in parts)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected two numbers as A,B (e.g. -1.5,2), got {text!r}") from None
    if not (math.isfinite(a) and math.isfinite(b)):
        raise argparse.ArgumentTypeError(f"start must be finite, got {text!r}")
    return (a, b)


def _batch_size(text: str) -> int | None:
    if text.strip().lower() == "full":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number or 'full', got {text!r}") from None


def _add_setup_options(p: argparse.ArgumentParser) -> None:
    """Options that describe a run, shared by ``run`` and the window."""
    p.add_argument("--problem", default=None, help="loss landscape (see 'gdstudio list')")
    p.add_argument("--function", metavar="EXPR", help="your own surface instead of --problem, e.g. 'x^2 + 3*y^2'")
    p.add_argument("--optimizer", default="gd", help="update rule: " + ", ".join(OPTIMIZERS))
    p.add_argument("--lr", type=_number, help="learning rate (default: the problem's suggestion)")
    p.add_argument("--start", type=_start, help="start point A,B (default: the problem's)")
    p.add_argument("--batch-size", type=_batch_size, help="samples per step: 1 (SGD), B (mini-batch) or 'full'")
    p.add_argument("--seed", type=_count, default=0, help="seed for generated data and batch shuffling")
    p.add_argument("--samples", type=_count, help="number of generated samples (datasets)")
    p.add_argument("--noise", type=_number, help="noise of generated data (datasets)")
    p.add_argument("--data", type=Path, help="two-column CSV of x,y to fit (datasets)")
    p.add_argument("--tol", type=_number, default=1e-6, help="gradient norm at which a run has stopped")
    for name in HYPER_FLAGS:
        p.add_argument("--" + name.replace("_", "-"), dest=name, type=_number, help=argparse.SUPPRESS)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="gdstudio", description="GD Studio: watch gradient descent at work.")
    _add_setup_options(parser)
    parser.add_argument("--steps", type=_count, default=0, help="with --screenshot or --animation: steps to run first")
    parser.add_argument("--screenshot", type=Path, help="save a PNG of the window and exit")
    parser.add_argument("--animation", type=Path, help="save a GIF replaying the run and exit")
    parser.add_argument("--scene", help="open the lesson at this scene (its name or number, e.g. 06)")
    parser.add_argument("--full-screen", action="store_true", help="open the window full screen")
    sub = parser.add_subparsers(dest="command")
    sub.add_parser("list", help="list problems and optimisers with their defaults")
    run = sub.add_parser("run", help="run descent headless and write every step to a CSV")
    _add_setup_options(run)
    run.add_argument("--steps", type=_count, required=True, help="maximum number of steps")
    run.add_argument("--out", type=Path, help="CSV file to write (written whole or not at all)")
    run.epilog = "hyperparameters: " + " ".join("--" + n.replace("_", "-") for n in HYPER_FLAGS)
    cli_explore.add_commands(sub, _add_setup_options, _count)
    return parser


def _join_negative_values(argv: Sequence[str]) -> list[str]:
    """Let ``--start -1.5,2`` through: argparse would read ``-1.5,2`` as an option."""
    out: list[str] = []
    for token in argv:
        if out and out[-1].startswith("--") and "=" not in out[-1] and re.match(r"^-[\d.]", token):
            out[-1] = f"{out[-1]}={token}"
        else:
            out.append(token)
    return out


def setup_from_args(args: argparse.Namespace, default_problem: str = "linear-regression") -> RunSetup:
    """The :class:`RunSetup` the options describe."""
    hyper = {n: getattr(args, n) for n in HYPER_FLAGS if getattr(args, n) is not None}
    if args.problem is not None and args.function is not None:
        raise ConfigError("give --problem or --function, not both")
    return RunSetup(
        problem=FUNCTION if args.function is not None else args.problem or default_problem,
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
    print("Datasets (parameters w, b; batch size applies):")
    for name in DATASET_PROBLEMS:
        p = make_problem(name)
        print(f"  {name:<20} {p.description}  [suggested lr {p.suggested_lr:g}]")
    print("\nAnalytic surfaces (parameters x, y; exact gradient, no batches):")
    for name, s in SURFACE_PROBLEMS.items():
        best = min(s.minima, key=lambda m: m.value)
        loc = ", ".join(f"{v:g}" for v in best.location)
        print(f"  {name:<20} minimum {best.value:g} at ({loc}); start {s.default_start}, lr {s.suggested_lr:g}")
    print("  --function EXPR      your own surface in x and y, e.g. 'x^2 + 3*y^2' or 'sin(x)*cos(y)'")
    print("\nOptimizers (defaults as torch.optim; the learning rate is always yours):")
    for name, cls in OPTIMIZERS.items():
        params = ", ".join(f"{k}={v:g}" for k, v in cls.defaults().items()) or "lr only"
        print(f"  {name:<20} {params}")


def _headless_setup(args: argparse.Namespace) -> RunSetup:
    """The set-up of a headless command (``run``, ``sweep``, ``basins``), which must name its landscape."""
    if args.problem is None and args.function is None:
        raise ConfigError("--problem (or --function) is required; choose one of: " + ", ".join(PROBLEM_NAMES))
    return setup_from_args(args)


def _run(args: argparse.Namespace) -> int:
    setup = _headless_setup(args)
    problem = setup.make_problem()
    sim = setup.make_simulation(problem)
    if args.out is not None:
        with atomic_write(args.out) as fh:
            writer = TraceCsvWriter(fh, problem.param_names)
            writer.write_start(sim.params[0], sim.loss[0])
            _advance(sim, args.steps, writer)
    else:
        _advance(sim, args.steps, None)
    print(summary(sim, setup))
    return 0


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
    return (
        f"{problem.name}, {sim.optimizer.name} lr={sim.optimizer.lr:g}, {method}: "
        f"{status.label}{detail} after {sim.step} steps; {a}={x:.6g}, {b}={y:.6g}, loss={sim.loss[0]:.6g}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    argv = _join_negative_values(sys.argv[1:] if argv is None else argv)
    try:
        args = build_parser().parse_args(argv)
        if args.command == "list":
            _list()
            return 0
        if args.command == "run":
            return _run(args)
        if args.command in cli_explore.COMMANDS:
            return cli_explore.run_command(args, _headless_setup(args))
        setup = setup_from_args(args)
        setup.make_simulation()  # validate before any window appears
        if args.screenshot is not None and args.animation is not None:
            raise ConfigError("give --screenshot or --animation, not both")
        if args.animation is not None and args.steps == 0 and not args.scene:
            raise ConfigError("--animation replays a run: give --steps N (or a --scene)")
        scene = _find_scene(args.scene) if args.scene else None
    except ConfigError as exc:
        print(f"gdstudio: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # e.g. `gdstudio list | head`: the reader has gone, which is fine
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    from .app import main as gui_main

    return gui_main(
        setup,
        steps=args.steps,
        screenshot=args.screenshot,
        animation=args.animation,
        scene=scene,
        full_screen=args.full_screen,
    )


def _find_scene(name: str):
    """The shipped scene called ``name`` (or numbered so); checked before any window opens."""
    from .core.lesson import find_scene, load_folder

    scenes, _ = load_folder(Path(__file__).resolve().parent / "resources" / "lessons")
    index = find_scene(scenes, name)
    if index >= 0:
        return scenes[index]
    raise ConfigError(f"no lesson scene called {name!r}; there are: {', '.join(s.id for s in scenes)}")
