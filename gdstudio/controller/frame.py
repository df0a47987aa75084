"""What the views draw: the landscape once per load, then frames as the run goes."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..core import RunStatus
from ..core.history import History
from ..core.loss_grid import LossGrid

__all__ = ["Frame", "LossGrid", "RunFrame"]


@dataclass(frozen=True, eq=False)
class RunFrame:
    """The latest state of one run, and its history so far."""

    label: str
    history: History
    params: np.ndarray
    loss: float
    batch_loss: float
    #: Full gradient at ``params``.
    grad: np.ndarray
    #: The change the last step made to the weights.
    update: np.ndarray
    status: RunStatus
    detail: str
    #: Step at which the run stopped, or -1.
    finished_at: int


@dataclass(frozen=True, eq=False)
class Frame:
    """Everything the views need to draw the run as it is now."""

    step: int
    epoch: float
    samples: int
    runs: tuple[RunFrame, ...]
