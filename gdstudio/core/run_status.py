"""How a run stands: still going, done, stuck or blown up."""

from __future__ import annotations

from enum import IntEnum

#: Why a run stopped at a point where its gradient has no value (0/0 at a cone's tip, a
#: cusp's infinite slope, a complex slope): part of its detail, whether it converged there or is stuck.
UNDEFINED_GRADIENT = "the gradient is undefined at this point"


class RunStatus(IntEnum):
    """The state of one run; stored as a small int per run."""

    RUNNING = 0
    #: The gradient vanished (or has no value, see :data:`UNDEFINED_GRADIENT`) at a global minimum.
    CONVERGED = 1
    #: The gradient vanished (or has no value) somewhere else: a local minimum, a saddle or a plateau.
    STUCK = 2
    #: The loss or weights became non-finite, or the weights flew far off the map.
    DIVERGED = 3

    @property
    def label(self) -> str:
        """Lower-case word for badges and summaries."""
        return self.name.lower()

    @property
    def finished(self) -> bool:
        """True once the run has stopped moving."""
        return self is not RunStatus.RUNNING
