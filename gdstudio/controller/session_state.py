"""What the lecturer has chosen: one documented field per control."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.run_setup import RunSetup


@dataclass(frozen=True)
class SessionState:
    """The controls' values. Panels show it; only the controller changes it."""

    #: Landscape, data, method, optimiser, learning rate, start and seed.
    setup: RunSetup = field(default_factory=RunSetup)
    #: Steps per second; ``None`` runs as fast as the engine goes.
    speed: float | None = None
    #: The run pauses by itself after this many steps.
    max_steps: int = 100_000
    #: True while steps are being taken.
    running: bool = False
