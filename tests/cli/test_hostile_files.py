"""Hostile files on the command line: one line, exit 2, no traceback, no partial or hidden file."""

import os
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import pytest

from gdstudio.cli import main

ROOT = Path(__file__).resolve().parents[2]


def gdstudio(*args: str, env_extra: dict | None = None, **kwargs) -> subprocess.Popen:
    env = dict(os.environ, PYTHONPATH=str(ROOT), **(env_extra or {}))
    return subprocess.Popen(
        [sys.executable, "-m", "gdstudio", *args], env=env, stderr=subprocess.PIPE, text=True, **kwargs
    )


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gdstudio: error: ")
    return err[0]


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.symlink_to(p), "Too many levels of symbolic links"),
        (lambda p: p.with_name("x" * 300 + ".csv"), "File name too long"),
        (lambda p: p.mkdir(), "it is a folder"),
        (lambda p: Path("/dev/full"), "No space left on device"),
        (lambda p: Path("/proc/version"), "cannot write /proc/version"),
    ],
)
def test_run_out_to_a_place_that_cannot_be_written(tmp_path, capsys, make, reason):
    target = tmp_path / "out.csv"
    target = make(target) or target
    code = main(["run", "--problem", "bowl", "--steps", "5", "--out", str(target)])
    assert code == 2
    assert reason in one_error_line(capsys)
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]


def test_run_data_from_dev_zero_is_refused_at_once(capsys):
    code = main(["run", "--problem", "wave-fit", "--data", "/dev/zero", "--steps", "5"])
    assert code == 2
    assert "cannot read data file /dev/zero: it is a device, not a regular file" in one_error_line(capsys)


def test_out_may_not_name_the_data_file(tmp_path, capsys):
    data = tmp_path / "data.csv"
    data.write_text("x,y\n1,2\n2,4\n3,6.5\n")
    (tmp_path / "link.csv").symlink_to(data)
    for out in (data, tmp_path / "link.csv", tmp_path / "." / "data.csv"):
        code = main(["run", "--problem", "linear-regression", "--data", str(data), "--steps", "5", "--out", str(out)])
        assert code == 2
        assert "is the --data file" in one_error_line(capsys)
    assert data.read_text() == "x,y\n1,2\n2,4\n3,6.5\n"


def test_output_to_a_full_disk_is_one_line_not_a_traceback():
    with open("/dev/full", "w") as full:
        proc = gdstudio("run", "--problem", "bowl", "--steps", "5", stdout=full)
        _, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert err.strip() == "gdstudio: error: cannot write the output: No space left on device"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_a_run_ended_by_a_signal_leaves_no_hidden_file_and_the_old_one_intact(tmp_path, signum):
    out = tmp_path / "out.csv"
    out.write_text("old\n")
    proc = gdstudio("run", "--problem", "rosenbrock", "--steps", "100000000", "--out", str(out))
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".part") and p.stat().st_size > 0 for p in tmp_path.iterdir()):
        assert proc.poll() is None and time.monotonic() < deadline, "the run never started writing"
        time.sleep(0.02)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 128 + signum
    assert "Traceback" not in err
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]
    assert out.read_text() == "old\n"


@pytest.mark.parametrize("option", ["--screenshot", "--animation"])
@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda p: p.symlink_to(p), "Too many levels of symbolic links"),
        (lambda p: p.mkdir(), "it is a folder"),
        (lambda p: None, "No such file or directory"),  # in a folder that is missing
    ],
    ids=["link-loop", "folder", "missing-folder"],
)
def test_a_picture_that_cannot_be_written_is_refused_before_any_window_opens(
    tmp_path, capsys, monkeypatch, option, make, reason
):
    import gdstudio.app

    monkeypatch.setattr(gdstudio.app, "main", lambda *a, **kw: pytest.fail("a window opened"))
    name = "out.png" if option == "--screenshot" else "out.gif"
    target = tmp_path / name if reason != "No such file or directory" else tmp_path / "missing" / name
    make(target)
    before = sorted(tmp_path.iterdir())
    assert main([option, str(target), "--steps", "5"]) == 2
    assert reason in one_error_line(capsys)
    assert sorted(tmp_path.iterdir()) == before


@pytest.mark.parametrize(
    "formula", ["10^1000 + x", "x^(10^1000)", "1" + "0" * 400 + "*x", "1j*x", "sqrt(-1)*x + y^2", "log(-1)+x^2+y^2"]
)
def test_a_formula_beyond_real_floats_is_one_line_and_exit_2(capsys, formula):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main(["run", "--function", formula, "--steps", "5"])
    assert code == 2
    one_error_line(capsys)


def test_a_number_in_a_formula_is_read_as_in_a_flag(capsys):
    # 0x10 is 16 in both; 1j is no real number in either.
    assert main(["run", "--function", "0x10*x^2 + y^2", "--lr", "0x10", "--steps", "1"]) == 0
    assert "lr=16" in capsys.readouterr().out
    assert main(["run", "--function", "1j*x", "--steps", "1"]) == 2
    assert "not '1j'" in one_error_line(capsys)
    assert main(["run", "--problem", "bowl", "--lr", "1j", "--steps", "1"]) == 2
    assert "1j" in one_error_line(capsys)


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs xvfb-run")
def test_an_8_bit_screen_is_refused_in_one_line_not_a_crash(tmp_path):
    # On an 8-bit (palette) X screen Qt cannot paint a widget, and the app crashed in exec().
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        ["xvfb-run", "-a", "-s", "-screen 0 800x600x8", sys.executable, "-m", "gdstudio", "--screenshot", str(tmp_path / "x.png")],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        "gdstudio: error: the screen has 8-bit colour; GD Studio needs at least 16-bit colour "
        "(for Xvfb, give -screen 0 1280x1024x24)"
    )
    assert list(tmp_path.iterdir()) == []
