"""Everything that defines a run, validated in one place for the CLI, the GUI and lessons."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError
from .optimizers import Optimizer, make_optimizer
from .problems import DataSettings, Problem, is_dataset, make_problem
from .simulation import Simulation

#: Largest seed: the window shows it in a 32-bit spin box (NumPy would take more).
MAX_SEED = 2**31 - 1
#: Most steps the window runs before it pauses (its step limit is a 32-bit spin box too).
MAX_WINDOW_STEPS = 100_000_000


@dataclass(frozen=True)
class RunSetup:
    """A landscape, a descent method, an optimiser and a start: one run, fully described.

    ``None`` for ``lr`` or ``start`` means the problem's suggestion. ``seed``
    seeds both the generated data and the batch shuffling.
    """

    problem: str = "linear-regression"
    optimizer: str = "gd"
    lr: float | None = None
    hyper: dict[str, float] = field(default_factory=dict)
    start: tuple[float, float] | None = None
    #: Samples per step; ``None`` is full batch (naive gradient descent).
    batch_size: int | None = None
    seed: int = 0
    samples: int | None = None
    noise: float | None = None
    data: Path | None = None
    tol: float = 1e-6
    #: A surface typed as a formula in x and y (``problem`` is then ``FUNCTION``, "function").
    function: str | None = None

    def data_settings(self) -> DataSettings | None:
        """How to make the data; ``None`` for a surface given no data options."""
        if not 0 <= self.seed <= MAX_SEED:
            raise ConfigError(f"seed must be between 0 and {MAX_SEED:,}, got {self.seed}")
        given = self.samples is not None or self.noise is not None or self.data is not None
        if not is_dataset(self.problem) and not given:
            return None
        return DataSettings(
            samples=500 if self.samples is None else self.samples,
            noise=self.noise,
            seed=self.seed,
            path=self.data,
        )

    def make_problem(self, progress: Callable[[float], None] | None = None) -> Problem:
        """Build the landscape (generating or reading its data, or reading its formula);
        ``progress`` is told the fraction of the data read or made."""
        return make_problem(self.problem, self.data_settings(), self.function, progress)

    def make_optimizer(self, problem: Problem) -> Optimizer:
        """Build the optimiser, with the problem's suggested learning rate if none is set."""
        lr = problem.suggested_lr if self.lr is None else self.lr
        return make_optimizer(self.optimizer, lr, **self.hyper)

    def make_simulation(self, problem: Problem | None = None) -> Simulation:
        """Build a one-run simulation, reusing ``problem`` if it is already built."""
        problem = problem or self.make_problem()
        start = problem.default_start if self.start is None else self.start
        return Simulation(
            problem,
            self.make_optimizer(problem),
            [start],
            batch_size=self.batch_size,
            seed=self.seed,
            tol=self.tol,
        )
