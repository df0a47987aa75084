"""Where a label may go beside its point without covering a path, a marker or another label."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF
from PySide6.QtWidgets import QGraphicsEllipseItem

#: Directions tried around a point, best first: above, right, left, below, the diagonals, and
#: between those.
_DIRECTIONS = (
    (0, -1), (1, 0), (-1, 0), (0, 1), (1, -1), (-1, -1), (1, 1), (-1, 1),
    (0.5, -1), (-0.5, -1), (0.5, 1), (-0.5, 1), (1, -0.5), (-1, -0.5), (1, 0.5), (-1, 0.5),
)  # fmt: skip
#: Clearance kept between a label and any drawn point, in pixels.
CLEARANCE = 6.0
#: Distances from the point tried, in multiples of the spacing ``gap``.
_RINGS = (1.0, 1.5, 2.0, 2.5, 3.0)
#: The farthest a label's box may be from its point, in pixels. A label moved further away
#: reads as the label of whatever point it lands beside; rather than that, it stays near and
#: covers a little of the drawing.
MAX_DISTANCE = 32.0


def place_labels(
    sizes: list[tuple[float, float]],
    anchors: np.ndarray,
    obstacles: np.ndarray,
    area: tuple[float, float, float, float],
    gap: float,
    short_sizes: list[tuple[float, float] | None] | None = None,
) -> list[tuple[float, float, float, float]]:
    """A box ``(left, top, width, height)`` in pixels for each label, beside its anchor.

    ``sizes`` are the labels' widths and heights, ``anchors`` their points (``(n, 2)``),
    ``obstacles`` every drawn point to keep clear of (``(m, 2)``, each counted as a disc of
    radius :data:`CLEARANCE`), ``area`` the plot's ``(left, top, right, bottom)``, and ``gap``
    the spacing of the places tried around each anchor. Only places within
    :data:`MAX_DISTANCE` of the anchor are tried. Each label takes the first that covers no
    obstacle, no earlier label, is nearer its own anchor than any other and stays in the area;
    failing that, the one that does least harm, unless the label has a shorter form
    (``short_sizes[i]``, the size of its short text) that fits better: the box then has that
    size, and the caller shows the short text.
    """
    placed: list[tuple[float, float, float, float]] = []
    points = obstacles[np.all(np.isfinite(obstacles), axis=1)] if len(obstacles) else np.empty((0, 2))
    short_sizes = short_sizes or [None] * len(sizes)
    for i, (size, short, anchor) in enumerate(zip(sizes, short_sizes, anchors)):
        others = np.delete(anchors, i, axis=0)
        box, cost = _best_place(size, anchor, others, points, placed, area, gap)
        if cost > 0 and short is not None:
            short_box, short_cost = _best_place(short, anchor, others, points, placed, area, gap)
            if short_cost < cost:
                box = short_box
        placed.append(box)
    return placed


def _best_place(size, anchor, others, points, placed, area, gap):
    """The first place near ``anchor`` that does no harm, or the least harmful, and its cost."""
    (w, h), (px, py) = size, anchor
    best, best_cost = None, np.inf
    for ring in _RINGS:
        r = gap * ring
        for dx, dy in _DIRECTIONS:
            left = px - w / 2 + dx * (w / 2 + r)
            top = py - h / 2 + dy * (h / 2 + r)
            box = (left, top, w, h)
            if _distance(box, px, py) > MAX_DISTANCE:
                continue
            cost = _cost(box, points, placed, area, CLEARANCE)
            if any(_distance(box, ox, oy) < _distance(box, px, py) for ox, oy in others):
                cost += 50.0  # nearer another labelled point: it would read as that point's label
            if cost < best_cost:
                best, best_cost = box, cost
            if cost == 0:
                return best, 0.0
    return best, best_cost


def _distance(box, x: float, y: float) -> float:
    """How far the point ``(x, y)`` is from the nearest edge of ``box`` (0 inside it)."""
    left, top, w, h = box
    return float(np.hypot(max(left - x, 0.0, x - left - w), max(top - y, 0.0, y - top - h)))


def _cost(box, points: np.ndarray, placed, area, clearance: float) -> float:
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
            (points[:, 0] > left - clearance)
            & (points[:, 0] < right + clearance)
            & (points[:, 1] > top - clearance)
            & (points[:, 1] < bottom + clearance)
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


def plot_points(plot) -> np.ndarray:
    """Every point a pyqtgraph plot draws, in scene pixels: its curves (along their lines),
    scatter points, markers and balls. Labels keep clear of them."""
    vb = plot.getViewBox()
    t = vb.childGroup.sceneTransform()
    sx, sy, tx, ty = t.m11(), t.m22(), t.m31(), t.m32()
    parts = []
    for item in vb.addedItems:
        if not item.isVisible():
            continue
        if isinstance(item, (pg.PlotCurveItem, pg.PlotDataItem, pg.ScatterPlotItem)):
            x, y = item.getData()
            if x is None or not len(x):
                continue
            points = np.column_stack([np.asarray(x, dtype=float) * sx + tx, np.asarray(y, dtype=float) * sy + ty])
            lines = not isinstance(item, pg.ScatterPlotItem) and (
                not isinstance(item, pg.PlotDataItem) or item.opts.get("pen") is not None
            )
            parts.append(along_segments(points, 6.0) if lines else points)
        elif isinstance(item, (QGraphicsEllipseItem, pg.TargetItem, pg.ArrowItem)):
            c = item.sceneBoundingRect().center()
            parts.append(np.array([[c.x(), c.y()]]))
    points = np.vstack(parts) if parts else np.empty((0, 2))
    return points[np.all(np.isfinite(points), axis=1)]


def declutter(plot, gap: float = 12.0) -> None:
    """Move each text label of ``plot`` beside the point it labels (where its view put it), to
    a place that covers no drawn point and no other label, inside the plot.

    Labels are placed in pixels but kept in data units: a plot calls this again when its range
    changes and when it is resized (a resize that keeps the range, as a map fitted to its domain
    does, would otherwise carry them away from their points, or onto others)."""
    vb = plot.getViewBox()
    labels = [i for i in vb.addedItems if isinstance(i, pg.TextItem) and i.isVisible()]
    if not labels:
        return
    vb.childTransform()  # brings the view's mapping up to date after a resize (pyqtgraph updates it lazily)
    anchors = []
    for text in labels:
        p = text.pos()
        placed = getattr(text, "placed_at", None)
        # Where this function put it can come back from Qt a rounding away (4e-16 seen in the window):
        # not a move. Taken for one, the label's own place became its point, and the label drifted
        # a label's height off at each placing (scene 02's map: A and B 50 px above their points).
        if placed is None or not np.allclose(placed, (p.x(), p.y()), rtol=1e-9, atol=1e-12):
            # Put there by its view (first drawn, or moved since): that is the point it labels.
            text.labelled_point = (p.x(), p.y())
            text.setAnchor((0, 0))
        s = vb.mapViewToScene(QPointF(*text.labelled_point))
        anchors.append((s.x(), s.y()))
    area = vb.sceneBoundingRect()
    # A label with a short form (``short_text``) may be showing it: its full form (``full_text``) is
    # tried first again, so that it comes back where there is room for it now.
    fulls = [getattr(t, "full_text", None) or t.toPlainText() for t in labels]
    sizes = [_text_size(t, words) for t, words in zip(labels, fulls)]
    shorts = [_text_size(t, t.short_text) if getattr(t, "short_text", None) else None for t in labels]
    boxes = place_labels(
        sizes, np.array(anchors), plot_points(plot), (area.left(), area.top(), area.right(), area.bottom()), gap, shorts
    )
    for text, full, size, short, (left, top, width, height) in zip(labels, fulls, sizes, shorts, boxes):
        words = text.short_text if short is not None and (width, height) == short and (width, height) != size else full
        if text.toPlainText() != words:
            text.setText(words)
        p = vb.mapSceneToView(QPointF(left, top))
        text.setPos(p)
        text.placed_at = (p.x(), p.y())


def _text_size(text: pg.TextItem, words: str) -> tuple[float, float]:
    """The size ``text`` would have showing ``words`` (its font and margins, one line or more),
    without changing it."""
    rect = text.textItem.boundingRect()
    if words == text.toPlainText():
        return rect.width(), rect.height()
    document = text.textItem.document()
    other = document.clone()
    other.setPlainText(words)
    now, then = document.size(), other.size()
    return rect.width() - now.width() + then.width(), rect.height() - now.height() + then.height()
