"""``gdstudio sweep`` and ``gdstudio basins``: many runs of one set-up at once, to a CSV.

Both take every option of ``gdstudio run`` and keep its rules: bad input
exits with code 2 and one line naming the bad value, and the CSV is written
whole or not at all. Like ``run``, they import no Qt.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable
from functools import partial
from pathlib import Path

from .core import ConfigError, RunStatus, describe_method
from .core.atomic_file import atomic_write
from .core.basins import DEFAULT_GRID, BasinMap, run_basins
from .core.heap import keep_freed_memory
from .core.lr_sweep import LrSweep, log_rates, run_sweep
from .core.run_setup import RunSetup
from .core.typed_number import quoted, read_number

#: The subcommands this module runs.
COMMANDS = ("sweep", "basins")


def _rates(count: Callable[[str], int], text: str) -> tuple[float, float, int]:
    """``FROM:TO:N`` as numbers (read as ``--lr`` and ``--steps`` are); whether they make a
    range is the core's to say (:func:`log_rates`)."""
    parts = text.split(":")
    try:
        if len(parts) != 3:
            raise ValueError
        return read_number(parts[0]), read_number(parts[1]), count(parts[2])
    except (ValueError, ConfigError, argparse.ArgumentTypeError):
        raise argparse.ArgumentTypeError(f"expected FROM:TO:N (e.g. 1e-4:1:200), got {quoted(text)}") from None


def add_commands(
    sub: argparse._SubParsersAction,
    add_setup_options: Callable[[argparse.ArgumentParser], None],
    count: Callable[[str], int],
    steps: Callable[[str], int],
    file_name: Callable[[str], Path],
) -> None:
    """Add ``sweep`` and ``basins`` to the subcommands, each with ``run``'s options."""
    sweep = sub.add_parser("sweep", help="run one set-up at many learning rates at once; one CSV row per rate")
    add_setup_options(sweep)
    sweep.add_argument("--steps", type=steps, required=True, metavar="N", help="maximum number of steps of each run")
    sweep.add_argument(
        "--lrs",
        type=partial(_rates, count),
        metavar="FROM:TO:N",
        help="N rates from FROM to TO, evenly spaced on a log axis (default: 200 over four decades around --lr)",
    )
    sweep.add_argument(
        "--out", type=file_name, metavar="FILE.csv", help="CSV file to write (written whole or not at all)"
    )
    basins = sub.add_parser("basins", help="run one set-up from every start of a grid at once; one CSV row per start")
    add_setup_options(basins)
    basins.add_argument("--steps", type=steps, required=True, metavar="N", help="maximum number of steps of each run")
    basins.add_argument(
        "--grid", type=count, default=DEFAULT_GRID, metavar="N", help=f"starts per side (default: {DEFAULT_GRID})"
    )
    basins.add_argument(
        "--out", type=file_name, metavar="FILE.csv", help="CSV file to write (written whole or not at all)"
    )


def run_command(args: argparse.Namespace, setup: RunSetup) -> str:
    """Run ``args.command`` (one of :data:`COMMANDS`) for ``setup``; returns its one summary line
    (the caller prints it where it cannot land in the CSV, as ``run``'s is).

    The options are checked before any work starts, and the CSV is opened first, so an
    unwritable path is reported at once rather than after the runs.
    """
    keep_freed_memory()  # this process is the engine here
    problem = setup.make_problem()
    method = describe_method(setup.batch_size, problem.n_samples)
    if args.command == "sweep":
        if args.lrs is not None and args.lr is not None:
            raise ConfigError("give --lr (the middle of the default range) or --lrs, not both")
        rates = None if args.lrs is None else log_rates(*args.lrs)
        compute = partial(run_sweep, setup, args.steps, rates, problem=problem)
        describe, title = _describe_sweep, f"{setup.optimizer}, {method}"
    else:
        if args.start is not None:
            raise ConfigError("basins start from every point of the grid: --start does not apply")
        compute = partial(run_basins, setup, args.grid, args.steps, problem=problem)
        lr = setup.make_optimizer(problem).lr
        describe, title = _describe_basins, f"{setup.optimizer} lr={lr:g}, {method}"
    if args.out is None:
        result = compute()
    else:
        with atomic_write(args.out) as fh:
            result = compute()
            result.write_csv(fh)
    return f"{problem.name}, {title}: {describe(result)}"


def _statuses(outcomes) -> str:
    return ", ".join(f"{outcomes.count(s)} {s.label}" for s in RunStatus if outcomes.count(s))


def _describe_sweep(sweep: LrSweep) -> str:
    o, r = sweep.outcomes, sweep.rates
    text = f"{len(r)} rates from {r[0]:g} to {r[-1]:g}, {sweep.budget} steps: {_statuses(o)}"
    best = sweep.fastest()
    if best is not None:
        text += f"; fewest steps {o.steps[best]} at lr={r[best]:g}"
    if sweep.stability_limit is not None:
        text += f"; 2/L={sweep.stability_limit:g}"
    return text


def _describe_basins(basins: BasinMap) -> str:
    o = basins.outcomes
    text = f"{len(basins.xs)}x{len(basins.ys)} starts, {basins.budget} steps: {_statuses(o)}"
    sizes = basins.basin_sizes()
    reached = "; ".join(
        f"minimum {i} ({', '.join(f'{v:g}' for v in basins.minima[i].location)}) from {n}" for i, n in sizes.items()
    )
    return f"{text}; {reached or 'no known minimum reached'}; {len(o) - sum(sizes.values())} reached none"
