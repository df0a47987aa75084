"""Plain gradient descent and its momentum variants (torch.optim.SGD)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from .base import Optimizer, Spec, hyper

MOMENTUM_SPEC = Spec(
    "Momentum",
    "μ: how much of the previous step's velocity carries into this one (0 = none).",
    high=1.0,
    high_open=True,
)


class NoState(NamedTuple):
    """Plain gradient descent remembers nothing between steps."""


class VelocityState(NamedTuple):
    """The momentum buffer ``b`` of every run."""

    velocity: np.ndarray


@dataclass(frozen=True)
class GD(Optimizer):
    """Plain gradient descent: ``p ← p − λ g``.

    The update of the lecture, ``W ← W − λ dE/dW``; torch.optim.SGD with
    ``momentum=0``.
    """

    name = "gd"
    title = "Gradient descent"
    summary = "Step straight down the slope: p ← p − λ·g."

    def init(self, P):
        return NoState()

    def update(self, G, state, P):
        P -= self.lr * G
        return P, state


@dataclass(frozen=True)
class Momentum(Optimizer):
    """Heavy-ball momentum: ``b ← μ b + g``, ``p ← p − λ b``.

    As torch.optim.SGD with ``dampening=0``. torch starts the buffer at the
    first gradient; we start it at zero, which gives the same first buffer
    ``b₁ = g₁``. torch's default ``μ`` is 0 (plain GD); a momentum optimiser
    defaults to the usual ``μ = 0.9``.
    """

    name = "momentum"
    title = "Momentum"
    summary = "Build up speed along consistent directions: b ← μ·b + g, p ← p − λ·b."

    momentum: float = hyper(0.9, MOMENTUM_SPEC)

    def init(self, P):
        return VelocityState(np.zeros_like(P))

    def update(self, G, state, P):
        b = state.velocity
        b *= self.momentum
        b += G
        P -= self.lr * b
        return P, state


@dataclass(frozen=True)
class Nesterov(Momentum):
    """Nesterov momentum as torch.optim.SGD(nesterov=True): ``p ← p − λ (g + μ b)``.

    The buffer is updated as for :class:`Momentum`; the step then looks one
    buffer ahead. Needs ``μ > 0``.
    """

    name = "nesterov"
    title = "Nesterov momentum"
    summary = "Momentum that looks ahead: b ← μ·b + g, p ← p − λ·(g + μ·b)."

    momentum: float = hyper(0.9, Spec(MOMENTUM_SPEC.label, MOMENTUM_SPEC.help, low_open=True, high=1.0, high_open=True))

    def update(self, G, state, P):
        b = state.velocity
        b *= self.momentum
        b += G
        P -= self.lr * (G + self.momentum * b)
        return P, state
