"""Runs in lockstep: statuses, determinism, divergence without warnings."""

import warnings

import numpy as np
import pytest

from gdstudio.core import ConfigError, RunStatus, Simulation
from gdstudio.core.optimizers import GD, Adam, Momentum
from gdstudio.core.problems import DATASET_PROBLEMS, PROBLEM_NAMES, SURFACE_PROBLEMS, DataSettings, make_problem


def run(problem, opt, start, steps, **kw):
    sim = Simulation(problem, opt, [start], **kw)
    trace = sim.advance(steps)
    return sim, trace


def test_plain_gd_on_the_bowl_converges_to_the_global_minimum():
    sim, trace = run(SURFACE_PROBLEMS["bowl"], GD(lr=0.1), (-2.5, 2.0), 1000)
    assert RunStatus(sim.status[0]) is RunStatus.CONVERGED
    assert sim.detail[0] == "global minimum"
    np.testing.assert_allclose(sim.params[0], [0, 0], atol=1e-6)
    # Each row is one step: p_t = 0.8 p_{t-1} on x² + y² with lr 0.1.
    np.testing.assert_allclose(trace.params[0, 0], [-2.0, 1.6])
    np.testing.assert_allclose(trace.loss[0, 0], 4.0 + 2.56)
    np.testing.assert_allclose(trace.batch_loss[0, 0], 6.25 + 4.0)
    np.testing.assert_allclose(trace.grad[0, 0], [-5.0, 4.0])
    assert len(trace) == sim.step == sim.finished_at[0]


def test_stuck_at_a_local_minimum():
    sim, _ = run(SURFACE_PROBLEMS["styblinski-tang"], GD(lr=0.01), (4.5, 4.5), 5000)
    assert RunStatus(sim.status[0]) is RunStatus.STUCK
    assert sim.detail[0] == "local minimum"
    np.testing.assert_allclose(sim.params[0], [2.746803, 2.746803], atol=1e-5)


def test_stuck_at_a_saddle():
    sim, _ = run(SURFACE_PROBLEMS["saddle"], GD(lr=0.05), (1.8, 0.0), 5000)
    assert RunStatus(sim.status[0]) is RunStatus.STUCK
    assert sim.detail[0] == "saddle point"


def test_stuck_on_a_plateau():
    sim, _ = run(SURFACE_PROBLEMS["plateau"], GD(lr=0.5), (2.9, 2.9), 100)
    assert RunStatus(sim.status[0]) is RunStatus.STUCK
    assert sim.detail[0] == "plateau"
    assert sim.step == 0


def test_a_tiny_nudge_escapes_the_saddle():
    sim, _ = run(SURFACE_PROBLEMS["saddle"], GD(lr=0.05), (1.8, 0.001), 5000)
    assert RunStatus(sim.status[0]) is RunStatus.CONVERGED
    np.testing.assert_allclose(sim.params[0], [0, 1], atol=1e-5)


@pytest.mark.parametrize("name", PROBLEM_NAMES)
def test_a_huge_learning_rate_diverges_everywhere_without_warnings(name):
    data = DataSettings(samples=100) if name in DATASET_PROBLEMS else None
    problem = make_problem(name, data)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):  # the engine must contain its own overflow
            sim, trace = run(problem, GD(lr=1e3), problem.default_start, 1000)
    assert RunStatus(sim.status[0]) is RunStatus.DIVERGED, (name, sim.detail[0])
    assert np.isfinite(trace.params).all() and np.isfinite(trace.loss).all()
    assert np.isfinite(sim.params).all()


def test_the_same_seed_gives_the_same_trajectory():
    p = make_problem("linear-regression", DataSettings(samples=100, seed=1))
    a = run(p, Adam(lr=0.05), (0.0, 0.0), 500, batch_size=8, seed=11)[1]
    b = run(p, Adam(lr=0.05), (0.0, 0.0), 500, batch_size=8, seed=11)[1]
    c = run(p, Adam(lr=0.05), (0.0, 0.0), 500, batch_size=8, seed=12)[1]
    np.testing.assert_array_equal(a.params, b.params)
    np.testing.assert_array_equal(a.batch_loss, b.batch_loss)
    assert not np.array_equal(a.params, c.params)


