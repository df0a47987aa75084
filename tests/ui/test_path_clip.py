"""A path is drawn up to where it leaves the map, and marked there."""

import numpy as np
from hypothesis import given
from hypothesis import strategies as st

from gdstudio.ui.path_clip import clip_path, outside

DOMAIN = ((-1.0, 1.0), (-2.0, 2.0))


def test_a_path_that_stays_on_the_map_is_drawn_whole():
    path = np.column_stack([np.linspace(-0.9, 0.9, 50), np.zeros(50)])
    shown, left_at = clip_path(path, DOMAIN, 1000)
    np.testing.assert_array_equal(shown, path)
    assert left_at is None


def test_a_diverging_path_ends_on_the_edge_it_crossed():
    path = np.array([[0.0, 0.0], [0.5, 1.0], [-0.8, -1.5], [3.0, 6.0], [-1e9, 1e9], [np.inf, np.nan]])
    shown, left_at = clip_path(path, DOMAIN, 1000)
    # From (-0.8, -1.5) towards (3, 6) the top edge y = 2 comes before the right edge x = 1.
    np.testing.assert_allclose(left_at, [-0.8 + 3.8 * 3.5 / 7.5, 2.0])
    np.testing.assert_array_equal(shown[-1], left_at)
    assert not outside(shown, DOMAIN).any()


def test_the_current_point_off_the_map_is_cut_at_the_edge_too():
    shown, left_at = clip_path(np.array([[0.0, 0.0], [0.5, 0.0]]), DOMAIN, 1000, newest=np.array([5.0, 0.0]))
    np.testing.assert_allclose(left_at, [1.0, 0.0])
    np.testing.assert_array_equal(shown[-1], left_at)


@given(st.lists(st.tuples(st.floats(-5, 5), st.floats(-5, 5)), min_size=1, max_size=400), st.integers(5, 50))
def test_nothing_drawn_is_off_the_map_and_thinning_keeps_the_ends(points, max_points):
    path = np.array(points)
    shown, left_at = clip_path(path, DOMAIN, max_points)
    assert not outside(shown, DOMAIN).any()
    first_off = np.argmax(outside(path, DOMAIN)) if outside(path, DOMAIN).any() else None
    if first_off is None:
        np.testing.assert_array_equal(shown[-1], path[-1])
        assert len(shown) <= max_points + 2
    elif first_off > 0:
        np.testing.assert_array_equal(shown[-1], left_at)
    else:
        assert len(shown) == 0
