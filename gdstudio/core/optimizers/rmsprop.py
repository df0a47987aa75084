"""RMSProp: steps scaled by a moving average of squared gradients (torch.optim.RMSprop)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import EPS_SPEC, Optimizer, Spec, hyper
from .sgd import MOMENTUM_SPEC


class RMSpropState(NamedTuple):
    """Moving average of squared gradients ``v`` and the momentum buffer ``b``."""

    square_avg: np.ndarray
    velocity: np.ndarray


@dataclass(frozen=True)
class RMSprop(Optimizer):
    """``v ← α v + (1 − α) g²``; ``p ← p − λ g / (√v + ε)``.

    With ``μ > 0``: ``b ← μ b + g / (√v + ε)``, ``p ← p − λ b``. Identical to
    torch.optim.RMSprop (not centred, no weight decay). Unlike AdaGrad, old
    gradients are forgotten, so steps do not shrink for ever. torch accepts
    any ``α ≥ 0``; we stop short of 1: above it ``v`` could turn negative, and at
    1 it never takes in a gradient, so every step is ``λ g / ε`` and flies off the
    map (told as a learning rate too large, which it is not).
    """

    name = "rmsprop"
    title = "RMSProp"
    summary = "Divide each step by a moving average of recent gradient sizes."

    alpha: float = hyper(
        0.99, Spec("Alpha", "α: how slowly the average of squared gradients forgets.", high=1.0, high_open=True)
    )
    eps: float = hyper(1e-8, EPS_SPEC)
    momentum: float = hyper(0.0, MOMENTUM_SPEC)

    def init(self, P):
        return RMSpropState(np.zeros_like(P), np.zeros_like(P))

    def update(self, G, state, P):
        v = state.square_avg
        v *= self.alpha
        v += (1 - self.alpha) * (G * G)
        denom = np.sqrt(v)
        denom += self.eps
        step = G / denom
        if self.momentum > 0:
            b = state.velocity
            b *= self.momentum
            b += step
            step = self.lr * b
        else:
            step *= self.lr
        P -= step
        return P, state
