"""Scene 02 in the window, at a desktop and a laptop size: each tangent's slope is written beside
it, as the caption says, and each label on the map and the slice is next to its own point."""

import re

import numpy as np
from PySide6.QtCore import QPointF

#: How far a label's box may be from the point it labels, in pixels: further, and it reads as
#: another point's label.
NEAR_PX = 40
#: What each slice label says: its letter and the slope there, on one line or two.
SLOPES = {"A": r"A(: |\n)−\d\.\d\d", "B": r"B(: |\n)\+\d\.\d\d", "C": r"C(: |\n)0"}


def box_distance(box, x: float, y: float) -> float:
    return float(np.hypot(max(box.left() - x, 0.0, x - box.right()), max(box.top() - y, 0.0, y - box.bottom())))


def misplaced(view, labels, dots) -> dict[str, str]:
    """Labels that are not beside their own point: too far from it, or nearer another dot.

    ``dots`` are every dot drawn (in data units), the labelled points among them."""
    vb = view.getPlotItem().getViewBox()
    scene_dots = [vb.mapViewToScene(QPointF(*d)) for d in dots]
    wrong = {}
    for text in labels:
        own = vb.mapViewToScene(QPointF(*text.labelled_point))
        box = text.sceneBoundingRect()
        mine = box_distance(box, own.x(), own.y())
        nearest_other = min(
            (box_distance(box, d.x(), d.y()) for d in scene_dots if np.hypot(d.x() - own.x(), d.y() - own.y()) > 2),
            default=np.inf,
        )
        if mine > NEAR_PX or nearest_other < mine:
            wrong[text.toPlainText()] = f"{mine:.0f} px from its point, {nearest_other:.0f} px from another"
    return wrong


def test_scene_02_slopes_are_written_beside_their_points_and_map_labels_beside_theirs(open_window, qtbot):
    w = open_window()
    w.resize(1600, 1000)
    w.lesson.open("02")
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame is not None, timeout=10_000)
    w.controller.set_speed(None)
    with qtbot.waitSignal(w.controller.run_finished, timeout=60_000):
        w.controller.play()
    marks = [a.at for a in w.lesson.panel.current.annotations]
    # The walker starts at A, under the start's cross: A's dot is drawn above the cross, not hidden by it.
    assert tuple(w.controller.frame.runs[0].history.params[0]) == marks[0]
    assert w.map_view.marks.zValue() > w.map_view.start.zValue()
    minima = np.column_stack(w.map_view.minima.getData())
    slice_view = w.slice_view
    on_map = marks + [tuple(m) for m in minima]

    def slopes_written():
        texts = {t.toPlainText()[0]: t.toPlainText() for t in slice_view._labels}
        assert all(re.fullmatch(pattern, texts[name]) for name, pattern in SLOPES.items()), texts

    def beside():
        xs, es = slice_view.curve.getData()
        on_curve = [(x, float(np.interp(x, xs, es))) for x, _ in marks]
        wrong = misplaced(slice_view, slice_view._labels, on_curve)
        wrong |= misplaced(w.map_view, w.map_view._mark_labels, on_map)
        assert not wrong, (w.size(), wrong)

    # The window at a desktop size, at a laptop size, and back: each resize places the labels again.
    for size in ((1600, 1000), (1366, 768), (1600, 1000)):
        w.resize(*size)
        qtbot.waitUntil(slopes_written, timeout=5_000)
        qtbot.waitUntil(beside, timeout=5_000)
