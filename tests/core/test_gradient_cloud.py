"""The noise of a mini-batch gradient: the cloud's mean, its spread, and the theory."""

import numpy as np
import pytest

from gdstudio.core import ConfigError, Simulation
from gdstudio.core.gradient_cloud import gradient_cloud
from gdstudio.core.optimizers import GD
from gdstudio.core.problems import DATASET_PROBLEMS, SURFACE_PROBLEMS, DataSettings, make_problem


@pytest.mark.parametrize("name", list(DATASET_PROBLEMS))
def test_the_samples_own_gradients_average_to_the_gradient(name, problems):
    problem = problems[name]
    x, y = problem.data.x, problem.data.y
    for point in ((0.7, -0.4), problem.default_start):
        per_sample = problem.sample_gradients(np.array(point), x, y)
        assert per_sample.shape == (len(x), 2)
        _, grad = problem.sample_loss_and_grad(np.array([point]), x, y)
        np.testing.assert_allclose(per_sample.mean(axis=0), grad[0], rtol=1e-12, atol=1e-14)
        # Each sample's own: the gradient over the first sample alone.
        _, first = problem.sample_loss_and_grad(np.array([point]), x[:1], y[:1])
        np.testing.assert_allclose(per_sample[0], first[0], rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("name", list(DATASET_PROBLEMS))
@pytest.mark.parametrize("batch_size", [7, 20])  # 200 samples: 7 leaves a short last batch
def test_the_mean_of_an_epochs_batches_is_the_full_gradient(name, batch_size, problems):
    problem = problems[name]
    point = problem.default_start
    cloud = gradient_cloud(problem, point, batch_size, seed=3)
    assert len(cloud.gradients) == -(-200 // batch_size)
    full = problem.grad(np.array([point]))[0]
    np.testing.assert_allclose(cloud.full_gradient, full, rtol=1e-12)
    np.testing.assert_allclose(cloud.mean, full, rtol=1e-12)
    # The batches differ: the cloud is a cloud.
    assert cloud.spread > 1e-3 * np.linalg.norm(full)


def test_the_cloud_holds_the_batches_a_run_would_draw():
    problem = make_problem("wave-fit", DataSettings(samples=300, seed=1))
    point = (0.8, 2.5)
    cloud = gradient_cloud(problem, point, 16, batches=3, seed=5)
    # A run with zero learning rate stays at the point and records each batch's gradient.
    trace = Simulation(problem, GD(lr=0.0), [point], batch_size=16, seed=5).advance(3)
    np.testing.assert_allclose(cloud.gradients, trace.grad[:, 0], rtol=1e-12, atol=1e-15)
    # More batches than an epoch holds run on into the next epoch, newly shuffled.
    two_epochs = gradient_cloud(problem, point, 16, batches=30, seed=5)
    np.testing.assert_array_equal(two_epochs.gradients[:3], cloud.gradients)
    assert two_epochs.sizes.tolist() == [16] * 18 + [12] + [16] * 11


@pytest.fixture(scope="module")
def big_linear():
    return make_problem("linear-regression", DataSettings(samples=2000, seed=11))


@pytest.mark.parametrize("batch_size", [1, 10, 100, 1000])
def test_the_spread_matches_the_sampling_formula_within_sampling_error(batch_size, big_linear):
    point = (0.5, -1.0)
    cloud = gradient_cloud(big_linear, point, batch_size, batches=4000, seed=2)
    # The formula: S/B · (N − B)/(N − 1), from the samples' own gradients.
    per_sample = big_linear.sample_gradients(np.array(point), big_linear.data.x, big_linear.data.y)
    S = np.cov(per_sample.T, bias=True)
    np.testing.assert_allclose(cloud.sample_covariance, S, rtol=1e-10)
    expected = np.trace(S) / batch_size * (2000 - batch_size) / 1999
    assert cloud.theory_spread() ** 2 == pytest.approx(expected)
    # Squared distances of the batch gradients from the full gradient: their mean is the
    # measured spread², and their standard error bounds the sampling error.
    d2 = ((cloud.gradients - cloud.full_gradient) ** 2).sum(axis=1)
    assert cloud.spread**2 == pytest.approx(d2.mean())
    error = d2.std() / np.sqrt(len(d2))
    assert abs(cloud.spread**2 - expected) < 4 * error
    # The ellipse's covariance follows the formula too, axis by axis.
    np.testing.assert_allclose(
        np.diag(cloud.covariance), np.diag(S) / batch_size * (2000 - batch_size) / 1999, rtol=0.15
    )


def test_the_spread_falls_as_one_over_root_b(big_linear):
    point = (0.5, -1.0)
    spreads = [gradient_cloud(big_linear, point, b, batches=2000, seed=4).spread for b in (1, 4, 16, 64)]
    assert spreads == sorted(spreads, reverse=True)
    ratios = np.array(spreads[:-1]) / np.array(spreads[1:])
    np.testing.assert_allclose(ratios, 2.0, rtol=0.15)  # four times the batch, half the spread
    cloud = gradient_cloud(big_linear, point, 1)
    assert cloud.theory_spread(4) / cloud.theory_spread(16) == pytest.approx(2.0, rel=0.01)
    # A batch of every sample is the full gradient: no spread at all.
    assert cloud.theory_spread(2000) == 0.0
    full = gradient_cloud(big_linear, point, None)
    assert full.spread < 1e-12 and len(full.gradients) == 1


def test_the_ellipse_surrounds_the_full_gradient(big_linear):
    cloud = gradient_cloud(big_linear, (0.5, -1.0), 10, batches=500)
    outline = cloud.ellipse(scale=2.0, points=32)
    assert outline.shape == (32, 2)
    np.testing.assert_allclose(outline.mean(axis=0), cloud.full_gradient, atol=0.1 * cloud.spread)
    # Two standard deviations out, as far as the covariance says along its axes.
    radii = np.linalg.norm(outline - cloud.full_gradient, axis=1)
    low, high = np.sqrt(np.linalg.eigvalsh(cloud.covariance))
    assert radii.min() == pytest.approx(2 * low, rel=0.02) and radii.max() == pytest.approx(2 * high, rel=0.02)


def test_bad_requests_are_refused_with_a_reason(big_linear):
    with pytest.raises(ConfigError, match="has no data samples"):
        gradient_cloud(SURFACE_PROBLEMS["bowl"], (0, 0), 1)
    with pytest.raises(ConfigError, match="batch size must be between"):
        gradient_cloud(big_linear, (0, 0), 0)
    with pytest.raises(ConfigError, match="two finite numbers"):
        gradient_cloud(big_linear, (0, float("nan")), 4)
    with pytest.raises(ConfigError, match="number of batches"):
        gradient_cloud(big_linear, (0, 0), 4, batches=0)
