"""Frames of a finished run at earlier steps, as an animation of it shows them."""

import numpy as np
import pytest

from gdstudio.controller import Frame, RunFrame
from gdstudio.controller.replay import replay_frames
from gdstudio.core import RunStatus, Simulation
from gdstudio.core.history import History
from gdstudio.core.optimizers import GD
from gdstudio.core.problems import SURFACE_PROBLEMS


def finished_frame(problem, starts, lr):
    """The frame the controller would show once these runs have all stopped."""
    sim = Simulation(problem, GD(lr=lr), starts)
    histories = [History(p, loss) for p, loss in zip(sim.params, sim.loss)]
    trace = sim.advance(10_000)
    for i, h in enumerate(histories):
        h.append(trace, i)
    runs = tuple(
        RunFrame(f"run {i}", h, sim.params[i], float(sim.loss[i]), float(sim.loss[i]), problem.grad(sim.params[i : i + 1])[0],
                 np.zeros(2), RunStatus(int(sim.status[i])), sim.detail[i], int(sim.finished_at[i]))
        for i, h in enumerate(histories)
    )  # fmt: skip
    return Frame(sim.step, sim.epoch, sim.samples, runs), sim


def test_frames_go_from_the_start_to_the_end_evenly():
    bowl = SURFACE_PROBLEMS["bowl"]
    final, sim = finished_frame(bowl, [(-2.5, 2.0)], 0.1)
    frames = replay_frames(final, 12)
    steps = [f.step for f in frames]
    assert steps[0] == 0 and steps[-1] == sim.step and len(frames) == 12
    assert np.all(np.diff(steps) > 0) and np.ptp(np.diff(steps)) <= 1  # evenly spread
    assert len(frames[0].runs[0].history) == 1  # the start alone
    assert frames[-1] is not None and frames[-1].runs[0] is final.runs[0]  # the end is the run itself
    for f in frames[:-1]:
        run = f.runs[0]
        assert run.status is RunStatus.RUNNING and len(run.history) == f.step + 1
        np.testing.assert_array_equal(run.params, run.history.params[-1])
        # the downhill arrow of each frame points against the gradient at that frame's weights
        np.testing.assert_allclose(run.grad, bowl.grad(run.params[None])[0], rtol=1e-12)
        assert run.loss == pytest.approx(float(bowl.loss(run.params[None])[0]))


def test_a_run_that_stopped_early_shows_its_end_from_then_on():
    six = SURFACE_PROBLEMS["six-hump-camel"]
    final, sim = finished_frame(six, [(1.5, 0.8), (-0.2, 0.9)], 0.05)
    early = int(np.argmin(sim.finished_at))
    assert sim.finished_at[early] < sim.step  # one run stopped before the other
    for f in replay_frames(final, 30):
        run = f.runs[early]
        done = f.step >= sim.finished_at[early]
        assert (run.status is not RunStatus.RUNNING) == done, f.step


def test_an_animation_needs_two_frames():
    final, _ = finished_frame(SURFACE_PROBLEMS["bowl"], [(1.0, 1.0)], 0.1)
    with pytest.raises(ValueError):
        replay_frames(final, 1)
