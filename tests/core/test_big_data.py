"""Big datasets with small batches: a step's cost does not grow with the data, and the
full-data loss in the rows is exact wherever it is given."""

import csv

import numpy as np
import pytest

from gdstudio.cli import main
from gdstudio.core import RunStatus
from gdstudio.core.optimizers import GD
from gdstudio.core.problems import DataSettings, make_problem
from gdstudio.core.problems.dataset import FULL_LOSS_SAMPLES_PER_STEP
from gdstudio.core.simulation import Simulation


@pytest.fixture(scope="module")
def wave():
    return make_problem("wave-fit", DataSettings(samples=4 * FULL_LOSS_SAMPLES_PER_STEP, seed=1))


@pytest.mark.parametrize(
    ("name", "samples", "batch", "every"),
    [
        ("wave-fit", 500, 1, 1),
        ("wave-fit", FULL_LOSS_SAMPLES_PER_STEP, 1, 1),
        ("wave-fit", 10_000_000, 1, 611),
        ("logistic-regression", 10_000_000, 32, 611),
        ("tiny-network", 1_000_000, 1_000_000 // 4, 4),  # big batches: as often as a batch's work
        ("linear-regression", 10_000_000, 1, 1),  # its full loss comes from moments, free
    ],
)
def test_how_often_the_full_loss_is_computed(name, samples, batch, every):
    problem = make_problem(name)
    problem.n_samples = samples  # only the count matters here
    assert problem.full_loss_every(batch) == every


def test_skipped_losses_are_blank_and_the_rest_exact(wave):
    sim = Simulation(wave, GD(lr=0.05), [(0.8, 2.5)], batch_size=1, seed=3)
    assert sim.loss_every == 4
    trace = sim.advance(41)
    loss = trace.loss[:, 0]
    computed = trace.step % 4 == 0
    assert np.isnan(loss[~computed]).all()
    np.testing.assert_array_equal(loss[computed], wave.loss(trace.params[computed, 0]))
    assert sim.loss[0] == loss[computed][-1]  # the latest computed, from step 40
    assert sim.full_loss()[0] == wave.loss(sim.params)[0]  # and the exact one on demand


def test_the_rows_do_not_depend_on_how_steps_are_split(wave):
    whole = Simulation(wave, GD(lr=0.05), [(0.8, 2.5)], batch_size=1, seed=3).advance(30)
    sim = Simulation(wave, GD(lr=0.05), [(0.8, 2.5)], batch_size=1, seed=3)
    parts = [sim.advance(7) for _ in range(4)] + [sim.advance(2)]
    np.testing.assert_array_equal(np.concatenate([p.params for p in parts]), whole.params)
    np.testing.assert_array_equal(np.concatenate([p.loss for p in parts]), whole.loss)


def test_full_losses_taken_scale_down_with_the_data(monkeypatch):
    # What a step costs: the full loss is the only part that reads every sample.
    problem = make_problem("logistic-regression", DataSettings(samples=16 * FULL_LOSS_SAMPLES_PER_STEP))
    calls = []
    full = problem.loss
    monkeypatch.setattr(problem, "loss", lambda P: calls.append(1) or full(P))
    sim = Simulation(problem, GD(lr=0.1), [(0.0, 0.0)], batch_size=1, seed=0)
    calls.clear()
    sim.advance(160)
    assert len(calls) == 160 // 16


def test_a_run_that_diverges_between_full_losses_stops_with_an_exact_loss(wave):
    sim = Simulation(wave, GD(lr=1e6), [(0.8, 2.5)], batch_size=1, seed=3)
    trace = sim.advance(100)
    assert sim.status[0] == RunStatus.DIVERGED and sim.detail[0] == "the weights flew far off the map"
    assert sim.loss[0] == wave.loss(sim.params)[0]
    assert np.isfinite(trace.params).all()


def test_the_csv_leaves_a_skipped_loss_blank(tmp_path, capsys):
    out, data = tmp_path / "run.csv", tmp_path / "data.csv"
    rng = np.random.default_rng(0)
    x = rng.uniform(-3, 3, 4 * FULL_LOSS_SAMPLES_PER_STEP)
    np.savetxt(data, np.column_stack([x, np.sin(1.5 * x + 0.5)]), delimiter=",", fmt="%.6f")
    code = main(["run", "--problem", "wave-fit", "--data", str(data), "--batch-size", "1", "--steps", "9",
                 "--out", str(out)])  # fmt: skip
    assert code == 0
    with open(out, newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["loss"] != "" for r in rows] == [True, False, False, False, True, False, False, False, True, False]
    assert all(r["batch_loss"] != "" for r in rows[1:])
    problem = make_problem("wave-fit", DataSettings(path=data))
    last = np.array([[float(rows[8]["w"]), float(rows[8]["b"])]])
    assert float(rows[8]["loss"]) == problem.loss(last)[0]
    summary = capsys.readouterr().out
    final = np.array([[float(rows[9]["w"]), float(rows[9]["b"])]])
    assert f"loss={problem.loss(final)[0]:.6g}" in summary  # the summary's loss is computed at the end
