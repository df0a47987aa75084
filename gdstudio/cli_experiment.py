"""The command line's part in keeping work: experiment files, shipped datasets, the desktop.

``gdstudio FILE.gdstudio.json`` (what a file manager runs on a double-click) is
``gdstudio --config FILE``; ``--data NAME`` takes a shipped dataset's name as well
as a CSV file. Kept apart from ``cli.py`` so that file stays about parsing runs.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from pathlib import Path

from .core import ConfigError
from .core.atomic_file import atomic_write
from .core.experiment import Experiment, load_experiment
from .core.problems.shipped_data import shipped_dataset, shipped_datasets
from .core.trace_csv import TraceCsvWriter
from .core.typed_number import quoted

#: Set-up options that --config replaces (given together, one would be silently ignored).
_SETUP_OPTIONS = ("problem", "function", "lr", "start", "batch_size", "samples", "noise", "data")


def expand_file_argument(argv: Sequence[str]) -> list[str]:
    """``gdstudio FILE.gdstudio.json ...`` as ``gdstudio --config FILE ...`` (a first argument
    that is a JSON file; anything else is left for the subcommands)."""
    argv = list(argv)
    if argv and argv[0].lower().endswith(".json"):
        return ["--config", *argv]
    return argv


def data_file(text: str) -> Path:
    """``--data``: a shipped dataset's name (``old-faithful``) or a CSV file's path."""
    shipped = shipped_dataset(text)
    if shipped is not None:
        return shipped.path
    path = Path(text)
    if not text.strip() or (path.suffix.lower() != ".csv" and not path.exists()):
        names = ", ".join(shipped_datasets())
        raise argparse.ArgumentTypeError(f"no dataset called {quoted(text)}; the shipped ones are: {names}")
    return path


def default_problem(data: Path | None, fallback: str) -> str:
    """The problem a shipped dataset was made for, when no --problem is given."""
    shipped = shipped_dataset(data) if data is not None else None
    return shipped.problem if shipped is not None else fallback


def add_options(parser: argparse.ArgumentParser) -> None:
    """The window's options for files and the desktop."""
    parser.add_argument("--reset-settings", action="store_true", help="forget the window's saved settings and exit")
    parser.add_argument(
        "--install-desktop",
        action="store_true",
        help="add GD Studio to your applications menu and open *.gdstudio.json files with it (Linux), and exit",
    )


def setup_given(args: argparse.Namespace) -> bool:
    """True if any option describing the set-up was given (else the window may reopen the last one)."""
    return any(getattr(args, name, None) is not None for name in _SETUP_OPTIONS)


def load_config(args: argparse.Namespace) -> Experiment | None:
    """The experiment of ``--config``, refusing set-up options it would override."""
    if getattr(args, "config", None) is None:
        return None
    if setup_given(args):
        given = [name for name in _SETUP_OPTIONS if getattr(args, name, None) is not None]
        flag = "--" + given[0].replace("_", "-")
        raise ConfigError(f"--config holds the whole set-up; give {flag} or --config, not both")
    return load_experiment(args.config)


def run_experiment(experiment: Experiment, steps: int, out: Path | None) -> int:
    """``gdstudio run --config FILE``: every run of the experiment, one summary line each."""
    from .cli import _advance as advance
    from .cli import summary

    runs = experiment.scene.runs
    if out is not None and len(runs) > 1:
        raise ConfigError(f"this experiment races {len(runs)} runs and --out writes one; leave --out off for summaries")
    for setup, label in zip(runs, experiment.scene.labels):
        problem = setup.make_problem()
        sim = setup.make_simulation(problem)
        if out is not None:
            with atomic_write(out) as fh:
                writer = TraceCsvWriter(fh, problem.param_names)
                writer.write_start(sim.params[0], sim.loss[0])
                advance(sim, steps, writer)
        else:
            advance(sim, steps, None)
        print(f"{label}: {summary(sim, setup)}" if len(runs) > 1 else summary(sim, setup))
    return 0


def dataset_lines() -> list[str]:
    """The shipped datasets, for ``gdstudio list``."""
    lines = ["\nShipped datasets (--data NAME; source and licence in each file's header):"]
    lines += [f"  {d.name:<20} {d.title} [{d.problem}]" for d in shipped_datasets().values()]
    return lines


def desktop_actions(args: argparse.Namespace, reset_settings: Callable[[], str]) -> int:
    """--install-desktop, --reset-settings: each done, each said in one line."""
    if args.install_desktop:
        from .desktop_install import install_desktop

        print(f"Installed GD Studio into {install_desktop()}")
    if args.reset_settings:
        print(f"Settings reset ({reset_settings()})")
    return 0
