"""Labels go beside their point, clear of every drawn point and of each other."""

import numpy as np

from gdstudio.ui.label_placement import along_segments, overlaps, place_labels

AREA = (0.0, 0.0, 400.0, 300.0)


def covers(box, points, clearance=4.0) -> bool:
    left, top, w, h = box
    return bool(
        (
            (points[:, 0] > left - clearance)
            & (points[:, 0] < left + w + clearance)
            & (points[:, 1] > top - clearance)
            & (points[:, 1] < top + h + clearance)
        ).any()
    )


def test_a_label_avoids_a_path_through_its_point_and_the_other_labels():
    path = along_segments(np.array([[0.0, 150.0], [400.0, 150.0]]), 6.0)  # a line through both points
    anchors = np.array([[200.0, 150.0], [215.0, 150.0], [230.0, 150.0]])
    boxes = place_labels([(120.0, 26.0)] * 3, anchors, path, AREA, gap=12.0)
    for i, box in enumerate(boxes):
        assert not covers(box, path), box
        assert AREA[0] <= box[0] and box[0] + box[2] <= AREA[2] and AREA[1] <= box[1] and box[1] + box[3] <= AREA[3]
        for other in boxes[i + 1 :]:
            assert not overlaps(box, other)
        cx, cy = box[0] + box[2] / 2, box[1] + box[3] / 2
        assert np.hypot(cx - anchors[i][0], cy - anchors[i][1]) < 150  # still beside its point


def test_points_are_added_along_long_segments():
    points = along_segments(np.array([[0.0, 0.0], [60.0, 0.0], [60.0, 30.0]]), 6.0)
    assert len(points) >= 15 and np.all(np.diff(points[:10, 0]) <= 6.0 + 1e-9)
