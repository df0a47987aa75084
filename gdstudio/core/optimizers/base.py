"""What an optimiser is: frozen hyperparameters, an ``init`` and an ``update``.

Following optax, the state is explicit and separate from the hyperparameters,
so a lecturer can change the learning rate mid-run (``dataclasses.replace``)
and keep the accumulated momentum. Everything is vectorised over ``K`` runs:
parameters and gradients have shape ``(K, 2)``.

Like torch.optim, ``update`` works in place: it overwrites the arrays of ``P``
and of the state and returns them. That halves the temporaries of a step,
which is most of its cost; a caller that needs old values copies them first.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields, replace
from typing import Any, ClassVar

import numpy as np

from ..errors import ConfigError


@dataclass(frozen=True)
class Spec:
    """How a hyperparameter is shown and which values it accepts."""

    label: str
    help: str
    low: float = 0.0
    high: float = math.inf
    low_open: bool = False
    high_open: bool = False
    log: bool = False
    #: Used only when a run starts (a starting value): changing it starts the run again.
    at_start: bool = False

    def accepts(self, value: float) -> bool:
        """True if ``value`` is a finite number in the allowed interval."""
        if not math.isfinite(value):
            return False
        above = value > self.low if self.low_open else value >= self.low
        below = value < self.high if self.high_open else value <= self.high
        return above and below

    def describe(self) -> str:
        """The allowed interval, e.g. ``[0, 1)``."""
        left = "(" if self.low_open else "["
        if math.isinf(self.high):
            return f"{left}{self.low:g}, ∞)"
        return f"{left}{self.low:g}, {self.high:g}{')' if self.high_open else ']'}"


def hyper(default: float, spec: Spec) -> Any:
    """A dataclass field for a hyperparameter, carrying its :class:`Spec`."""
    return field(default=default, metadata={"spec": spec})


LR_SPEC = Spec(
    "Learning rate",
    "Step size λ: how far each update moves the weights along the negative gradient.",
    log=True,
)

#: ε of the adaptive optimisers. Above 0: at ε = 0 a weight whose gradient has been
#: zero so far (from a start on an axis, say) would get 0 / 0.
EPS_SPEC = Spec("Epsilon", "ε: keeps the division finite when gradients are zero (so it must be above 0).",
                low_open=True, log=True)  # fmt: skip


@dataclass(frozen=True)
class Optimizer:
    """Base of every optimiser; ``lr`` is the only hyperparameter all share."""

    #: Registry name, e.g. ``"adam"``.
    name: ClassVar[str]
    title: ClassVar[str]
    summary: ClassVar[str]

    lr: float = hyper(0.01, LR_SPEC)

    def __post_init__(self) -> None:
        for f in fields(self):
            spec: Spec = f.metadata["spec"]
            value = getattr(self, f.name)
            if f.name == "lr" and isinstance(value, np.ndarray):
                bad = [v for v in value.ravel().tolist() if not spec.accepts(v)]
                if bad or value.ndim != 2 or value.shape[1] != 1:
                    got = bad[0] if bad else f"shape {value.shape}"
                    raise ConfigError(f"{self.name}: learning rates must be in {spec.describe()}, got {got}")
            elif not isinstance(value, (int, float)) or not spec.accepts(float(value)):
                what = "learning rate" if f.name == "lr" else f.name
                raise ConfigError(f"{self.name}: {what} must be in {spec.describe()}, got {value}")

    def with_rates(self, rates) -> Optimizer:
        """The same optimiser with a learning rate of its own for each of ``K`` runs.

        ``rates`` has shape ``(K,)``; it is kept as a ``(K, 1)`` column, so every
        update rule's ``λ · (K, 2)`` broadcasts one rate over each run's two
        weights. Each run then steps exactly as it would alone with its rate
        (the same operations on the same numbers), which is what lets a
        learning-rate sweep run as one simulation. The rates must be positive
        (a rate of zero is a special case for a single rate only). Such an
        optimiser is for a simulation only: it cannot be compared or hashed.
        """
        column = np.array(rates, dtype=float).reshape(-1, 1)
        if not (len(column) and np.all(column > 0)):
            raise ConfigError(f"{self.name}: per-run learning rates must be positive numbers")
        return replace(self, lr=column)

    @classmethod
    def hyperparameters(cls) -> dict[str, Spec]:
        """Every hyperparameter but the learning rate, with its spec, in order."""
        return {f.name: f.metadata["spec"] for f in fields(cls) if f.name != "lr"}

    @classmethod
    def defaults(cls) -> dict[str, float]:
        """Default value of every hyperparameter but the learning rate."""
        return {f.name: f.default for f in fields(cls) if f.name != "lr"}

    def init(self, P: np.ndarray) -> Any:
        """Fresh state for runs starting at ``P``: a NamedTuple of arrays and counts."""
        raise NotImplementedError

    def adopt(self, state: Any, previous: Optimizer) -> Any:
        """The state to go on with after ``previous`` (same kind, other hyperparameters)."""
        return state

    def update(self, G: np.ndarray, state: Any, P: np.ndarray) -> tuple[np.ndarray, Any]:
        """One step from gradients ``G`` at ``P``: returns ``(P, state)``.

        ``P`` and the state are updated in place; ``G`` is only read (the
        simulation hands in its record of the step's gradient).
        """
        raise NotImplementedError


def copy_state(state: Any) -> Any:
    """A copy of an optimiser state (a NamedTuple) that updates of the original leave alone."""
    return type(state)(*(np.copy(f, order="K") if isinstance(f, np.ndarray) else f for f in state))