def test_chunking_does_not_change_the_result():
    p = make_problem("wave-fit", DataSettings(samples=60, seed=1))
    whole = run(p, Momentum(lr=0.05), (-3.0, 2.0), 700, batch_size=16, seed=2)[1]
    sim = Simulation(p, Momentum(lr=0.05), [(-3.0, 2.0)], batch_size=16, seed=2)
    parts = [sim.advance(n) for n in (1, 99, 250, 350)]
    np.testing.assert_array_equal(np.concatenate([t.params for t in parts]), whole.params)
    np.testing.assert_array_equal(np.concatenate([t.samples for t in parts]), whole.samples)


def test_full_batch_equals_batch_n_exactly():
    p = make_problem("tiny-network", DataSettings(samples=40, seed=3))
    full = run(p, GD(lr=0.1), (0.5, 0.5), 200)[1]
    batch_n = run(p, GD(lr=0.1), (0.5, 0.5), 200, batch_size=40, seed=99)[1]
    np.testing.assert_array_equal(full.params, batch_n.params)
    # and both are plain gradient descent on the full loss
    P = np.array([[0.5, 0.5]])
    for row in full.params[:5]:
        P = P - 0.1 * p.grad(P)
        np.testing.assert_allclose(row, P, rtol=1e-12)


def test_batches_count_samples_and_epochs():
    p = make_problem("linear-regression", DataSettings(samples=100, seed=1))
    sim, trace = run(p, GD(lr=0.01), (0.0, 0.0), 10, batch_size=32)
    assert list(trace.samples) == [32, 64, 96, 100, 132, 164, 196, 200, 232, 264]
    assert trace.epoch[3] == 1.0 and trace.epoch[-1] == 2.64
    assert sim.epoch == 2.64


def test_sgd_loss_is_noisier_than_full_batch():
    p = make_problem("linear-regression", DataSettings(samples=200, seed=1))
    full = run(p, GD(lr=0.02), (-1.0, 3.0), 400)[1]
    sgd = run(p, GD(lr=0.02), (-1.0, 3.0), 400, batch_size=1)[1]
    roughness = lambda t: np.abs(np.diff(t.batch_loss[200:, 0])).mean()  # noqa: E731
    assert roughness(sgd) > 10 * roughness(full)


def test_a_mini_batch_run_converges_on_noise_free_data():
    p = make_problem("linear-regression", DataSettings(samples=64, noise=0.0, seed=1))
    sim, _ = run(p, GD(lr=0.05), (0.0, 0.0), 20000, batch_size=8)
    assert RunStatus(sim.status[0]) is RunStatus.CONVERGED
    np.testing.assert_allclose(sim.params[0], [2.0, 1.0], atol=1e-6)


def test_many_runs_finish_independently():
    bowl = SURFACE_PROBLEMS["bowl"]
    starts = [(-2.5, 2.0), (0.0, 0.0), (1.0, 1.0)]
    sim = Simulation(bowl, GD(lr=0.1), starts)
    trace = sim.advance(1000)
    assert list(sim.status) == [RunStatus.CONVERGED] * 3
    assert sim.finished_at[1] == 0  # it started at the minimum
    np.testing.assert_array_equal(trace.params[:, 1], 0.0)  # a finished run stays put
    assert trace.params.shape == (len(trace), 3, 2)
    assert len(trace) == max(sim.finished_at)


def test_final_rows_only_matches_every_row():
    rosen = SURFACE_PROBLEMS["rosenbrock"]
    starts = np.random.default_rng(0).uniform(-2, 2, (50, 2))
    every = Simulation(rosen, Adam(lr=0.01), starts).advance(300)
    last = Simulation(rosen, Adam(lr=0.01), starts).advance(300, every_row=False)
    assert len(last) == 1
    np.testing.assert_array_equal(last.params[0], every.params[-1])


