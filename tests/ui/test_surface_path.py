"""How a run's path is laid in the 3D box: short steps follow the ground, jumps show as jumps."""

from types import SimpleNamespace

import numpy as np

from gdstudio.ui.surface_view import LIFT, SurfaceView


def box_on_a_bowl():
    """What ``_draped`` reads of a view showing the bowl x² + y² on [-1, 1]², heights 0..2."""
    xs = np.linspace(-1, 1, 101)
    heights = xs[:, None] ** 2 + xs[None, :] ** 2
    return SimpleNamespace(_landscape=SimpleNamespace(problem=SimpleNamespace(domain=((-1, 1), (-1, 1)))),
                           _box=(10.0, 10.0), _heights=heights)  # fmt: skip


def test_a_jump_across_the_bowl_is_a_straight_chord_above_the_floor():
    path = SurfaceView._draped(box_on_a_bowl(), np.array([[-0.9, 0.0], [0.9, 0.0]]))
    # Two points only: the line runs straight from wall to wall, high above the floor it jumped.
    assert len(path) == 2
    assert np.allclose(path[:, 2], 0.81 + LIFT, atol=0.01)


def test_a_short_step_follows_the_ground():
    path = SurfaceView._draped(box_on_a_bowl(), np.array([[-0.02, 0.0], [0.02, 0.0]]))
    assert len(path) > 2
    assert path[:, 2].min() < 0.01 + LIFT  # it dips with the bowl between its ends
