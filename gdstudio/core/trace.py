"""The numbers of every step taken in one call of ``Simulation.advance``."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np


@dataclass(frozen=True, eq=False)
class Trace:
    """One row per step, ``K`` runs per row.

    Row ``i`` describes the state *after* step ``step[i]``: the gradient and
    batch loss are those the step used (taken at the weights before it); the
    loss is the full-data loss at the weights after it.
    """

    #: Global step number of each row, from 1.
    step: np.ndarray
    #: Samples processed once the step is done (equal to ``step`` for surfaces).
    samples: np.ndarray
    #: Epochs completed once the step is done (equal to ``step`` for surfaces).
    epoch: np.ndarray
    #: Weights after the step, ``(n, K, 2)``.
    params: np.ndarray
    #: Full-data loss after the step, ``(n, K)``.
    loss: np.ndarray
    #: Loss on the batch the step used, ``(n, K)``.
    batch_loss: np.ndarray
    #: Gradient the step used, ``(n, K, 2)``.
    grad: np.ndarray

    def __len__(self) -> int:
        return len(self.step)

    def run_columns(self, run: int) -> dict[str, np.ndarray]:
        """One run's rows as named columns: step, samples, epoch, x, y, loss, batch_loss, gx, gy."""
        return {
            "step": self.step,
            "samples": self.samples,
            "epoch": self.epoch,
            "x": self.params[:, run, 0],
            "y": self.params[:, run, 1],
            "loss": self.loss[:, run],
            "batch_loss": self.batch_loss[:, run],
            "gx": self.grad[:, run, 0],
            "gy": self.grad[:, run, 1],
        }

    def last(self) -> Trace:
        """A trace of the final row only (a copy)."""
        return Trace(*(np.copy(getattr(self, f.name)[-1:]) for f in fields(self)))

    def copy(self) -> Trace:
        """A trace that owns its rows (in the same memory layout)."""
        return Trace(*(np.copy(getattr(self, f.name)) for f in fields(self)))

    @classmethod
    def concat(cls, traces: list[Trace]) -> Trace:
        """Rows of several consecutive traces, in order."""
        if len(traces) == 1:
            return traces[0]
        return cls(*(np.concatenate([getattr(t, f.name) for t in traces]) for f in fields(cls)))

    @classmethod
    def empty(cls, k: int) -> Trace:
        """A trace with no rows (every run had already finished)."""
        z1, z2 = np.empty((0, k)), np.empty((0, k, 2))
        return cls(np.empty(0, int), np.empty(0, int), np.empty(0), z2, z1, z1.copy(), z2.copy())
