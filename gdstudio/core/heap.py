"""Keep freed memory in the process, so NumPy's temporaries do not page-fault.

A step over 10,000 runs makes a dozen temporary arrays of 80-160 kB. With
glibc's default settings, freeing them hands the top of the heap back to the
system (above 128 kB) and the next step faults every page in again: that made
a Rosenbrock gradient six times slower than its arithmetic. Raising the trim
and mmap thresholds keeps the memory for reuse. Elsewhere (no glibc) nothing
is changed.

Only a process that runs the engine calls this: the engine's own process
(``engine_loop.serve``) and ``gdstudio run``. The window's process does not: it
would keep up to 256 MB of freed memory for steps it never takes.
"""

from __future__ import annotations

import ctypes
import functools

_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
#: Freed memory kept at the top of the heap before any is returned.
TRIM_THRESHOLD = 256 * 2**20
#: Blocks below this come from the heap; 32 MiB is glibc's ceiling on 64-bit.
MMAP_THRESHOLD = 32 * 2**20


@functools.cache
def keep_freed_memory() -> bool:
    """Tune glibc's allocator once per process; True when it was tuned."""
    try:
        mallopt = ctypes.CDLL(None).mallopt  # the process's own symbols: glibc's, on Linux
    except (OSError, AttributeError, TypeError):
        return False
    mallopt.argtypes = (ctypes.c_int, ctypes.c_int)
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
