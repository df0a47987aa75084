"""``gdstudio run``, ``gdstudio list`` and every kind of bad input."""

import csv
import os
import subprocess
import sys

import numpy as np
import pytest

from gdstudio.cli import main
from gdstudio.core.optimizers import OPTIMIZERS, Adam
from gdstudio.core.problems import PROBLEM_NAMES, SURFACE_PROBLEMS
from gdstudio.core.simulation import Simulation


def read_csv(path):
    with open(path, newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_run_writes_every_step(tmp_path, capsys):
    out = tmp_path / "r.csv"
    code = main(
        ["run", "--problem", "rosenbrock", "--optimizer", "adam", "--lr", "0.01", "--steps", "300",
         "--start", "-1.5,2", "--out", str(out)]
    )  # fmt: skip
    assert code == 0
    header, rows = read_csv(out)
    assert header[:4] == ["step", "w1", "w2", "loss"]
    assert rows[0][:4] == ["0", "-1.5", "2.0", "12.5"]
    assert len(rows) == 301
    # The CSV holds the engine's exact numbers.
    sim = Simulation(SURFACE_PROBLEMS["rosenbrock"], Adam(lr=0.01), [(-1.5, 2.0)])
    trace = sim.advance(300)
    got = np.array([[float(v) for v in r[1:4]] for r in rows[1:]])
    np.testing.assert_array_equal(got[:, :2], trace.params[:, 0])
    np.testing.assert_array_equal(got[:, 2], trace.loss[:, 0])
    summary = capsys.readouterr().out.strip().splitlines()
    assert len(summary) == 1 and "running after 300 steps" in summary[0]


def test_run_stops_when_converged_and_says_so(tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert main(["run", "--problem", "bowl", "--lr", "0.1", "--steps", "5000", "--out", str(out)]) == 0
    _, rows = read_csv(out)
    assert len(rows) < 200
    assert "converged (global minimum)" in capsys.readouterr().out


def test_dataset_run_with_batches(tmp_path, capsys):
    out = tmp_path / "r.csv"
    args = ["run", "--problem", "linear-regression", "--lr", "0.05", "--steps", "50", "--batch-size", "8",
            "--samples", "100", "--noise", "0.5", "--seed", "3", "--out", str(out)]  # fmt: skip
    assert main(args) == 0
    header, rows = read_csv(out)
    assert header[:4] == ["step", "w", "b", "loss"]
    # 13 batches an epoch (12 of 8, one of 4): 3 epochs in 39 steps, then 11 more batches of 8.
    assert rows[-1][header.index("samples")] == str(3 * 100 + 11 * 8)
    assert "mini-batch 8" in capsys.readouterr().out


def test_users_own_data(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("x,y\n" + "\n".join(f"{x},{3 * x - 1}" for x in range(-5, 6)))
    args = ["run", "--problem", "linear-regression", "--data", str(data), "--lr", "0.01", "--steps", "5000"]
    assert main(args) == 0
    assert "w=3, b=-1" in capsys.readouterr().out


def test_hyperparameters_and_negative_start(capsys):
    args = ["run", "--problem", "ravine", "--optimizer", "nesterov", "--momentum", "0.5", "--lr", "0.1",
            "--start", "-9,-3", "--steps", "10"]  # fmt: skip
    assert main(args) == 0
    assert "nesterov lr=0.1" in capsys.readouterr().out


def test_list_names_every_problem_and_optimizer(capsys):
    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name in (*PROBLEM_NAMES, *OPTIMIZERS, "beta2=0.999"):
        assert name in out


BAD = {
    "unknown problem": (["--problem", "nope"], "unknown problem 'nope'"),
    "unknown optimizer": (["--optimizer", "sgdd"], "unknown optimizer 'sgdd'"),
    "negative lr": (["--lr", "-0.1"], "learning rate must be in [0, ∞), got -0.1"),
    "nan lr": (["--lr", "nan"], "learning rate must be in [0, ∞), got nan"),
    "lr not a number": (["--lr", "fast"], "--lr: expected a number, got 'fast'"),
    "negative steps": (["--steps", "-5"], "--steps: must be >= 0, got -5"),
    "batch size 0": (["--problem", "wave-fit", "--batch-size", "0"], "batch size must be between 1 and"),
    "batch size too big": (["--problem", "wave-fit", "--batch-size", "501"], "got 501"),
    "batch size on a surface": (["--batch-size", "4"], "batch size does not apply to bowl"),
    "samples on a surface": (["--samples", "40"], "bowl is an analytic surface with no data"),
    "malformed start": (["--start", "1;2"], "--start: expected two numbers as A,B"),
    "one-number start": (["--start", "1"], "--start: expected two numbers as A,B"),
    "infinite start": (["--start", "inf,2"], "start must be finite"),
    "beta out of range": (["--optimizer", "adam", "--beta1", "1"], "beta1 must be in [0, 1), got 1.0"),
    "momentum out of range": (
        ["--optimizer", "momentum", "--momentum", "-0.5"],
        "momentum must be in [0, 1)",
    ),
    "eps negative": (["--optimizer", "rmsprop", "--eps", "-1"], "eps must be in (0, ∞)"),
    # ε = 0 divides 0 by 0 for a weight whose gradient is still zero (a start on an axis).
    "eps zero adam": (["--optimizer", "adam", "--eps", "0"], "adam: eps must be in (0, ∞), got 0.0"),
    "eps zero rmsprop": (["--optimizer", "rmsprop", "--eps", "0"], "rmsprop: eps must be in (0, ∞), got 0.0"),
    "eps zero adagrad": (["--optimizer", "adagrad", "--eps", "0"], "adagrad: eps must be in (0, ∞), got 0.0"),
    # The window shows seeds in a 32-bit spin box; 2³¹ or more once stopped it updating.
    "huge seed": (["--seed", "3000000000"], "seed must be between 0 and 2,147,483,647, got 3000000000"),
    "minus infinite lr": (["--lr", "-inf"], "learning rate must be in [0, ∞), got -inf"),
    "minus nan lr": (["--lr", "-nan"], "learning rate must be in [0, ∞), got nan"),
    "minus infinite start": (["--start", "-inf,0"], "start must be finite, got '-inf,0'"),
    "minus infinite hyperparameter": (["--optimizer", "momentum", "--momentum", "-Infinity"], "got -inf"),
    "huge hexadecimal lr": (["--lr", "0x" + "f" * 400], "--lr: '0xfffff"),
    "very long junk": (["--lr", "9z" * 3000], "--lr: expected a number, got '9z9z"),
    "alpha too big": (["--optimizer", "rmsprop", "--alpha", "2"], "alpha must be in [0, 1)"),
    "lr decay negative": (["--optimizer", "adagrad", "--lr-decay", "-1"], "lr_decay must be in [0, ∞)"),
    "accumulator negative": (
        ["--optimizer", "adagrad", "--initial-accumulator", "-1"],
        "initial_accumulator",
    ),
    "hyperparameter of another optimizer": (["--beta2", "0.9"], "beta2 does not apply to gd"),
    "zero samples": (["--problem", "wave-fit", "--samples", "0"], "samples must be between 2 and"),
    "nan noise": (["--problem", "wave-fit", "--noise", "nan"], "noise must be between 0 and 1,000"),
    "huge noise": (["--problem", "tiny-network", "--noise", "1e308"], "noise must be between 0 and 1,000"),
    "missing data file": (["--problem", "wave-fit", "--data", "/no/such.csv"], "cannot read data file"),
    "unknown flag": (["--turbo"], "unrecognized arguments: --turbo"),
    "bad tolerance": (["--tol", "0"], "tolerance must be a positive number"),
    "function and problem": (["--function", "x^2 + y^2"], "give --problem or --function, not both"),
}


@pytest.mark.parametrize("case", BAD, ids=list(BAD))
def test_bad_input_exits_2_with_one_line_and_no_file(tmp_path, capsys, case):
    extra, message = BAD[case]
    out = tmp_path / "never.csv"
    args = ["run", "--problem", "bowl", "--lr", "0.1", "--steps", "10", *extra, "--out", str(out)]
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("gdstudio: error: "), err
    assert message in err and len(err) < 400  # a huge value is not echoed whole
    assert list(tmp_path.iterdir()) == []


def test_a_typed_function_runs_with_its_exact_gradient(tmp_path, capsys):
    out = tmp_path / "f.csv"
    assert main(["run", "--function", "(x - 1)^2 + 4*y^2", "--start", "-2,1", "--steps", "500", "--out", str(out)]) == 0
    header, rows = read_csv(out)
    assert header[:4] == ["step", "x", "y", "loss"] and rows[0][:4] == ["0", "-2.0", "1.0", "13.0"]
    assert [float(v) for v in rows[1][5:7]] == [-6.0, 8.0]  # grad_x, grad_y at the start
    summary = capsys.readouterr().out
    assert "converged (global minimum)" in summary and "x=1" in summary


BAD_FUNCTIONS = {
    "code": ("__import__('os').system('true')", "found '__import__'"),
    "unknown name": ("x + q", "found 'q'"),
    "unbalanced": ("(x + y", "check its brackets"),
    "undefined at the start": ("log(x)", "not finite at the start point"),
    "with data": ("x^2 + y^2", "a typed function has no data"),
}


@pytest.mark.parametrize("case", BAD_FUNCTIONS, ids=list(BAD_FUNCTIONS))
def test_a_bad_function_exits_2_with_one_line_and_no_file(tmp_path, capsys, case):
    text, message = BAD_FUNCTIONS[case]
    out = tmp_path / "never.csv"
    extra = ["--samples", "50"] if case == "with data" else []
    assert main(["run", "--function", text, "--steps", "10", *extra, "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err
    assert list(tmp_path.iterdir()) == []


def test_broken_data_file_names_its_line(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("1,2\n3,x\n")
    assert main(["run", "--problem", "wave-fit", "--data", str(data), "--steps", "1"]) == 2
    assert "d.csv, line 2" in capsys.readouterr().err


def test_unwritable_out_leaves_nothing(tmp_path, capsys):
    target = tmp_path / "missing-dir" / "r.csv"
    assert main(["run", "--problem", "bowl", "--steps", "5", "--out", str(target)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert main(["run", "--problem", "bowl", "--steps", "5", "--out", str(tmp_path)]) == 2
    assert list(tmp_path.iterdir()) == []


def test_out_is_replaced_whole(tmp_path):
    out = tmp_path / "r.csv"
    out.write_text("old contents\n")
    assert main(["run", "--problem", "bowl", "--steps", "5", "--lr", "1e-3", "--out", str(out)]) == 0
    assert out.read_text().startswith("step,w1,w2,loss")
    assert main(["run", "--problem", "bowl", "--steps", "5", "--lr", "-1", "--out", str(out)]) == 2
    assert out.read_text().startswith("step,w1,w2,loss")  # a failed run leaves the old file alone


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_output_files_get_ordinary_permissions(tmp_path):
    out = tmp_path / "r.csv"
    mask = os.umask(0o022)
    try:
        assert main(["run", "--problem", "bowl", "--steps", "3", "--out", str(out)]) == 0
    finally:
        os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o644


def test_the_window_opens_on_a_typed_function(monkeypatch):
    opened = []
    monkeypatch.setattr("gdstudio.app.main", lambda setup, **kw: opened.append(setup) or 0)
    assert main(["--function", "x^2 + 3*y^2", "--optimizer", "adam"]) == 0
    assert (opened[0].problem, opened[0].function, opened[0].optimizer) == ("function", "x^2 + 3*y^2", "adam")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--function", "x^2 +"], "cannot read the function"),
        (["--function", "x^2", "--batch-size", "8"], "batch size does not apply"),
        (["--function", "x^2", "--problem", "bowl"], "give --problem or --function, not both"),
        (["--animation", "a.gif", "--screenshot", "a.png"], "give --screenshot or --animation, not both"),
        (["--animation", "a.gif"], "--animation replays a run: give --steps N"),
        (["--screenshot", "a.png", "--steps", "3000000000"], "GD Studio runs at most 100,000,000 steps"),
        (["--seed", "2147483648"], "seed must be between 0 and 2,147,483,647"),
    ],
)
def test_a_bad_function_for_the_window_exits_2_before_any_window(monkeypatch, capsys, args, message):
    monkeypatch.setattr("gdstudio.app.main", lambda *a, **kw: pytest.fail("the window opened"))
    assert main(args) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and message in err, err


def test_setup_options_may_come_before_run(capsys):
    assert main(["--problem", "bowl", "--lr", "0.1", "run", "--steps", "5"]) == 0
    assert capsys.readouterr().out.startswith("bowl, gd lr=0.1")
    # Given again after `run`, the later value wins.
    assert main(["--problem", "bowl", "run", "--problem", "ravine", "--steps", "5"]) == 0
    assert capsys.readouterr().out.startswith("ravine, gd")


def test_window_options_before_run_are_refused_not_ignored(tmp_path, capsys):
    shot = tmp_path / "a.png"
    assert main(["--screenshot", str(shot), "run", "--problem", "bowl", "--steps", "5"]) == 2
    assert capsys.readouterr().err == "gdstudio: error: --screenshot is for the window, not for 'run'\n"
    assert list(tmp_path.iterdir()) == []


def test_numbers_are_read_as_in_a_typed_formula(capsys):
    """``0x10*x`` is 16·x in a formula, so ``--lr 0x10`` is 16 too (and ``--steps 0x10``, 16)."""
    assert main(["run", "--problem", "bowl", "--lr", "0x10", "--steps", "0x10"]) == 0
    assert capsys.readouterr().out.startswith("bowl, gd lr=16,")


def test_a_runaway_learning_rate_says_which_step_went_bad(tmp_path, capsys):
    out = tmp_path / "r.csv"
    assert main(["run", "--problem", "bowl", "--lr", "1e308", "--steps", "5", "--out", str(out)]) == 0
    summary = capsys.readouterr().out
    assert (
        "diverged (the step overflowed: the weights are no longer finite numbers) at step 1; before it w1=-2.5, w2=2,"
        in summary
    )
    _, rows = read_csv(out)
    assert len(rows) == 1  # the start; the step that overflowed has no finite numbers to write


def test_a_failing_replace_is_one_line_and_leaves_the_old_file(tmp_path, capsys, monkeypatch):
    """On Windows a CSV open in Excel cannot be replaced: os.replace fails."""
    out = tmp_path / "r.csv"
    out.write_text("old contents\n")

    def refuse(src, dst):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("os.replace", refuse)
    assert main(["run", "--problem", "bowl", "--steps", "5", "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert err == f"gdstudio: error: cannot write {out}: Permission denied\n"
    assert out.read_text() == "old contents\n"
    assert sorted(tmp_path.iterdir()) == [out]


def gdstudio_process(*args, **kw):
    return subprocess.Popen([sys.executable, "-m", "gdstudio", *args], text=True, **kw)


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout on this system")
def test_with_the_csv_on_stdout_the_summary_goes_to_stderr():
    proc = gdstudio_process("run", "--problem", "bowl", "--lr", "1e-4", "--steps", "3", "--out", "/dev/stdout",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert out.splitlines()[0].startswith("step,w1,w2,loss") and len(out.splitlines()) == 5
    assert err.startswith("bowl, gd lr=0.0001") and err.count("\n") == 1


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout on this system")
def test_a_reader_that_stops_early_ends_the_run_quietly():
    """``gdstudio run --out /dev/stdout | head -2`` exits 0 and says nothing, as ``list | head`` does."""
    proc = gdstudio_process("run", "--problem", "bowl", "--lr", "1e-6", "--steps", "1000000", "--out", "/dev/stdout",
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    first = [proc.stdout.readline(), proc.stdout.readline()]
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait(timeout=60) == 0
    assert first[0].startswith("step,") and first[1].startswith("0,")
    assert err == ""


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="no /dev/full on this system")
@pytest.mark.parametrize("args", [["list"], ["run", "--problem", "bowl", "--steps", "5"]], ids=["list", "run"])
def test_a_full_stdout_is_one_line_and_exit_2(args):
    with open("/dev/full", "w") as full:
        proc = gdstudio_process(*args, stdout=full, stderr=subprocess.PIPE)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err == "gdstudio: error: cannot write the output: No space left on device\n"


def test_out_may_not_replace_the_data_it_reads(tmp_path, capsys):
    data = tmp_path / "d.csv"
    data.write_text("1,2\n3,4\n5,7\n")
    args = ["run", "--problem", "linear-regression", "--data", str(data), "--steps", "5", "--out"]
    assert main([*args, str(tmp_path / "." / "d.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "is the --data file" in err
    assert data.read_text() == "1,2\n3,4\n5,7\n" and sorted(tmp_path.iterdir()) == [data]
