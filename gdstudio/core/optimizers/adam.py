"""Adam: momentum and RMSProp together, with bias correction (torch.optim.Adam)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import Optimizer, Spec, hyper


class AdamState(NamedTuple):
    """Step count ``t``, first moment ``m`` and second moment ``v``."""

    count: int
    mu: np.ndarray
    nu: np.ndarray
    #: Work space, so that a step allocates nothing.
    scratch: np.ndarray


BETA = {"high": 1.0, "high_open": True}


@dataclass(frozen=True)
class Adam(Optimizer):
    """``m ← β₁ m + (1 − β₁) g``, ``v ← β₂ v + (1 − β₂) g²``,
    ``p ← p − (λ / (1 − β₁ᵗ)) m / (√v / √(1 − β₂ᵗ) + ε)``.

    Identical to torch.optim.Adam (no weight decay, no AMSGrad): ε is added
    after the bias correction of ``√v``, as torch does (the paper adds it to
    the corrected ``√v̂``, which is the same thing).
    """

    name = "adam"
    title = "Adam"
    summary = "Momentum plus per-parameter step sizes, corrected for their zero start."

    beta1: float = hyper(0.9, Spec("Beta 1", "β₁: memory of the average gradient (momentum).", **BETA))
    beta2: float = hyper(0.999, Spec("Beta 2", "β₂: memory of the average squared gradient.", **BETA))
    eps: float = hyper(1e-8, Spec("Epsilon", "ε: keeps the division finite when gradients are zero.", log=True))

    def init(self, P):
        return AdamState(0, np.zeros_like(P), np.zeros_like(P), np.empty_like(P))

    def update(self, G, state, P):
        t = state.count + 1
        m, v, tmp = state.mu, state.nu, state.scratch
        m *= self.beta1
        np.multiply(G, 1 - self.beta1, out=tmp)
        m += tmp
        v *= self.beta2
        np.multiply(G, G, out=tmp)
        tmp *= 1 - self.beta2
        v += tmp
        np.sqrt(v, out=tmp)  # tmp: the denominator, then the step
        tmp *= 1 / math.sqrt(1 - self.beta2**t)
        tmp += self.eps
        np.divide(m, tmp, out=tmp)
        tmp *= self.lr / (1 - self.beta1**t)
        P -= tmp
        return P, AdamState(t, m, v, tmp)
