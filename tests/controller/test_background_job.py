"""A background job: its result, its one-line failure, Cancel and an unexpected death."""

import os
import signal
from functools import partial

import pytest

from gdstudio.controller.background_job import BackgroundJob
from gdstudio.core.lr_sweep import LrSweep, run_sweep
from gdstudio.core.run_setup import RunSetup


@pytest.fixture
def job(qtbot):
    job = BackgroundJob("test job")
    yield job
    job.close()


def test_a_sweep_comes_back_with_progress_on_the_way(job, qtbot):
    seen = []
    job.progressed.connect(seen.append)
    with qtbot.waitSignal(job.finished, timeout=30_000) as done:
        job.start(partial(run_sweep, RunSetup(problem="bowl"), 2_000, [0.1, 0.5, 1.5]))
    sweep = done.args[0]
    assert isinstance(sweep, LrSweep) and sweep.outcomes.labels() == ["converged", "converged", "diverged"]
    assert seen and seen[-1] == 1.0 and not job.busy


def test_a_set_up_that_cannot_run_fails_in_one_line(job, qtbot):
    with qtbot.waitSignal(job.failed, timeout=30_000) as failed:
        job.start(partial(run_sweep, RunSetup(problem="bowl"), 10, [-1.0]))
    assert failed.args[0].count("\n") == 0 and "learning rate" in failed.args[0]
    assert not job.busy


def test_cancel_ends_the_process_at_once_and_a_newer_job_replaces_an_older_one(job, qtbot):
    long = partial(run_sweep, RunSetup(problem="rosenbrock"), 10**7, [1e-7] * 2_000)
    with qtbot.waitSignal(job.progressed, timeout=30_000):
        job.start(long)
    first = job._process
    with qtbot.waitSignal(job.cancelled, timeout=1_000):
        job.start(partial(run_sweep, RunSetup(problem="bowl"), 100, [0.1]))  # replaces it
    assert not first.is_alive()
    with qtbot.waitSignal(job.finished, timeout=30_000) as done:
        pass
    assert len(done.args[0].rates) == 1
    with qtbot.waitSignal(job.progressed, timeout=30_000):
        job.start(long)
    process = job._process
    with qtbot.waitSignal(job.cancelled, timeout=1_000):
        job.cancel()
    assert not process.is_alive() and not job.busy
    job.cancel()  # nothing running: nothing happens


def test_a_job_killed_from_outside_is_reported(job, qtbot):
    with qtbot.waitSignal(job.progressed, timeout=30_000):
        job.start(partial(run_sweep, RunSetup(problem="rosenbrock"), 10**7, [1e-7] * 2_000))
    with qtbot.waitSignal(job.failed, timeout=10_000) as failed:
        os.kill(job._process.pid, signal.SIGKILL)
    assert failed.args[0] == "the test job stopped unexpectedly (killed by SIGKILL)"
    assert not job.busy
