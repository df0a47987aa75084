"""Where a label may go beside its point without covering a path, a marker or another label."""

from __future__ import annotations

import numpy as np

#: Directions tried around a point, best first: above, right, left, below, then the diagonals.
_DIRECTIONS = ((0, -1), (1, 0), (-1, 0), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1))
#: Distances from the point tried, in marker radii beyond the first ring.
_RINGS = (1.0, 2.5, 4.5, 7.0)


def place_labels(
    sizes: list[tuple[float, float]],
    anchors: np.ndarray,
    obstacles: np.ndarray,
    area: tuple[float, float, float, float],
    gap: float,
) -> list[tuple[float, float, float, float]]:
    """A box ``(left, top, width, height)`` in pixels for each label, beside its anchor.

    ``sizes`` are the labels' widths and heights, ``anchors`` their points (``(n, 2)``),
    ``obstacles`` every drawn point to keep clear of (``(m, 2)``, each counted as a disc of
    radius ``gap``), ``area`` the plot's ``(left, top, right, bottom)``. Each label takes the
    first place that covers no obstacle, no earlier label and stays in the area; failing that,
    the place that covers least.
    """
    placed: list[tuple[float, float, float, float]] = []
    points = obstacles[np.all(np.isfinite(obstacles), axis=1)] if len(obstacles) else np.empty((0, 2))
    for (w, h), (px, py) in zip(sizes, anchors):
        best, best_cost = None, np.inf
        for ring in _RINGS:
            r = gap * ring
            for dx, dy in _DIRECTIONS:
                left = px - w / 2 + dx * (w / 2 + r)
                top = py - h / 2 + dy * (h / 2 + r)
                box = (left, top, w, h)
                cost = _cost(box, points, placed, area, gap)
                if cost < best_cost:
                    best, best_cost = box, cost
                if cost == 0:
                    break
            if best_cost == 0:
                break
        placed.append(best)
    return placed


def _cost(box, points: np.ndarray, placed, area, gap: float) -> float:
    left, top, w, h = box
    right, bottom = left + w, top + h
    a_left, a_top, a_right, a_bottom = area
    cost = 0.0
    if left < a_left or top < a_top or right > a_right or bottom > a_bottom:
        cost += 1000.0
    for other in placed:
        if overlaps(box, other):
            cost += 100.0
    if len(points):
        near = (
            (points[:, 0] > left - gap)
            & (points[:, 0] < right + gap)
            & (points[:, 1] > top - gap)
            & (points[:, 1] < bottom + gap)
        )
        cost += float(np.count_nonzero(near))
    return cost


def overlaps(a, b) -> bool:
    """Whether two ``(left, top, width, height)`` boxes share any area."""
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def along_segments(points: np.ndarray, spacing: float, cap: int = 20_000) -> np.ndarray:
    """``points`` (a polyline in pixels) with points added along each segment every ``spacing``
    pixels or so: a label must keep clear of the lines, not only of their corners."""
    points = points[np.all(np.isfinite(points), axis=1)]
    if len(points) < 2:
        return points
    step = np.diff(points, axis=0)
    counts = np.ceil(np.hypot(step[:, 0], step[:, 1]) / spacing).astype(int).clip(1, None)
    if counts.sum() > cap:
        counts = np.maximum(1, counts * cap // counts.sum())
    starts = np.repeat(points[:-1], counts, axis=0)
    first = np.repeat(np.cumsum(counts) - counts, counts)
    t = (np.arange(counts.sum()) - first) / np.repeat(counts, counts)
    return np.vstack([starts + np.repeat(step, counts, axis=0) * t[:, None], points[-1:]])