FINISHING_MIXES = {
    # runs that converge, get stuck or diverge (off the map, or into NaN) at many different steps
    "bowl": (("bowl",), GD(lr=0.1), 3.0),
    "six-hump-camel": (("six-hump-camel",), GD(lr=0.05), 2.0),
    "himmelblau": (("himmelblau",), GD(lr=0.02), 6.0),
    "plateau": (("plateau",), GD(lr=0.5), 4.0),
    "walks-off-the-map": (("function", None, "x + y^2"), GD(lr=0.5), 3.0),
    "steps-into-nan": (("function", None, "sqrt(2.5 - x) - 2*x + y^2"), GD(lr=0.01), 2.4),
    "linear-regression": (("linear-regression", DataSettings(samples=50, seed=4)), Adam(lr=0.5), 4.0),
}


@pytest.mark.parametrize(("problem_args", "opt", "spread"), FINISHING_MIXES.values(), ids=FINISHING_MIXES)
def test_final_rows_only_finish_runs_exactly_as_every_row(problem_args, opt, spread):
    # Keeping only the final row takes another path through the engine; it must end
    # every run at the same step, for the same reason, with the same numbers.
    problem = make_problem(*problem_args)
    starts = np.random.default_rng(5).uniform(-spread, spread, (200, 2))
    every_sim, final_sim = (Simulation(problem, opt, starts) for _ in range(2))
    every = every_sim.advance(2_000)
    # In chunks of 25 steps: blocks much shorter than the runs, so most are unrecorded.
    finals = [final_sim.advance(25, every_row=False) for _ in range(80)]
    final = [t for t in finals if len(t)][-1]
    assert len(set(every_sim.finished_at)) > 3  # runs finish at many different steps
    np.testing.assert_array_equal(final_sim.status, every_sim.status)
    np.testing.assert_array_equal(final_sim.finished_at, every_sim.finished_at)
    assert final_sim.detail == every_sim.detail
    assert final_sim.step == every_sim.step
    for field in ("step", "samples", "epoch", "params", "loss", "batch_loss", "grad"):
        np.testing.assert_array_equal(getattr(final, field)[0], getattr(every, field)[-1], err_msg=field)


def test_final_rows_only_records_no_rows_while_no_run_can_finish(monkeypatch):
    # The bounds that stand in for the rows must not be so loose that every block
    # falls back to recording them (correct, but as slow as keeping every row).
    rosen = SURFACE_PROBLEMS["rosenbrock"]
    starts = np.random.default_rng(0).uniform(-2, 2, (500, 2))
    sim = Simulation(rosen, Adam(lr=1e-3), starts)
    monkeypatch.setattr(sim, "_run", None)  # calling it would fail
    last = sim.advance(1_000, every_row=False)
    assert sim.step == 1_000 and (sim.status == RunStatus.RUNNING).all()
    np.testing.assert_array_equal(last.params[0], sim.params)


def test_changing_the_learning_rate_keeps_momentum():
    bowl = SURFACE_PROBLEMS["bowl"]
    sim = Simulation(bowl, Momentum(lr=0.01), [(-2.5, 2.0)])
    sim.advance(5)
    velocity = sim.state.velocity.copy()
    sim.optimizer = Momentum(lr=0.02)
    assert sim.optimizer.lr == 0.02
    np.testing.assert_array_equal(sim.state.velocity, velocity)
    sim.optimizer = Adam(lr=0.01)  # another kind: fresh state
    assert sim.state.count == 0


def test_bad_settings():
    bowl = SURFACE_PROBLEMS["bowl"]
    with pytest.raises(ConfigError, match="batch size does not apply to bowl"):
        Simulation(bowl, GD(lr=0.1), [(0, 0)], batch_size=8)
    with pytest.raises(ConfigError, match="finite"):
        Simulation(bowl, GD(lr=0.1), [(np.nan, 0)])
    with pytest.raises(ConfigError, match="steps must be >= 0"):
        Simulation(bowl, GD(lr=0.1), [(1, 0)]).advance(-1)


