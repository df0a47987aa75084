"""Counts and ranges on the command line: a step cap shared with the window, numbers of
thousands of digits quoted cut short, and a sweep's range that would leave the floats."""

import pytest

from gdstudio.cli import main
from gdstudio.core.run_setup import MAX_WINDOW_STEPS

HUGE = "9" * 5000  # past Python's 4,300-digit limit for reading an integer
LONG = "9" * 4000  # within it, but no message may quote it whole


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gdstudio: error: ") and len(err[0]) < 200, err
    return err[0]


COMMANDS = [
    ["run", "--problem", "bowl"],
    ["sweep", "--problem", "bowl"],
    ["basins", "--problem", "bowl"],
    ["--problem", "bowl", "--screenshot", "never.png"],  # the window
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@pytest.mark.parametrize("steps", [str(MAX_WINDOW_STEPS + 1), "10" + "0" * 19, HUGE])
def test_more_steps_than_the_window_takes_are_refused_everywhere(tmp_path, capsys, monkeypatch, command, steps):
    monkeypatch.chdir(tmp_path)
    out = ["--out", "never.csv"] if command[0] != "--problem" else []
    assert main([*command, "--steps", steps, *out]) == 2
    assert f"argument --steps: GD Studio runs at most {MAX_WINDOW_STEPS:,} steps, got '{steps[:8]}" in (
        one_error_line(capsys)
    )
    assert list(tmp_path.iterdir()) == []  # no file begun


def test_the_cap_itself_is_allowed(capsys):
    assert main(["run", "--problem", "bowl", "--lr", "0.1", "--steps", str(MAX_WINDOW_STEPS)]) == 0
    assert "converged" in capsys.readouterr().out  # long before the cap


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--problem", "wave-fit", "--steps", "5", "--seed", LONG],
        ["run", "--problem", "wave-fit", "--steps", "5", "--samples", HUGE],
        ["run", "--problem", "wave-fit", "--steps", "5", "--batch-size", LONG],
        ["basins", "--problem", "bowl", "--steps", "5", "--grid", LONG],
        ["sweep", "--problem", "bowl", "--steps", "5", "--lrs", f"1e-3:1:{LONG}"],
    ],
    ids=["seed", "samples", "batch-size", "grid", "lrs"],
)
def test_a_count_of_thousands_of_digits_is_one_short_line(capsys, args):
    assert main(args) == 2
    line = one_error_line(capsys)
    assert "..." in line  # quoted cut short


@pytest.mark.parametrize(
    ("lr", "message"),
    [
        (
            "1e308",
            "a sweep of 4 decades around the learning rate 1e+308 would run from 1e+306 to inf, beyond the "
            "numbers a computer holds; give the range of rates yourself",
        ),
        ("1e-322", "would run from 0 to"),
        ("-1", "a sweep spreads its rates around a positive learning rate, got -1"),
        ("0", "a sweep spreads its rates around a positive learning rate, got 0"),
    ],
)
def test_a_sweep_around_a_rate_it_cannot_spread_around_says_why(capsys, lr, message):
    assert main(["sweep", "--problem", "bowl", "--steps", "5", "--lr", lr]) == 2
    assert message in one_error_line(capsys)


def test_sweep_rates_are_read_as_lr_is(capsys):
    assert main(["sweep", "--problem", "bowl", "--steps", "5", "--lrs", "0x1:1_0:3"]) == 0
    assert "3 rates from 1 to 10" in capsys.readouterr().out
