"""Bounded run history: thinning keeps an even spread, exports are whole."""

import csv
import json
import tracemalloc
from pathlib import Path

import numpy as np
import pytest

from gdstudio.core import Simulation
from gdstudio.core.history import History
from gdstudio.core.optimizers import GD
from gdstudio.core.problems import SURFACE_PROBLEMS


def bowl_run(steps, capacity, chunks=(7, 50, 300)):
    sim = Simulation(SURFACE_PROBLEMS["bowl"], GD(lr=1e-4), [(-2.5, 2.0)], tol=1e-12)
    history = History(sim.params[0], sim.loss[0], capacity=capacity)
    done, i = 0, 0
    while done < steps:
        n = min(chunks[i % len(chunks)], steps - done)
        history.append(sim.advance(n))
        done += n
        i += 1
    return sim, history


def test_short_runs_keep_every_row():
    _, h = bowl_run(100, capacity=1000)
    np.testing.assert_array_equal(h.column("step"), np.arange(101))
    assert h.stride == 1


def test_long_runs_stay_bounded_and_evenly_spread():
    sim, h = bowl_run(5000, capacity=256)
    steps = h.column("step")
    assert len(h) <= 257
    assert steps[0] == 0 and steps[-1] == 5000  # start and newest always kept
    gaps = np.diff(steps[:-1])
    assert set(gaps) == {h.stride}  # evenly thinned
    np.testing.assert_array_equal(h.params[-1], sim.params[0])


def test_csv_and_json_exports(tmp_path):
    _, h = bowl_run(20, capacity=100)
    h.write_csv(tmp_path / "run.csv", ("x", "y"))
    rows = list(csv.reader((tmp_path / "run.csv").read_text().splitlines()))
    assert rows[0][:4] == ["step", "x", "y", "loss"] and len(rows) == 22
    h.write_json(tmp_path / "run.json", ("x", "y"), {"problem": "bowl"})
    doc = json.loads((tmp_path / "run.json").read_text())
    assert doc["run"]["problem"] == "bowl" and len(doc["rows"]["loss"]) == 21
    assert doc["rows"]["grad_x"][0] is None


def test_thinned_rows_hold_the_values_of_their_steps():
    sim = Simulation(SURFACE_PROBLEMS["bowl"], GD(lr=1e-4), [(-2.5, 2.0)], tol=1e-12)
    history = History(sim.params[0], sim.loss[0], capacity=64)
    loss, gx = [sim.loss[0]], [np.nan]
    for n in (3, 40, 17, 200, 1, 500):
        trace = sim.advance(n)
        history.append(trace)
        loss.extend(trace.loss[:, 0])
        gx.extend(trace.grad[:, 0, 0])
    steps = history.column("step").astype(int)
    np.testing.assert_array_equal(history.column("loss"), np.array(loss)[steps])
    np.testing.assert_array_equal(history.column("gx")[1:], np.array(gx)[steps[1:]])
    assert history.stride > 1 and steps[-1] == 761
    # The newest row is provisional unless its step is a kept multiple.
    assert history.kept == len(history) - (761 % history.stride != 0)
    assert all(s % history.stride == 0 for s in steps[: history.kept])


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the process's sizes from /proc")
def test_a_history_neither_commits_nor_reserves_memory_before_rows_arrive():
    def size_mb(field):
        status = Path("/proc/self/status").read_text()
        return int(status.split(f"{field}:")[1].split()[0]) / 1024

    resident, reserved = size_mb("VmRSS"), size_mb("VmSize")
    histories = [History(np.zeros(2), 1.0) for _ in range(20)]  # room for 2,000,000 rows each
    assert size_mb("VmRSS") - resident < 20
    assert size_mb("VmSize") - reserved < 50  # what Windows would count against its commit limit
    assert all(len(h) == 1 for h in histories)


def test_a_history_holds_memory_in_proportion_to_its_rows():
    """Nothing is reserved for rows that have not come: Windows counts reserved memory
    against its commit limit, and a lecture may hold many short runs."""
    sim = Simulation(SURFACE_PROBLEMS["bowl"], GD(lr=1e-7), [(-2.5, 2.0)], tol=1e-12)
    traces = [sim.advance(20_000) for _ in range(5)]
    tracemalloc.start()
    try:
        history = History(np.zeros(2), 1.0)  # room for 2,000,000 rows in the end
        fresh = tracemalloc.get_traced_memory()[0]
        for trace in traces:
            history.append(trace)
        grown = tracemalloc.get_traced_memory()[0]
    finally:
        tracemalloc.stop()
    row = 9 * 8  # nine float64 columns
    assert fresh < 1_000_000
    assert len(history) == 100_001 and grown - fresh < 2.2 * 100_001 * row
    np.testing.assert_array_equal(history.column("step"), np.arange(100_001))


def test_a_full_history_of_many_blocks_thins_to_every_other_step_exactly():
    """Thinning moves the rows a block at a time: every kept row still holds its own step's values."""
    sim = Simulation(SURFACE_PROBLEMS["bowl"], GD(lr=1e-7), [(-2.5, 2.0)], tol=1e-12)
    history = History(sim.params[0], sim.loss[0], capacity=200_000)
    loss = [sim.loss[0]]
    for _ in range(5):
        trace = sim.advance(50_000)
        history.append(trace)
        loss.extend(trace.loss[:, 0])
    steps = history.column("step").astype(int)
    assert history.stride == 2 and steps[-1] == 250_000
    np.testing.assert_array_equal(steps, np.arange(0, 250_001, 2))
    np.testing.assert_array_equal(history.column("loss"), np.array(loss)[steps])
