"""How far the engine and the window's background jobs give way to the window."""

from __future__ import annotations

import contextlib
import os

#: Below the window (which draws first: at the same priority a flat-out run on a one-core
#: machine left it a few frames a second), but not 19: at 19 a run or a job the user is
#: waiting for got a sliver of a core beside any other busy program (a lesson's race took
#: 60 s instead of 5 on a busy machine, a 0.1 s sweep 4.5 s).
NICENESS = 5


def give_way_to_the_window() -> None:
    """Lower this process's CPU priority by :data:`NICENESS`, where the system has niceness."""
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(NICENESS)
