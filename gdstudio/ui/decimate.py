"""Thin a long curve for drawing while keeping its peaks: the noise envelope stays visible."""

from __future__ import annotations

import numpy as np


def min_max(x: np.ndarray, y: np.ndarray, bins: int = 1500) -> tuple[np.ndarray, np.ndarray]:
    """At most ``2 * bins`` points: each bin's lowest and highest ``y``, in order.

    Short curves come back as they are. Non-finite values are dropped first, so
    a log axis never sees them.
    """
    finite = np.isfinite(y)
    if not finite.all():
        x, y = x[finite], y[finite]
    n = len(y)
    if n <= 2 * bins:
        return x, y
    per = n // bins
    m = per * bins
    yb = y[:m].reshape(bins, per)
    lo, hi = yb.argmin(axis=1), yb.argmax(axis=1)
    first = np.minimum(lo, hi) + np.arange(bins) * per
    second = np.maximum(lo, hi) + np.arange(bins) * per
    idx = np.empty(2 * bins + (n > m), dtype=np.intp)
    idx[0 : 2 * bins : 2] = first
    idx[1 : 2 * bins : 2] = second
    if n > m:
        idx[-1] = n - 1  # the newest point always shows
    return x[idx], y[idx]
