"""Races: runs loaded together step exactly as each does alone; the one-click presets are fair."""

import numpy as np
import pytest

from gdstudio.core import ConfigError
from gdstudio.core.engine_loop import Engine
from gdstudio.core.optimizers import OPTIMIZERS
from gdstudio.core.problems import make_problem
from gdstudio.core.race_presets import compare_learning_rates, compare_methods, compare_optimizers
from gdstudio.core.run_setup import RunSetup
from gdstudio.core.trace import Trace


def race(setups: list[RunSetup], rounds: int) -> tuple[Engine, list[Trace]]:
    """Load ``setups`` together in the window's engine and play ``rounds`` rounds: each run's rows."""
    sent: list = []
    engine = Engine(sent.append, lambda: None)
    engine.dispatch(("max_steps", rounds))
    engine.dispatch(("load", 1, list(setups)))
    assert sent[-1][:2] == ("loaded", 1), sent[-1]
    engine.dispatch(("play",))
    while not sent or sent[-1][0] != "halted":
        engine.tick_guarded()
        if sent[-1][0] == "rows":
            engine.dispatch(("ack",))
    rows = [m[2] for m in sent if m[0] == "rows"]
    return engine, [Trace.concat([r[k] for r in rows if len(r[k])]) for k in range(len(setups))]


def check_each_as_alone(setups: list[RunSetup], rounds: int) -> list[int]:
    """Every run of the race has, row for row, the trajectory ``gdstudio run`` gives it alone."""
    engine, traces = race(setups, rounds)
    steps = []
    for setup, sim, trace in zip(setups, engine.sims, traces):
        alone = setup.make_simulation()
        alone_trace = alone.advance(sim.step)
        assert len(trace) == len(alone_trace) == sim.step > 0
        np.testing.assert_array_equal(trace.params[:, 0], alone_trace.params[:, 0])
        np.testing.assert_array_equal(trace.loss[:, 0], alone_trace.loss[:, 0])
        assert sim.status[0] == alone.status[0]
        steps.append(sim.step)
    return steps


def test_six_optimisers_racing_on_rosenbrock_each_run_as_alone():
    problem = make_problem("rosenbrock")
    preset = compare_optimizers(RunSetup(problem="rosenbrock", start=(-1.5, 2.0)), problem)
    assert [s.optimizer for s in preset.setups] == list(OPTIMIZERS)
    check_each_as_alone(list(preset.setups), 400)


def test_the_three_methods_racing_on_linear_regression_each_run_as_alone():
    base = RunSetup(problem="linear-regression", lr=0.02, seed=3)
    preset = compare_methods(base, base.make_problem())
    steps = check_each_as_alone(list(preset.setups), 20)
    # An equal budget: in a round the full batch takes one step, stochastic one per sample.
    assert steps == [20, 20 * 500, 20 * 16]  # 16 batches of 32 (the last of 20) an epoch


def test_compare_methods_processes_the_same_samples_and_needs_data():
    base = RunSetup(problem="linear-regression", samples=200)
    preset = compare_methods(base, base.make_problem())
    assert preset.labels == ("full batch (200)", "stochastic (1)", "mini-batch 32")
    assert [s.batch_size for s in preset.setups] == [None, 1, 32]
    assert preset.loss_axis == "samples"
    with pytest.raises(ConfigError, match="needs a dataset landscape"):
        compare_methods(RunSetup(problem="bowl"), make_problem("bowl"))


def test_compare_learning_rates_brackets_the_run_and_stops_just_under_the_limit():
    base = RunSetup(problem="linear-regression", lr=0.01)
    problem = base.make_problem()
    preset = compare_learning_rates(base, problem)
    rates = [s.lr for s in preset.setups]
    limit = 2 / problem.hessian_max_eig
    assert rates == sorted(rates) and preset.ordered
    assert {0.001, 0.01, 0.1} <= set(rates)
    (under,) = [s.lr for s, name in zip(preset.setups, preset.labels) if name == "just under 2/L"]
    assert 0.9 * limit < under < limit
    # On a surface whose curvature changes there is no limit to show.
    assert (
        "just under 2/L"
        not in compare_learning_rates(RunSetup(problem="rosenbrock"), make_problem("rosenbrock")).labels
    )
