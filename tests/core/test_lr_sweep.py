"""Learning-rate sweeps: the stability limit, the fastest rate, each rate's run as if alone."""

import numpy as np
import pytest

from gdstudio.core import ConfigError, RunStatus
from gdstudio.core.lr_sweep import default_rates, log_rates, run_sweep, sweep_simulation
from gdstudio.core.optimizers import GD, OPTIMIZERS, make_optimizer
from gdstudio.core.problems import DataSettings, make_problem
from gdstudio.core.run_outcomes import CancelledError
from gdstudio.core.run_setup import RunSetup


def test_full_batch_linear_regression_diverges_above_two_over_l_and_nowhere_below():
    sweep = run_sweep(RunSetup(problem="linear-regression"), 300)
    limit = sweep.stability_limit
    assert limit == pytest.approx(2 / make_problem("linear-regression").hessian_max_eig)
    diverged = sweep.outcomes.status == RunStatus.DIVERGED
    above = sweep.rates > limit
    # The default range spans four decades around the suggested rate, so both sides are well covered.
    assert above.sum() > 50 and (~above).sum() > 50
    assert diverged[above].all(), sweep.rates[above & ~diverged]
    assert not diverged[~above].any(), sweep.rates[~above & diverged]
    # Between a tenth of the limit and just under it, the runs converge within the 300 steps.
    converged = sweep.outcomes.status == RunStatus.CONVERGED
    assert converged[(sweep.rates > 0.1 * limit) & (sweep.rates < 0.9 * limit)].all()


def test_on_the_ravine_the_fastest_rate_is_near_two_over_l_plus_mu():
    # 0.02 w1² + 2 w2²: curvatures μ = 0.04 and L = 4.
    sweep = run_sweep(RunSetup(problem="ravine"), 3000)
    assert sweep.stability_limit == pytest.approx(2 / 4)
    best = sweep.fastest()
    theory = 2 / (4 + 0.04)
    assert abs(sweep.rates[best] - theory) < 0.25 * theory
    assert RunStatus(sweep.outcomes.status[best]) is RunStatus.CONVERGED
    # Fewest steps means fewer than every other converged rate.
    converged = sweep.outcomes.status == RunStatus.CONVERGED
    assert sweep.outcomes.steps[best] == sweep.outcomes.steps[converged].min()


def solo(problem, optimizer, rate, steps, **kw):
    """The run of one rate alone, the way ``gdstudio run`` makes it."""
    setup = RunSetup(problem=problem, optimizer=optimizer, lr=float(rate), **kw)
    sim = setup.make_simulation()
    return sim, sim.advance(steps)


@pytest.mark.parametrize(
    ("problem", "optimizer", "low", "high"),
    [("ravine", "gd", 0.01, 1.0), ("rosenbrock", "adam", 1e-4, 0.5), ("himmelblau", "momentum", 1e-4, 0.05)],
)
def test_each_rate_of_a_sweep_runs_exactly_as_it_would_alone(problem, optimizer, low, high):
    rates = log_rates(low, high, 40)
    sim = sweep_simulation(RunSetup(problem=problem, optimizer=optimizer), rates)
    trace = sim.advance(1000)
    statuses = set()
    for k in range(0, 40, 3):
        alone, alone_trace = solo(problem, optimizer, rates[k], 1000)
        n = len(alone_trace)
        np.testing.assert_array_equal(trace.params[:n, k], alone_trace.params[:, 0])
        np.testing.assert_array_equal(trace.loss[:n, k], alone_trace.loss[:, 0])
        assert sim.status[k] == alone.status[0]
        np.testing.assert_array_equal(sim.params[k], alone.params[0])
        statuses.add(int(alone.status[0]))
    if problem == "ravine":  # the comparison covered runs that converged, diverged and ran on
        assert statuses == {RunStatus.RUNNING, RunStatus.CONVERGED, RunStatus.DIVERGED}


def test_the_sweeps_outcomes_are_those_of_the_runs_alone():
    rates = log_rates(0.01, 1.0, 30)
    sweep = run_sweep(RunSetup(problem="ravine"), 500, rates)
    for k in (0, 12, 20, 29):
        alone, _ = solo("ravine", "gd", rates[k], 500)
        assert sweep.outcomes.status[k] == alone.status[0]
        assert sweep.outcomes.steps[k] == (alone.finished_at[0] if alone.status[0] else alone.step)
        np.testing.assert_array_equal(sweep.outcomes.end[k], alone.params[0])
        assert sweep.outcomes.loss[k] == alone.loss[0]


@pytest.mark.parametrize("batch_size", [None, 16, 1])
def test_each_rate_of_a_linear_regression_sweep_runs_exactly_as_alone(batch_size):
    # Every rate sees the same batches (one schedule, one seed), and linear regression computes
    # one run and many with the same operations.
    kw = {"batch_size": batch_size, "seed": 4, "samples": 200}
    rates = log_rates(0.001, 1.0, 12)
    sim = sweep_simulation(RunSetup(problem="linear-regression", optimizer="momentum", **kw), rates)
    trace = sim.advance(400)
    assert RunStatus.DIVERGED in sim.status
    for k in range(12):
        alone, alone_trace = solo("linear-regression", "momentum", rates[k], 400, **kw)
        n = len(alone_trace)
        for field in ("params", "loss", "batch_loss", "grad"):
            np.testing.assert_array_equal(getattr(trace, field)[:n, k], getattr(alone_trace, field)[:, 0])
        assert sim.status[k] == alone.status[0]


