"""One-click races: one run compared across descent methods, optimisers or learning rates.

Each preset starts from the run being edited (its landscape, start, seed and
optimiser) and changes one thing, so that the comparison is fair: the same start,
the same data, and for batch sizes the same samples processed (the engine steps
runs of different batch sizes by :func:`~gdstudio.core.batch_schedule.equal_budget_paces`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from .errors import ConfigError
from .optimizers import OPTIMIZERS
from .problems import Problem
from .run_setup import RunSetup

#: Most runs in a race: each is drawn as its own path, and colours must stay told apart.
MAX_RUNS = 8
#: Batch size of the mini-batch run in "compare methods" (the lecture's usual one).
MINI_BATCH = 32
#: An adaptive optimiser moves each weight by about λ a step whatever the gradient's size, so its
#: λ is a share of the landscape's width (on Rosenbrock: 0.32, 0.004, 0.02, which lesson 11 uses).
ADAPTIVE_SHARE = {"adagrad": 0.08, "rmsprop": 0.001, "adam": 0.005}
#: Multiples of the run's λ in "compare learning rates".
RATE_FACTORS = (0.1, 1.0, 10.0)
#: "Just under 2/L": plain gradient descent still converges there, swinging across the valley.
UNDER_LIMIT = 0.95


@dataclass(frozen=True)
class Race:
    """Runs to load together, each with its name."""

    labels: tuple[str, ...]
    setups: tuple[RunSetup, ...]
    #: The runs are in an order (λ small → large): coloured from an ordered ramp.
    ordered: bool = False
    #: What the loss curve is plotted against for a fair comparison ("steps" or "samples").
    loss_axis: str = "steps"


def run_rate(setup: RunSetup, problem: Problem) -> float:
    """The λ ``setup`` runs with (the problem's suggestion when it sets none)."""
    return problem.suggested_lr if setup.lr is None else setup.lr


def compare_methods(base: RunSetup, problem: Problem) -> Race:
    """Full batch, stochastic and mini-batch :data:`MINI_BATCH`, on an equal budget of samples."""
    n = problem.n_samples
    if n is None:
        raise ConfigError("comparing methods needs a dataset landscape: a surface has no samples to batch")
    batch = min(MINI_BATCH, n)
    return Race(
        labels=(f"full batch ({n})", "stochastic (1)", f"mini-batch {batch}"),
        setups=tuple(replace(base, batch_size=b) for b in (None, 1, batch)),
        loss_axis="samples",
    )


def compare_optimizers(base: RunSetup, problem: Problem) -> Race:
    """All six optimisers from the same start, each at its defaults.

    Gradient descent and the two momentum methods take the run's λ (momentum's steps
    are then up to 1/(1 − β) longer, as the lecture says); an adaptive one a share of
    the landscape's width (:data:`ADAPTIVE_SHARE`).
    """
    lr = run_rate(base, problem)
    (x0, x1), _ = problem.domain
    rates = {name: ADAPTIVE_SHARE.get(name, 0.0) * (x1 - x0) or lr for name in OPTIMIZERS}
    return Race(
        labels=tuple(cls.title for cls in OPTIMIZERS.values()),
        setups=tuple(replace(base, optimizer=name, lr=float(f"{rates[name]:.3g}"), hyper={}) for name in OPTIMIZERS),
    )


def compare_learning_rates(base: RunSetup, problem: Problem) -> Race:
    """The run at λ × 0.1, × 1 and × 10, and just under 2/L where the curvature L is known
    (the stability limit of plain gradient descent), smallest λ first."""
    lr = run_rate(base, problem)
    rates = [(f"× {f:g}", lr * f) for f in RATE_FACTORS]
    if (top := problem.hessian_max_eig) is not None and top > 0:
        limit = UNDER_LIMIT * 2 / top
        if all(abs(limit - r) > 0.05 * r for _, r in rates):  # not the same run twice
            rates.append(("just under 2/L", limit))
    rates.sort(key=lambda item: item[1])
    return Race(
        labels=tuple(name for name, _ in rates),
        setups=tuple(replace(base, lr=float(f"{r:.3g}")) for _, r in rates),
        ordered=True,
    )


PRESETS = {
    "compare methods": compare_methods,
    "compare optimisers": compare_optimizers,
    "compare learning rates": compare_learning_rates,
}
