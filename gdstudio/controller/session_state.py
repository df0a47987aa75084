"""What the lecturer has chosen: one documented field per control."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..core.run_setup import RunSetup


@dataclass(frozen=True)
class SessionState:
    """The controls' values. Panels show it; only the controller changes it.

    An edit changes it at once, as the lecturer made it, even while the
    engine is still loading it (``loading``).
    """

    #: Landscape, data, method, optimiser, learning rate, start and seed.
    setup: RunSetup = field(default_factory=RunSetup)
    #: Steps per second; ``None`` runs as fast as the engine goes.
    speed: float | None = None
    #: The run pauses by itself after this many steps.
    max_steps: int = 100_000
    #: True while steps are being taken, or are to be taken as soon as a load ends.
    running: bool = False
    #: True while the engine loads ``setup``; the runs drawn are still the previous set-up's.
    loading: bool = False
