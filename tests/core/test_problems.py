"""Losses and gradients of every landscape: analytic gradients against central differences,
minima against their known values."""

import numpy as np
import pytest

from gdstudio.core.problems import DATASET_PROBLEMS, PROBLEM_NAMES, SURFACE_PROBLEMS
from gdstudio.core.problems.stationary import MINIMUM, classify, hessian


def random_points(problem, n, seed=0):
    (x0, x1), (y0, y1) = problem.domain
    rng = np.random.default_rng(seed)
    return np.column_stack([rng.uniform(x0, x1, n), rng.uniform(y0, y1, n)])


def central_difference(problem, P, h=1e-6):
    (x0, x1), (y0, y1) = problem.domain
    steps = h * np.array([x1 - x0, y1 - y0])
    cols = []
    for i in range(2):
        e = np.zeros(2)
        e[i] = steps[i]
        cols.append((problem.loss(P + e) - problem.loss(P - e)) / (2 * steps[i]))
    return np.column_stack(cols)


@pytest.mark.parametrize("name", PROBLEM_NAMES)
def test_gradient_matches_central_differences(problems, name):
    problem = problems[name]
    P = random_points(problem, 200)
    analytic = problem.grad(P)
    numeric = central_difference(problem, P)
    scale = np.maximum(1.0, np.abs(numeric))
    assert np.all(np.abs(analytic - numeric) <= 1e-5 * scale + 1e-7), name


@pytest.mark.parametrize("name", PROBLEM_NAMES)
def test_one_point_and_many_points_agree(problems, name):
    """The one-run fast path computes exactly what the vectorised path does."""
    problem = problems[name]
    P = random_points(problem, 5, seed=1)
    loss, grad = problem.loss_and_grad(P)
    for k in range(5):
        l1, g1 = problem.loss_and_grad(P[k : k + 1])
        np.testing.assert_allclose(l1[0], loss[k], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(g1[0], grad[k], rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(problem.loss(P[k : k + 1])[0], loss[k], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", DATASET_PROBLEMS)
@pytest.mark.parametrize("runs", [1, 3])
def test_batches_of_an_epoch_give_the_loss_of_their_samples(problems, name, runs):
    """However a problem summarises an epoch's batches, each batch's loss and gradient are
    the mean over exactly its samples (the last batch of 200 at size 32 is short)."""
    problem = problems[name]
    order = np.random.default_rng(5).permutation(problem.n_samples)
    x, y = problem.data.x[order], problem.data.y[order]
    batches = problem.epoch_batches(order, 32)
    P = random_points(problem, runs, seed=2)
    for start in range(0, problem.n_samples, 32):
        s = slice(start, min(start + 32, problem.n_samples))
        loss, grad = batches(P, s)
        want_loss, want_grad = problem.sample_loss_and_grad(P, x[s], y[s])
        assert loss.shape == (runs,) and grad.shape == (runs, 2)
        np.testing.assert_allclose(loss, want_loss, rtol=1e-10, atol=1e-12)
        np.testing.assert_allclose(grad, want_grad, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", PROBLEM_NAMES)
def test_the_surface_is_the_loss_at_each_grid_point(problems, name):
    """Some problems sum their data once per row of the map instead of once per point."""
    problem = problems[name]
    xs, ys, Z = problem.surface(24)
    rows, cols = np.meshgrid(np.arange(24), np.arange(24), indexing="ij")
    P = np.column_stack([xs[rows.ravel()], ys[cols.ravel()]])
    want = problem.loss(P).reshape(24, 24)
    np.testing.assert_allclose(Z, want, rtol=1e-9, atol=1e-12 * max(1.0, float(np.ptp(want))))


def test_a_large_logistic_map_stays_within_its_stated_bound():
    from gdstudio.core.problems import DataSettings, make_problem
    from gdstudio.core.problems.logistic_regression import MAP_GROUPS

    problem = make_problem("logistic-regression", DataSettings(samples=20_000, seed=4))
    xs, ys, Z = problem.surface(16)
    h = np.ptp(problem.data.x) / MAP_GROUPS
    P = np.column_stack([np.repeat(xs, 16), np.tile(ys, 16)])
    exact = problem.loss(P).reshape(16, 16)
    bound = (xs[:, None] ** 2) * h * h / 32
    assert np.all(np.abs(Z - exact) <= bound + 1e-12)
    assert np.abs(Z - exact).max() > 0  # the grouped path was taken


@pytest.mark.parametrize("name", PROBLEM_NAMES)
def test_listed_minima_are_minima_with_their_values(problems, name):
    problem = problems[name]
    minima = problem.minima
    assert minima, "every problem lists at least its global minimum"
    P = np.array([m.location for m in minima])
    values = np.array([m.value for m in minima])
    np.testing.assert_allclose(problem.loss(P), values, rtol=1e-6, atol=1e-6)
    # One Newton step from each listed location moves it by less than its rounding.
    H = hessian(problem, P)
    step = np.linalg.solve(H, problem.grad(P)[:, :, None])[:, :, 0]
    assert np.all(np.abs(step) < 2e-6), step
    assert classify(problem, P) == [MINIMUM] * len(P)


@pytest.mark.parametrize("name", PROBLEM_NAMES)
def test_global_minima_are_the_lowest_point_of_the_map(problems, name):
    problem = problems[name]
    best = problem.global_min_value
    for m in problem.minima:
        assert m.is_global == (m.value <= best + 1e-9 * max(1, abs(best)))
    _, _, Z = problem.surface(201)
    assert Z.min() >= best - 1e-9 * max(1, abs(best))


def test_standard_test_functions_have_their_textbook_minima():
    known = {
        "rosenbrock": ((1, 1), 0),
        "himmelblau": ((3, 2), 0),
        "rastrigin": ((0, 0), 0),
        "ackley": ((0, 0), 0),
        "beale": ((3, 0.5), 0),
        "booth": ((1, 3), 0),
        "matyas": ((0, 0), 0),
        "three-hump-camel": ((0, 0), 0),
        "six-hump-camel": ((0.0898, -0.7126), -1.0316),
        "styblinski-tang": ((-2.903534, -2.903534), -78.33233),
        "goldstein-price": ((0, -1), 3),
        "levi13": ((1, 1), 0),
    }
    for name, (loc, value) in known.items():
        s = SURFACE_PROBLEMS[name]
        np.testing.assert_allclose(s.loss(np.array([loc], float))[0], value, atol=1e-4)
        assert any(np.allclose(m.location, loc, atol=1e-4) and m.is_global for m in s.minima), name


def test_ackley_gradient_is_finite_at_its_tip():
    g = SURFACE_PROBLEMS["ackley"].grad(np.zeros((1, 2)))
    np.testing.assert_array_equal(g, [[0.0, 0.0]])


def test_quadratic_surfaces_know_their_curvature(problems):
    quadratic = [p for p in problems.values() if p.hessian_max_eig is not None]
    assert len(quadratic) >= 5  # bowl, ravine, booth, matyas, linear regression at least
    for p in quadratic:
        H = hessian(p, random_points(p, 3))
        np.testing.assert_allclose(np.linalg.eigvalsh(H)[:, -1], p.hessian_max_eig, rtol=1e-5)


def test_saddle_and_plateau_are_told_apart():
    saddle = SURFACE_PROBLEMS["saddle"]
    plateau = SURFACE_PROBLEMS["plateau"]
    assert classify(saddle, np.array([[0.0, 0.0]])) == ["saddle point"]
    assert classify(plateau, np.array([[2.9, 2.9]])) == ["plateau"]
