"""``sweep`` and ``basins`` print their summary as ``run`` does: never into a CSV on stdout, and
a full disk is one line, exit 2 (not listed in issue 11: siblings of ``run > /dev/full``)."""

import os
import subprocess
import sys

import pytest

from gdstudio.cli import main

COMMANDS = [
    ["sweep", "--problem", "bowl", "--steps", "5", "--lrs", "0.1:1:3"],
    ["basins", "--problem", "bowl", "--steps", "5", "--grid", "3"],
]


@pytest.mark.skipif(not os.path.exists("/dev/stdout"), reason="no /dev/stdout on this system")
def test_with_the_csv_on_stdout_the_summary_goes_to_stderr():
    """The sweep's summary line once ended its CSV on stdout (one command: a process costs a second)."""
    proc = subprocess.run([sys.executable, "-m", "gdstudio", *COMMANDS[0], "--out", "/dev/stdout"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert proc.returncode == 0
    assert proc.stdout.startswith("lr,") and len(proc.stdout.splitlines()) == 4  # the header and one row a rate
    assert proc.stderr.startswith("bowl, gd, exact gradient: 3 rates") and proc.stderr.count("\n") == 1


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_summary_to_a_full_disk_is_one_line(capsys, monkeypatch, command):
    with open("/dev/full", "w") as full:
        monkeypatch.setattr(sys, "stdout", full)
        code = main(command)
    assert code == 2
    assert capsys.readouterr().err == "gdstudio: error: cannot write the output: No space left on device\n"
