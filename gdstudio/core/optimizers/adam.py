"""Adam: momentum and RMSProp together, with bias correction (torch.optim.Adam)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import EPS_SPEC, Optimizer, Spec, hyper


class AdamState(NamedTuple):
    """Step count ``t`` and the moments, stored scaled: ``m / (1 − β₁)`` and ``v / (1 − β₂)``."""

    count: int
    #: ``m / (1 − β₁)``: then ``m ← β₁ m + (1 − β₁) g`` is ``mu ← β₁ mu + g``, a pass fewer.
    mu: np.ndarray
    #: ``v / (1 − β₂)``, likewise.
    nu: np.ndarray
    #: Work space, so that a step allocates nothing.
    scratch: np.ndarray


BETA = {"high": 1.0, "high_open": True}


@dataclass(frozen=True)
class Adam(Optimizer):
    """``m ← β₁ m + (1 − β₁) g``, ``v ← β₂ v + (1 − β₂) g²``,
    ``p ← p − (λ / (1 − β₁ᵗ)) m / (√v / √(1 − β₂ᵗ) + ε)``.

    Identical to torch.optim.Adam (no weight decay, no AMSGrad) up to rounding:
    ε is added after the bias correction of ``√v``, as torch does (the paper
    adds it to the corrected ``√v̂``, which is the same thing). The moments are
    stored scaled (see :class:`AdamState`), which saves three passes over the
    arrays a step.
    """

    name = "adam"
    title = "Adam"
    summary = "Momentum plus per-parameter step sizes, corrected for their zero start."

    beta1: float = hyper(0.9, Spec("Beta 1", "β₁: memory of the average gradient (momentum).", **BETA))
    beta2: float = hyper(0.999, Spec("Beta 2", "β₂: memory of the average squared gradient.", **BETA))
    eps: float = hyper(1e-8, EPS_SPEC)

    def init(self, P):
        return AdamState(0, np.zeros_like(P), np.zeros_like(P), np.empty_like(P))

    def update(self, G, state, P):
        t = state.count + 1
        mu, nu, tmp = state.mu, state.nu, state.scratch
        mu *= self.beta1
        mu += G
        nu *= self.beta2
        np.multiply(G, G, out=tmp)
        nu += tmp
        # With the scaled moments, the step is mu / (√nu · b + ε) · a; a is divided into the
        # denominator, which saves another pass.
        a = self.lr * (1 - self.beta1) / (1 - self.beta1**t)
        # A learning rate of zero: the moments move, the weights do not. (Per-run rates,
        # an array, are positive: see Optimizer.with_rates.)
        if not isinstance(a, np.ndarray) and a == 0:
            return P, AdamState(t, mu, nu, tmp)
        b = math.sqrt((1 - self.beta2) / (1 - self.beta2**t))
        np.sqrt(nu, out=tmp)
        tmp *= b / a
        tmp += self.eps / a
        np.divide(mu, tmp, out=tmp)
        P -= tmp
        return P, AdamState(t, mu, nu, tmp)

    def adopt(self, state, previous):
        if (previous.beta1, previous.beta2) == (self.beta1, self.beta2):
            return state
        mu = state.mu * ((1 - previous.beta1) / (1 - self.beta1))
        nu = state.nu * ((1 - previous.beta2) / (1 - self.beta2))
        return state._replace(mu=mu, nu=nu)
