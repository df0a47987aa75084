"""A learning-rate sweep: one set-up run at many rates side by side, as one simulation.

Which rates work is the first question about any descent, and the lecture's
answer for a quadratic is exact: plain gradient descent converges for
λ < 2/L and diverges above (L the largest curvature), and is fastest near
2/(L + μ). A sweep shows both at once: final loss and steps to converge
against λ on a log axis.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import TextIO

import numpy as np

from .errors import ConfigError
from .problems import Problem
from .run_outcomes import CancelCheck, Progress, RunOutcomes, run_to_end
from .run_setup import RunSetup
from .run_status import RunStatus
from .simulation import Simulation

#: Rates in a sweep unless told otherwise, spread evenly on a log axis ...
DEFAULT_RATES = 200
#: ... over this many powers of ten, centred on the set-up's learning rate.
DEFAULT_DECADES = 4.0
#: Most rates in one sweep (runs in one simulation).
MAX_RATES = 100_000


def log_rates(low: float, high: float, n: int) -> np.ndarray:
    """``n`` learning rates from ``low`` to ``high``, evenly spaced on a log axis.

    Raises
    ------
    ConfigError
        Unless ``0 < low <= high`` are finite and ``1 <= n <= MAX_RATES``
        (``n = 1`` needs ``low == high``).
    """
    if not (math.isfinite(low) and math.isfinite(high) and 0 < low <= high):
        raise ConfigError(f"learning rates must run from a positive number up to a larger one, got {low:g} to {high:g}")
    if not 1 <= n <= MAX_RATES:
        raise ConfigError(f"number of learning rates must be between 1 and {MAX_RATES}, got {n}")
    if n == 1 and low != high:
        raise ConfigError(f"one learning rate cannot span {low:g} to {high:g}; give FROM equal to TO, or N > 1")
    return np.array([low]) if n == 1 else np.geomspace(low, high, n)


def default_rates(lr: float, n: int = DEFAULT_RATES, decades: float = DEFAULT_DECADES) -> np.ndarray:
    """``n`` rates spanning ``decades`` powers of ten, with ``lr`` in the middle (on a log axis).

    Raises
    ------
    ConfigError
        If ``lr`` is not positive, or so large or small that the range would leave the
        floating-point numbers (``1e308`` would reach ``1e310``): its range must then be given.
    """
    if not (math.isfinite(lr) and lr > 0):
        raise ConfigError(f"a sweep spreads its rates around a positive learning rate, got {lr:g}")
    half = 10 ** (decades / 2)
    low, high = lr / half, lr * half
    if not (low > 0 and math.isfinite(high)):
        raise ConfigError(
            f"a sweep of {decades:g} decades around the learning rate {lr:g} would run from {low:g} to {high:g}, "
            "beyond the numbers a computer holds; give the range of rates yourself"
        )
    return log_rates(low, high, n)


@dataclass(frozen=True, eq=False)
class LrSweep:
    """The outcome of a sweep: for each rate, the final loss, status and steps taken."""

    #: The learning rates, ``(K,)``, ascending.
    rates: np.ndarray
    outcomes: RunOutcomes
    #: Steps each run was given.
    budget: int
    #: ``2/L``: plain gradient descent's stability limit, where the curvature is constant
    #: (quadratics); ``None`` elsewhere. Other optimisers have other limits: for them it
    #: is a reference line, not a prediction.
    stability_limit: float | None
    param_names: tuple[str, str]

    def fastest(self) -> int | None:
        """Index of the rate that converged in the fewest steps (the lowest such rate on a
        tie); ``None`` if none converged."""
        converged = np.flatnonzero(self.outcomes.status == RunStatus.CONVERGED)
        if not len(converged):
            return None
        return int(converged[np.argmin(self.outcomes.steps[converged])])

    def csv_header(self) -> list[str]:
        """``lr, loss, status, steps``, then the end point in the problem's parameter names."""
        a, b = self.param_names
        return ["lr", "loss", "status", "steps", a, b]

    def write_csv(self, fh: TextIO) -> None:
        """One row per rate; each number in the fewest digits that read back as exactly that float."""
        o = self.outcomes
        fh.write(",".join(self.csv_header()) + "\n")
        for lr, loss, label, steps, (x, y) in zip(
            self.rates.tolist(), o.loss.tolist(), o.labels(), o.steps.tolist(), o.end.tolist()
        ):
            fh.write(f"{lr!r},{loss!r},{label},{steps},{x!r},{y!r}\n")


def sweep_simulation(setup: RunSetup, rates, problem: Problem | None = None) -> Simulation:
    """One simulation of ``setup`` with one run per learning rate in ``rates``.

    Every run starts where ``setup`` starts and sees the same batches (one
    schedule, one seed), so each run is the run of ``setup`` with its rate.
    ``problem`` reuses an already built landscape.
    """
    problem = problem or setup.make_problem()
    rates = np.asarray(rates, dtype=float)
    if rates.ndim != 1 or not len(rates):
        raise ConfigError(f"a sweep needs a list of learning rates, got an array of shape {rates.shape}")
    one = replace(setup, lr=float(rates[0])).make_simulation(problem)  # checks everything but the rates
    return Simulation(
        problem,
        one.optimizer.with_rates(rates),
        np.repeat(one.params, len(rates), axis=0),
        batch_size=setup.batch_size,
        seed=setup.seed,
        tol=setup.tol,
    )


def run_sweep(
    setup: RunSetup,
    steps: int,
    rates=None,
    *,
    problem: Problem | None = None,
    progress: Progress | None = None,
    cancelled: CancelCheck | None = None,
) -> LrSweep:
    """Run ``setup`` at every rate of ``rates`` (default: :func:`default_rates` around its
    learning rate) for up to ``steps`` steps, all at once.

    Raises
    ------
    ConfigError
        For a set-up that cannot run, or rates that are not positive.
    CancelledError
        When ``cancelled()`` returns True between chunks of steps.
    """
    problem = problem or setup.make_problem()
    if rates is None:
        rates = default_rates(problem.suggested_lr if setup.lr is None else setup.lr)
    rates = np.sort(np.asarray(rates, dtype=float))
    sim = sweep_simulation(setup, rates, problem)
    outcomes = run_to_end(sim, steps, progress, cancelled)
    curvature = problem.hessian_max_eig
    return LrSweep(
        rates=rates,
        outcomes=outcomes,
        budget=steps,
        stability_limit=None if curvature is None or curvature <= 0 else 2.0 / curvature,
        param_names=problem.param_names,
    )
