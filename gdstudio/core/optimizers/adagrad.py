"""AdaGrad: per-parameter steps that shrink with the gradients seen (torch.optim.Adagrad)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import EPS_SPEC, Optimizer, Spec, hyper


class AdagradState(NamedTuple):
    """Step count ``t`` and the running sum of squared gradients ``s``."""

    count: int
    sum_sq: np.ndarray


@dataclass(frozen=True)
class Adagrad(Optimizer):
    """``s ← s + g²``, ``p ← p − λₜ g / (√s + ε)`` with ``λₜ = λ / (1 + (t − 1) η)``.

    Identical to torch.optim.Adagrad (``η`` is ``lr_decay``; ``s`` starts at
    ``initial_accumulator_value``). Steep directions get small steps, flat ones
    large; every step is smaller than the one before.
    """

    name = "adagrad"
    title = "AdaGrad"
    summary = "Divide each step by the root of all squared gradients so far."

    lr_decay: float = hyper(0.0, Spec("LR decay", "η: shrinks the learning rate as λ / (1 + (t − 1)·η)."))
    initial_accumulator: float = hyper(
        0.0, Spec("Initial accumulator", "Starting value of the sum of squared gradients.", at_start=True)
    )
    eps: float = hyper(1e-10, EPS_SPEC)

    def init(self, P):
        return AdagradState(0, np.full_like(P, self.initial_accumulator))

    def update(self, G, state, P):
        t = state.count + 1
        lr_t = self.lr / (1 + (t - 1) * self.lr_decay)
        s = state.sum_sq
        s += G * G
        denom = np.sqrt(s)
        denom += self.eps
        P -= lr_t * G / denom
        return P, AdagradState(t, s)
