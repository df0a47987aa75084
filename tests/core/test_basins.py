"""Basins of attraction: which minimum each start of a grid reaches."""

import numpy as np
import pytest

from gdstudio.core import ConfigError, RunStatus
from gdstudio.core.basins import NO_MINIMUM, basin_simulation, grid_starts, nearest_minimum, reach_radius, run_basins
from gdstudio.core.problems import SURFACE_PROBLEMS
from gdstudio.core.run_outcomes import CancelledError
from gdstudio.core.run_setup import RunSetup


@pytest.fixture(scope="module")
def himmelblau_map():
    return run_basins(RunSetup(problem="himmelblau", lr=0.005), 128, 3000)  # the window's grid


def test_plain_gd_with_a_small_rate_takes_starts_near_each_himmelblau_minimum_there(himmelblau_map):
    basins = himmelblau_map
    starts = basins.starts
    assert len(basins.minima) == 4
    for index, minimum in enumerate(basins.minima):
        near = np.hypot(*(starts - minimum.location).T) < 1.0
        assert near.sum() >= 4
        assert (basins.minimum[near] == index).all()
        assert (basins.outcomes.status[near] == RunStatus.CONVERGED).all()
        np.testing.assert_allclose(basins.outcomes.end[near], np.tile(minimum.location, (near.sum(), 1)), atol=1e-5)
    # The image is laid out as the surface: [i, j] is the start (xs[i], ys[j]).
    i, j = 5, 40
    start = np.array([basins.xs[i], basins.ys[j]])
    k = np.flatnonzero((starts == start).all(axis=1))[0]
    assert basins.image()[i, j] == basins.minimum[k]
    assert basins.image(basins.outcomes.loss)[i, j] == basins.outcomes.loss[k]
    # Every start ends in one of the four; each basin is a sizeable part of the map.
    sizes = basins.basin_sizes()
    assert sorted(sizes) == [0, 1, 2, 3]
    assert min(sizes.values()) > 0.15 * len(starts)


def test_rough_bowl_shows_more_than_one_basin():
    basins = run_basins(RunSetup(problem="rough-bowl"), 48, 2000)
    sizes = basins.basin_sizes()
    assert len(sizes) > 1
    # Starts right by the lowest point end there; others stop in their own local minima.
    near_global = np.hypot(*(basins.starts - basins.minima[0].location).T) < 0.5
    assert (basins.minimum[near_global] == 0).all()
    stuck = basins.outcomes.status == RunStatus.STUCK
    assert stuck.any() and set(basins.minimum[stuck & (basins.minimum != NO_MINIMUM)].tolist()) - {0}


def test_the_grid_covers_the_map_in_surface_order():
    problem = SURFACE_PROBLEMS["himmelblau"]
    xs, ys, starts = grid_starts(problem, 5)
    assert (xs[0], xs[-1], ys[0], ys[-1]) == (-5, 5, -5, 5)
    # Start i * n + j is (xs[i], ys[j]), as Z[i, j] of the surface.
    np.testing.assert_array_equal(starts[1 * 5 + 3], [xs[1], ys[3]])
    _, _, Z = problem.surface(5)
    np.testing.assert_allclose(problem.loss(starts).reshape(5, 5), Z)


def test_each_start_of_a_basin_map_runs_exactly_as_it_would_alone():
    setup = RunSetup(problem="himmelblau", optimizer="adam", lr=0.05)
    _, _, starts = grid_starts(SURFACE_PROBLEMS["himmelblau"], 16)
    sim = basin_simulation(setup, starts)
    trace = sim.advance(300)
    for k in (0, 37, 128, 255):
        alone = RunSetup(problem="himmelblau", optimizer="adam", lr=0.05, start=tuple(starts[k])).make_simulation()
        alone_trace = alone.advance(300)
        n = len(alone_trace)
        np.testing.assert_array_equal(trace.params[:n, k], alone_trace.params[:, 0])
        np.testing.assert_array_equal(trace.loss[:n, k], alone_trace.loss[:, 0])
        assert sim.status[k] == alone.status[0]


def test_a_start_that_reaches_no_known_minimum_says_so():
    # The saddle's two valleys are its minima; a start exactly on the ridge y = 0 stops at the saddle.
    problem = SURFACE_PROBLEMS["saddle"]
    basins = run_basins(RunSetup(problem="saddle", lr=0.05), 5, 5000)
    on_ridge = basins.starts[:, 1] == 0
    assert (basins.minimum[on_ridge] == NO_MINIMUM).all()
    assert (basins.outcomes.status[on_ridge] == RunStatus.STUCK).all()
    assert set(basins.minimum[~on_ridge].tolist()) == {0, 1}
    assert reach_radius(problem) == pytest.approx(0.01 * np.hypot(4, 4))


def test_diverged_runs_reach_no_minimum():
    # On x² + y², λ = 1.5 doubles the distance from the minimum every step (no start of an
    # 8 x 8 grid lies on it).
    basins = run_basins(RunSetup(problem="bowl", lr=1.5), 8, 200)
    assert (basins.outcomes.status == RunStatus.DIVERGED).all()
    assert (basins.minimum == NO_MINIMUM).all()


def test_nearest_minimum_needs_the_end_within_reach():
    problem = SURFACE_PROBLEMS["himmelblau"]
    r = reach_radius(problem)
    status = np.full(3, RunStatus.RUNNING)
    points = np.array([[3.0, 2.0 + 0.5 * r], [3.0, 2.0 + 2 * r], [-2.805118, 3.131313]])
    assert nearest_minimum(problem, points, status).tolist() == [0, NO_MINIMUM, 1]


def test_progress_and_cancel():
    seen = []
    run_basins(RunSetup(problem="rosenbrock", optimizer="adam", lr=0.01), 128, 600, progress=seen.append)
    assert len(seen) == 3 and seen[-1] == 1.0
    with pytest.raises(CancelledError):
        run_basins(RunSetup(problem="rosenbrock"), 128, 600, cancelled=lambda: True)


def test_starts_where_the_loss_is_undefined_count_as_diverged_at_once():
    # log(x) is defined right of the y axis only (and the set-up's own start lies left of it).
    basins = run_basins(RunSetup(problem="function", function="log(x) + y^2"), 6, 50)
    left = basins.starts[:, 0] < 0
    assert left.sum() == 18
    assert (basins.outcomes.status[left] == RunStatus.DIVERGED).all()
    assert (basins.outcomes.steps[left] == 0).all()
    np.testing.assert_array_equal(basins.outcomes.end[left], basins.starts[left])
    assert {basins.outcomes.detail[i] for i in np.flatnonzero(left)} == {"the loss is not defined at this start"}
    assert not (basins.outcomes.status[~left] == RunStatus.DIVERGED).all()
    with pytest.raises(ConfigError, match="not finite at any start"):
        run_basins(RunSetup(problem="function", function="log(-x^2 - 1)"), 6, 50)


@pytest.mark.parametrize("n", [0, 1, 100_000])
def test_a_grid_size_out_of_range_is_refused(n):
    with pytest.raises(ConfigError, match="basin grid must have"):
        run_basins(RunSetup(problem="bowl"), n, 10)