def test_default_rates_span_four_decades_around_the_rate():
    rates = default_rates(0.05)
    assert len(rates) == 200
    assert rates[0] == pytest.approx(5e-4) and rates[-1] == pytest.approx(5.0)
    assert np.allclose(np.diff(np.log10(rates)), 4 / 199)


def test_the_default_range_centres_on_the_setups_rate_or_the_problems_suggestion():
    assert run_sweep(RunSetup(problem="bowl", lr=0.2), 0).rates[[0, -1]] == pytest.approx([0.002, 20])
    assert run_sweep(RunSetup(problem="bowl"), 0).rates[[0, -1]] == pytest.approx(
        [make_problem("bowl").suggested_lr / 100, make_problem("bowl").suggested_lr * 100]
    )


@pytest.mark.parametrize(
    ("low", "high", "n", "message"),
    [
        (0.0, 1.0, 10, "positive"),
        (1.0, 0.1, 10, "positive number up to a larger one"),
        (float("nan"), 1.0, 10, "positive"),
        (1e-3, 1.0, 0, "between 1 and"),
        (1e-3, 1.0, 1, "one learning rate cannot span"),
    ],
)
def test_bad_ranges_are_refused_with_a_reason(low, high, n, message):
    with pytest.raises(ConfigError, match=message):
        log_rates(low, high, n)


@pytest.mark.parametrize("rates", [[], [[0.1, 0.2]]])
def test_a_sweep_needs_a_list_of_rates(rates):
    with pytest.raises(ConfigError, match="a sweep needs a list of learning rates"):
        run_sweep(RunSetup(problem="bowl"), 10, rates)


def test_one_rate_is_exactly_that_rate():
    assert log_rates(0.05, 0.05, 1).tolist() == [0.05]


def test_progress_rises_to_one_and_cancel_stops_the_sweep():
    seen = []
    # Enough runs that the steps are taken in several chunks.
    run_sweep(RunSetup(problem="ravine"), 1000, log_rates(1e-4, 1e-3, 40_000), progress=seen.append)
    assert len(seen) > 1 and seen == sorted(seen) and seen[-1] == 1.0
    # Runs that all finish early, or no steps at all, still end at 1.
    for steps in (10_000, 0):
        seen.clear()
        run_sweep(RunSetup(problem="bowl"), steps, log_rates(0.1, 0.5, 3), progress=seen.append)
        assert seen[-1] == 1.0
    calls = []

    def cancel_after_first_chunk():
        calls.append(1)
        return len(calls) > 1

    with pytest.raises(CancelledError):
        run_sweep(RunSetup(problem="ravine"), 1000, log_rates(1e-4, 1e-3, 40_000), cancelled=cancel_after_first_chunk)
    assert len(calls) == 2


def test_a_sweep_of_a_set_up_that_cannot_run_says_why():
    with pytest.raises(ConfigError, match="batch size does not apply"):
        run_sweep(RunSetup(problem="bowl", batch_size=4), 10)
    with pytest.raises(ConfigError, match="start"):
        run_sweep(RunSetup(problem="bowl", start=(float("inf"), 0.0)), 10)


@pytest.mark.parametrize("name", list(OPTIMIZERS))
def test_per_run_rates_step_each_run_with_its_own_rate(name):
    rates = np.array([0.001, 0.01, 0.1])
    P = np.asfortranarray(np.tile([[0.5, -0.3]], (3, 1)))
    G = np.array([[1.0, 2.0]] * 3)
    many = make_optimizer(name, 0.1).with_rates(rates)
    moved, _ = many.update(G, many.init(P), P.copy(order="F"))
    for k, rate in enumerate(rates):
        one = make_optimizer(name, float(rate))
        alone, _ = one.update(G[:1], one.init(P[:1]), P[:1].copy(order="F"))
        np.testing.assert_array_equal(moved[k], alone[0])


@pytest.mark.parametrize("rates", [[0.1, 0.0], [0.1, -1.0], [0.1, float("nan")], []])
def test_per_run_rates_must_be_positive(rates):
    with pytest.raises(ConfigError, match="learning rates must be"):
        GD(lr=0.1).with_rates(rates)


def test_a_sweep_on_data_uses_the_data_settings():
    sweep = run_sweep(
        RunSetup(problem="linear-regression", samples=50, noise=0.0, seed=2), 200, log_rates(0.01, 0.1, 3)
    )
    assert sweep.param_names == ("w", "b")
    exact = make_problem("linear-regression", DataSettings(samples=50, noise=0.0, seed=2))
    assert sweep.stability_limit == pytest.approx(2 / exact.hessian_max_eig)
