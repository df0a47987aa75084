"""How loss values map to heights and colours, so one picture shows both deep and shallow parts."""

from __future__ import annotations

import numpy as np


class LossScale:
    """Maps a loss to ``t`` in [0, 1] over the map's range; logarithmic when the range is skewed.

    Test surfaces often span many orders of magnitude (Rosenbrock: 0 to 2500,
    with the valley below 1), so a linear scale would hide everything but the
    walls. When most of the map sits in the bottom tenth of the range, heights
    and colours follow ``log(1 + (L - lo) / s)`` instead.
    """

    def __init__(self, Z: np.ndarray) -> None:
        finite = Z[np.isfinite(Z)]
        self.lo = float(finite.min()) if finite.size else 0.0
        self.hi = float(finite.max()) if finite.size else 1.0
        span = max(self.hi - self.lo, 1e-12)
        self.log = bool(finite.size) and float(np.median(finite) - self.lo) < 0.1 * span
        self._s = span * 1e-3
        self._top = np.log1p(span / self._s) if self.log else span

    def __call__(self, loss) -> np.ndarray:
        """``t`` for each loss; beyond the map's range it goes past 0..1 (clipped to -0.2..1.5)."""
        d = np.asarray(loss, dtype=float) - self.lo
        with np.errstate(all="ignore"):
            t = np.sign(d) * np.log1p(np.abs(d) / self._s) / self._top if self.log else d / self._top
        return np.clip(np.nan_to_num(t, nan=1.5, posinf=1.5, neginf=-0.2), -0.2, 1.5)

    def inverse(self, t) -> np.ndarray:
        """The loss at ``t`` (for the legend's labels)."""
        t = np.asarray(t, dtype=float)
        if self.log:
            return self.lo + self._s * np.expm1(t * self._top)
        return self.lo + t * self._top
