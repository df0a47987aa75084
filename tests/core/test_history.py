"""Bounded run history: thinning keeps an even spread, exports are whole."""

import csv
import json
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


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads the resident size from /proc")
def test_a_history_commits_memory_only_as_rows_arrive():
    def resident_mb():
        status = Path("/proc/self/status").read_text()
        return int(status.split("VmRSS:")[1].split()[0]) / 1024

    before = resident_mb()
    histories = [History(np.zeros(2), 1.0) for _ in range(20)]  # room for 2,000,000 rows each
    assert resident_mb() - before < 20
    assert all(len(h) == 1 for h in histories)
