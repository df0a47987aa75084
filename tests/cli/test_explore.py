"""``gdstudio sweep`` and ``gdstudio basins``: their CSVs, their agreement with ``run``, bad input."""

import csv

import numpy as np
import pytest

from gdstudio.cli import main
from gdstudio.core.lr_sweep import log_rates, sweep_simulation
from gdstudio.core.problems import SURFACE_PROBLEMS
from gdstudio.core.run_setup import RunSetup


def read_csv(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def run_alone(tmp_path, *options):
    """The last CSV row of ``gdstudio run`` with these options, and its summary line."""
    out = tmp_path / "alone.csv"
    assert main(["run", *options, "--out", str(out)]) == 0
    header, rows = read_csv(out)
    return dict(zip(header, rows[-1])), len(rows) - 1


def test_sweep_writes_a_row_per_rate(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["sweep", "--problem", "ravine", "--steps", "1000", "--lrs", "0.01:1:25", "--out", str(out)]) == 0
    header, rows = read_csv(out)
    assert header == ["lr", "loss", "status", "steps", "w1", "w2"]
    assert len(rows) == 25
    rates = [float(r[0]) for r in rows]
    np.testing.assert_allclose(rates, np.geomspace(0.01, 1, 25))
    statuses = {r[2] for r in rows}
    assert statuses == {"running", "converged", "diverged"}
    # Above 2/L = 0.5 every rate diverges.
    assert all(r[2] == "diverged" for r in rows if float(r[0]) > 0.5)
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1 and "25 rates from 0.01 to 1" in summary[0] and "2/L=0.5" in summary[0]


def test_a_sweeps_row_is_the_run_of_that_rate(tmp_path, capsys):
    out = tmp_path / "s.csv"
    options = ["--problem", "rosenbrock", "--optimizer", "adam", "--start", "-1.5,2"]
    assert main(["sweep", *options, "--steps", "500", "--lrs", "1e-3:0.3:9", "--out", str(out)]) == 0
    _, rows = read_csv(out)
    for row in rows[::4]:
        last, steps = run_alone(tmp_path, *options, "--steps", "500", "--lr", row[0])
        # Exactly the same numbers (written shortest by one, to 17 digits by the other).
        assert [float(v) for v in (row[4], row[5], row[1])] == [float(last[k]) for k in ("w1", "w2", "loss")]
        assert int(row[3]) == steps
        assert row[2] in capsys.readouterr().out


def test_default_rates_centre_on_lr(tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["sweep", "--problem", "bowl", "--lr", "0.1", "--steps", "50", "--out", str(out)]) == 0
    _, rows = read_csv(out)
    assert len(rows) == 200
    assert float(rows[0][0]) == pytest.approx(0.001) and float(rows[-1][0]) == pytest.approx(10)
    assert "fewest steps" in capsys.readouterr().out


def test_basins_writes_a_row_per_start(tmp_path, capsys):
    out = tmp_path / "b.csv"
    args = ["basins", "--problem", "himmelblau", "--lr", "0.005", "--steps", "3000", "--grid", "20", "--out", str(out)]
    assert main(args) == 0
    header, rows = read_csv(out)
    assert header == ["x", "y", "end_x", "end_y", "minimum", "status", "steps", "loss"]
    assert len(rows) == 400
    xs = np.linspace(-5, 5, 20)
    # Grid order: the second coordinate varies fastest.
    assert [float(v) for v in rows[21][:2]] == [xs[1], xs[1]]
    assert [float(v) for v in rows[1][:2]] == [xs[0], xs[1]]
    minima = SURFACE_PROBLEMS["himmelblau"].minima
    for row in rows:
        assert row[5] == "converged"
        index = int(row[4])
        np.testing.assert_allclose([float(row[2]), float(row[3])], minima[index].location, atol=1e-5)
    assert {r[4] for r in rows} == {"0", "1", "2", "3"}
    assert "400 converged" in capsys.readouterr().out


def test_a_basin_row_is_the_run_from_that_start(tmp_path):
    out = tmp_path / "b.csv"
    options = ["--problem", "rough-bowl", "--optimizer", "momentum", "--lr", "0.01"]
    assert main(["basins", *options, "--steps", "400", "--grid", "9", "--out", str(out)]) == 0
    _, rows = read_csv(out)
    for row in rows[::10]:
        last, steps = run_alone(tmp_path, *options, "--steps", "400", "--start", f"{row[0]},{row[1]}")
        assert [float(v) for v in (row[2], row[3], row[7])] == [float(last[k]) for k in ("w1", "w2", "loss")]
        assert int(row[6]) == steps


def test_no_minimum_is_an_empty_cell(tmp_path):
    out = tmp_path / "b.csv"
    assert main(["basins", "--problem", "bowl", "--lr", "1.5", "--steps", "100", "--grid", "4", "--out", str(out)]) == 0
    _, rows = read_csv(out)
    assert {(r[4], r[5]) for r in rows} == {("", "diverged")}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "1:2"], "expected FROM:TO:N"),
        (["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "0:1:5"], "positive number"),
        (["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "1:0.1:5"], "up to a larger one"),
        (["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "0.1:1:0"], "number of learning rates"),
        (["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "0.1:1:5", "--lr", "0.1"], "not both"),
        (["sweep", "--problem", "ravine", "--lrs", "0.1:1:5"], "--steps"),
        (["sweep", "--steps", "10"], "--problem (or --function) is required"),
        (["sweep", "--problem", "nowhere", "--steps", "10"], "unknown problem 'nowhere'"),
        (["sweep", "--problem", "bowl", "--steps", "10", "--batch-size", "4"], "batch size does not apply"),
        (["basins", "--problem", "ravine", "--steps", "10", "--grid", "1"], "basin grid must have"),
        (["basins", "--problem", "ravine", "--steps", "10", "--start", "1,2"], "--start does not apply"),
        (["basins", "--problem", "ravine", "--steps", "-3"], "must be >= 0"),
        (["basins", "--problem", "ravine", "--steps", "10", "--optimizer", "adam", "--momentum", "0.5"], "momentum"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_file(tmp_path, capsys, args, message):
    out = tmp_path / "x.csv"
    assert main([*args, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err and "Traceback" not in err
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_old_file_survives_a_failed_sweep(tmp_path):
    out = tmp_path / "s.csv"
    out.write_text("precious\n")
    assert main(["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "-1:1:3", "--out", str(out)]) == 2
    assert out.read_text() == "precious\n"
    assert main(["sweep", "--problem", "ravine", "--steps", "10", "--lrs", "0.1:1:3", "--out", str(out)]) == 0
    assert out.read_text().startswith("lr,loss,status,steps")


def test_a_mini_batch_sweeps_runs_are_gdstudio_runs_step_by_step(tmp_path):
    # Same seed, same batches: every step of each rate's run is the step `gdstudio run` takes.
    options = ["--problem", "linear-regression", "--optimizer", "adam", "--batch-size", "8", "--seed", "3",
               "--samples", "100"]  # fmt: skip
    rates = log_rates(0.01, 1.0, 5)
    setup = RunSetup(problem="linear-regression", optimizer="adam", batch_size=8, seed=3, samples=100)
    trace = sweep_simulation(setup, rates).advance(200)
    for k, rate in enumerate(rates):
        out = tmp_path / f"run{k}.csv"
        assert main(["run", *options, "--lr", repr(float(rate)), "--steps", "200", "--out", str(out)]) == 0
        _, rows = read_csv(out)
        got = np.array([[float(v) for v in r[1:5]] for r in rows[1:]])
        np.testing.assert_array_equal(got[:, :2], trace.params[:, k])
        np.testing.assert_array_equal(got[:, 2], trace.loss[:, k])
        np.testing.assert_array_equal(got[:, 3], trace.batch_loss[:, k])
