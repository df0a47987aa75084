"""A path as a picture may draw it: thinned, and cut where it first leaves the plotted domain.

A diverging run's weights fly off to huge values (or to inf); drawn as they are, its last segment
would cross the whole picture and the axes would follow it. The views draw the path up to the
edge it crossed and mark that spot instead.
"""

from __future__ import annotations

from weakref import WeakKeyDictionary

import numpy as np

Domain = tuple[tuple[float, float], tuple[float, float]]
#: At most this many points of one run's path are drawn (evenly thinned; a race shares them out).
PATH_POINTS = 1500
#: Per frame drawn: the domain its paths were cut to, and the paths (see :func:`frame_paths`).
_CUT: WeakKeyDictionary = WeakKeyDictionary()


def outside(points: np.ndarray, domain: Domain) -> np.ndarray:
    """Which of ``points`` (shape ``(n, 2)``) lie off ``domain`` (or are not finite)."""
    (x0, x1), (y0, y1) = domain
    with np.errstate(invalid="ignore"):
        inside = (points[:, 0] >= x0) & (points[:, 0] <= x1) & (points[:, 1] >= y0) & (points[:, 1] <= y1)
    return ~inside


def path_points(most: int, runs: int) -> int:
    """Points to draw of each path when ``runs`` paths share a view: ``most`` for one run, fewer
    for each further one (down to a quarter), so a race of eight draws about twice the points of
    one run, not eight times, and the window keeps its frame rate."""
    return max(most // 4, round(most * 2 / (runs + 1)))


def frame_paths(frame, domain: Domain) -> list[tuple[np.ndarray, np.ndarray | None]]:
    """:func:`clip_path` of each run of ``frame`` (with its current point), each run's share
    of :data:`PATH_POINTS`: worked out once a frame for both views that draw the paths (the
    map and the 3D view), not once in each."""
    cut = _CUT.get(frame)
    if cut is None or cut[0] != domain:
        points = path_points(PATH_POINTS, len(frame.runs))
        cut = (domain, [clip_path(run.history.params, domain, points, run.params) for run in frame.runs])
        _CUT[frame] = cut
    return cut[1]


def clip_path(
    params: np.ndarray, domain: Domain, max_points: int, newest: np.ndarray | None = None
) -> tuple[np.ndarray, np.ndarray | None]:
    """About ``max_points`` evenly spread points of ``params`` (then ``newest``, the current
    point, when given), the last one included, up to where the path first leaves ``domain``;
    and the point on the domain's edge where it left (``None`` when it never did). A path that
    starts off the domain has no points. ``params`` is only read, never copied whole."""
    n = len(params)
    if n == 0:
        return params[:0], None
    stride = max(1, n // max_points)
    thin = params[::stride]
    if (n - 1) % stride:
        thin = np.vstack([thin, params[-1:]])
    off = outside(thin, domain)
    if not off.any():
        if newest is None or not outside(newest[None, :], domain)[0]:
            return (thin if newest is None else np.vstack([thin, newest[None, :]])), None
        exit_point = _edge_crossing(params[-1], newest, domain)
        return np.vstack([thin, exit_point[None, :]]), exit_point
    j = int(np.argmax(off))
    # The first row off the map lies between the last thinned point on it and the first off it.
    lo = 0 if j == 0 else min((j - 1) * stride, n - 1)
    hi = min(j * stride, n - 1) + 1
    k = lo + int(np.argmax(outside(params[lo:hi], domain)))
    if k == 0:
        return params[:0], None
    exit_point = _edge_crossing(params[k - 1], params[k], domain)
    kept = params[:k:stride]
    return np.vstack([kept, params[k - 1 : k], exit_point[None, :]]), exit_point


def _edge_crossing(inside: np.ndarray, beyond: np.ndarray, domain: Domain) -> np.ndarray:
    """Where the segment from ``inside`` towards ``beyond`` crosses the domain's edge (at
    ``inside`` itself when ``beyond`` is not finite: the direction is then unknown)."""
    if not np.all(np.isfinite(beyond)):
        return inside.astype(float)
    t = 1.0
    for axis, (lo, hi) in enumerate(domain):
        d = beyond[axis] - inside[axis]
        if beyond[axis] > hi:
            t = min(t, (hi - inside[axis]) / d)
        elif beyond[axis] < lo:
            t = min(t, (lo - inside[axis]) / d)
    point = inside + max(t, 0.0) * (beyond - inside)
    # On the edge exactly, not a rounding error beyond it.
    return np.clip(point, [lo for lo, _ in domain], [hi for _, hi in domain])
