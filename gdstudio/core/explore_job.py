"""The body of one background job of the window (a sweep, a basin map, a gradient cloud).

It runs in a process of its own, started like the engine (see
``controller/background_job.py`` for why a process and not a thread), and
talks over one pipe: ``("progress", fraction)`` between chunks of steps,
then ``("done", result)`` or ``("failed", message)``. The window ends the
process to cancel it; the job also stops by itself, between chunks, once the
window's process has gone.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable

from .errors import ConfigError
from .heap import keep_freed_memory
from .priority import give_way_to_the_window
from .run_outcomes import CancelledError

#: Pipe errors that mean the window is no longer listening.
_GONE = (BrokenPipeError, EOFError, OSError)


def run_job(work: Callable, connection, chunked: bool = True) -> None:
    """Compute ``work()`` and send the result down ``connection``; the process's target.

    ``chunked`` work (:func:`~gdstudio.core.lr_sweep.run_sweep`,
    :func:`~gdstudio.core.basins.run_basins`) is given ``progress`` and
    ``cancelled`` callbacks; other work (a gradient cloud, a few tens of
    milliseconds) runs in one go.
    """
    give_way_to_the_window()
    keep_freed_memory()  # many runs' temporaries: 6x faster not handed back each step
    parent = multiprocessing.parent_process()

    def cancelled() -> bool:
        return parent is not None and not parent.is_alive()

    def progress(fraction: float) -> None:
        connection.send(("progress", fraction))

    try:
        try:
            result = work(progress=progress, cancelled=cancelled) if chunked else work()
        except CancelledError:
            return
        except ConfigError as exc:
            connection.send(("failed", str(exc)))
        except MemoryError:
            connection.send(("failed", "not enough memory for so many runs: choose fewer"))
        except Exception as exc:  # one line for the user; the window goes on
            connection.send(("failed", f"an unexpected error ({type(exc).__name__}: {exc})"))
        else:
            connection.send(("done", result))
    except _GONE:
        pass  # the window cancelled or closed while this was sent
    finally:
        connection.close()