# --- a point with no gradient (a cone's tip) ------------------------------------------------


def _tipped_cone():
    """A cone whose gradient is 0/0 at its tip, the known global minimum (the shipped cone uses 0)."""
    from gdstudio.core.problems.analytic import AnalyticSurface
    from gdstudio.core.problems.base import Minimum

    def fg(x, y):
        r = np.hypot(x, y)
        return r, x / r, y / r

    return AnalyticSurface("tip", "tip", "tip", lambda x, y: np.hypot(x, y), fg, ((-2, 2), (-2, 2)),
                           (Minimum((0.0, 0.0), 0.0),), (1.0, 0.0), 0.1)  # fmt: skip


@pytest.mark.parametrize(
    ("formula", "start", "taken"),
    [
        ("sqrt(x^2 + y^2)", (0.0, 0.0), 0),  # starts at the tip: 0/0
        ("sqrt(x^2 + y^2)", (0.4, 0.0), 1),  # one step of 0.4 lands on it exactly
        ("(-2)^x + y^2", (1.0, 1.0), 0),  # real there, its slope complex
    ],
)
def test_a_run_at_a_point_with_no_gradient_stops_there_and_says_so(formula, start, taken):
    from gdstudio.core.problems.formula import formula_surface
    from gdstudio.core.run_status import UNDEFINED_GRADIENT

    sim, trace = run(formula_surface(formula), GD(lr=0.4), start, 50)
    assert RunStatus(sim.status[0]) is RunStatus.STUCK and sim.detail[0] == UNDEFINED_GRADIENT
    assert sim.step == taken == sim.finished_at[0] and len(trace) == taken
    assert np.isfinite(sim.params).all() and np.isfinite(sim.loss).all()  # nothing blew up


def test_a_run_that_lands_on_a_tip_that_is_the_known_minimum_has_converged():
    from gdstudio.core.run_status import UNDEFINED_GRADIENT

    sim, _ = run(_tipped_cone(), GD(lr=0.5), (1.0, 0.0), 50)
    assert RunStatus(sim.status[0]) is RunStatus.CONVERGED
    assert sim.detail[0] == f"global minimum; {UNDEFINED_GRADIENT}" and sim.step == 2
    np.testing.assert_array_equal(sim.params[0], [0.0, 0.0])


@pytest.mark.parametrize(
    ("formula", "lr", "start", "reason"),
    [
        (None, 1e308, (-2.5, 2.0), "the step overflowed: the weights are no longer finite numbers"),
        (None, 1e300, (-2.5, 2.0), "the weights flew far off the map"),  # where the loss overflows too
        ("exp(400*x^2) + y^2", 1e-3, (0.1, 0.0), "the loss overflowed to infinity"),  # at x = -4.3, on the map
    ],
)
def test_a_divergence_names_what_overflowed(formula, lr, start, reason):
    from gdstudio.core.problems.formula import formula_surface

    problem = SURFACE_PROBLEMS["bowl"] if formula is None else formula_surface(formula)
    sim, _ = run(problem, GD(lr=lr), start, 5)
    assert RunStatus(sim.status[0]) is RunStatus.DIVERGED and sim.detail[0] == reason


def test_a_step_onto_a_point_where_the_loss_is_undefined_says_so():
    from gdstudio.core.problems.formula import formula_surface

    sim, _ = run(formula_surface("sqrt(x) + y^2"), GD(lr=1.0), (0.5, 1.0), 5)  # a step to x < 0
    assert RunStatus(sim.status[0]) is RunStatus.DIVERGED
    assert sim.detail[0] == "the loss is undefined (NaN) where the step landed"


def test_a_start_far_off_the_map_is_refused_not_called_a_divergence():
    with pytest.raises(ConfigError, match=r"start point \(1e\+06, 0\) lies far off the map \(-3 to 3 by -3 to 3\)"):
        Simulation(SURFACE_PROBLEMS["bowl"], GD(lr=0.1), [(0.0, 0.0), (1e6, 0.0)])
