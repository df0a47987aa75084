"""A long, growing curve thinned for drawing, kept up to date with only its new points."""

from __future__ import annotations

import numpy as np

#: Bins of a lone curve: about four points per pixel of a wide plot.
BINS = 400


class Envelope:
    """The lowest and highest point of each of at most ``2 * bins`` runs of points
    (so at most ``4 * bins`` points, and the newest).

    Drawing every step of a million-step run would cost more than the frame
    budget; drawing every n-th point would hide the peaks of a noisy batch
    loss. So points are grouped into bins of ``width`` consecutive points and
    each bin keeps its minimum and maximum (in the order they came). When
    there are more than ``2 * bins`` bins, neighbours merge and ``width``
    doubles. Adding points costs time in proportion to the new points only.
    Non-finite values are left out, so a log axis never sees them.
    """

    def __init__(self, bins: int = BINS) -> None:
        self.bins = bins
        self.width = 1
        # Complete bins: x and y of each bin's first and second extreme, in x order.
        self._x = np.empty((0, 2))
        self._y = np.empty((0, 2))
        # The bin being filled: points standing for ``_rest_count`` (< width) points of the curve.
        self._rest_x = np.empty(0)
        self._rest_y = np.empty(0)
        self._rest_count = 0
        self._newest = (np.empty(0), np.empty(0))

    def extend(self, x: np.ndarray, y: np.ndarray) -> None:
        """Add points that follow those already added."""
        finite = np.isfinite(y)
        if not finite.all():
            x, y = x[finite], y[finite]
        if len(y):
            self._newest = (x[-1:].copy(), y[-1:].copy())
        if not len(self._y) and not self._rest_count and len(y) > 2 * self.bins:
            # A long curve taken in at once (a history thinned anew, the rows zoomed into): bins
            # as wide as merging would make them, found at once (the same extremes: a bin's
            # extremes are those of the two it merges), not by halving a million points ten times.
            self.width = 2 ** int(np.ceil(np.log2(len(y) / (2 * self.bins))))
        need = self.width - self._rest_count  # points that complete the bin being filled
        if len(y) < need:
            self._rest_x, self._rest_y = np.append(self._rest_x, x), np.append(self._rest_y, y)
            self._rest_count += len(y)
            return
        head_x, head_y = np.append(self._rest_x, x[:need]), np.append(self._rest_y, y[:need])
        x, y = x[need:], y[need:]
        full = len(y) // self.width * self.width
        bx, by = _extremes(x[:full].reshape(-1, self.width), y[:full].reshape(-1, self.width))
        hx, hy = _extremes(head_x[None], head_y[None])
        self._x, self._y = np.concatenate((self._x, hx, bx)), np.concatenate((self._y, hy, by))
        self._rest_x, self._rest_y, self._rest_count = x[full:].copy(), y[full:].copy(), len(y) - full
        while len(self._y) > 2 * self.bins:
            self._merge()

    def points(self) -> tuple[np.ndarray, np.ndarray]:
        """The thinned curve, in order; the newest point always ends it."""
        if self.width == 1:
            return self._x[:, 0], self._y[:, 0]
        xs, ys = [self._x.ravel()], [self._y.ravel()]
        if len(self._rest_y):  # the bin being filled
            rx, ry = _extremes(self._rest_x[None], self._rest_y[None])
            xs.append(rx[0])
            ys.append(ry[0])
        x, y = np.concatenate(xs), np.concatenate(ys)
        if x[-1] != self._newest[0][0]:
            x, y = np.append(x, self._newest[0]), np.append(y, self._newest[1])
        return x, y

    def _merge(self) -> None:
        """Pair up neighbouring bins; an odd last one joins the bin being filled."""
        even = len(self._y) // 2 * 2
        if even < len(self._y):
            # Its two extremes stand in for its points: the merged bin's extremes are the same.
            self._rest_x = np.concatenate((self._x[-1], self._rest_x))
            self._rest_y = np.concatenate((self._y[-1], self._rest_y))
            self._rest_count += self.width
        self._x, self._y = _extremes(self._x[:even].reshape(-1, 4), self._y[:even].reshape(-1, 4))
        self.width *= 2


def _extremes(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per row of ``y``: its minimum and maximum with their ``x``, the earlier one first."""
    rows = np.arange(len(y))
    lo, hi = y.argmin(axis=1), y.argmax(axis=1)
    first, second = np.minimum(lo, hi), np.maximum(lo, hi)
    return (
        np.column_stack((x[rows, first], x[rows, second])),
        np.column_stack((y[rows, first], y[rows, second])),
    )
