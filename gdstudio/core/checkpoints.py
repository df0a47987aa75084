"""Checkpoints deep in long computations, where the engine may take in commands and give the work up.

Loading a landscape of millions of samples takes minutes: reading the file, the loss on
a grid, the search for minima. The engine must notice a newer load, or Cancel, during
that work, not after it. Where a step's share of the work is known, a ``progress``
callback is handed down (``Problem.surface``, ``load_csv``, ``find_minima``). The loss
over millions of samples, called from all of them and from the run's steps alike, cannot
take one without burdening every caller; it calls :func:`checkpoint` between pieces
instead, which calls the check the engine installed with :func:`checked_by` while it
loads, and does nothing anywhere else (the CLI, a step, a GUI thread).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from contextvars import ContextVar

#: The check in force, or ``None``; a context variable, so a thread never sees another's.
_check: ContextVar[Callable[[], None] | None] = ContextVar("gdstudio_check", default=None)


@contextlib.contextmanager
def checked_by(check: Callable[[], None]) -> Iterator[None]:
    """Have :func:`checkpoint` call ``check`` (which may raise to abandon the work) inside the block."""
    token = _check.set(check)
    try:
        yield
    finally:
        _check.reset(token)


def checkpoint() -> None:
    """A moment at which the work may be given up: calls the installed check, if any."""
    check = _check.get()
    if check is not None:
        check()
