"""The window and ``gdstudio run`` name the same step for the same ending."""

import re
from types import SimpleNamespace

from gdstudio.cli import summary
from gdstudio.core import RunStatus
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.run_endings import ending_line


def test_a_divergence_is_dated_to_the_same_step_in_the_window_and_on_the_command_line():
    setup = RunSetup(problem="side-valley", lr=4.4, start=(1.8, 0.0))
    sim = setup.make_simulation()
    while not sim.finished:
        sim.advance(7)
    assert RunStatus(int(sim.status[0])) is RunStatus.DIVERGED
    run = SimpleNamespace(label="", status=RunStatus.DIVERGED, finished_at=int(sim.finished_at[0]),
                          detail=sim.detail[0])  # fmt: skip
    window = re.search(r"Diverged at step (\d+)", ending_line(run, several=False))
    command_line = re.search(r"diverged .*at step (\d+)", summary(sim, setup))
    assert window and command_line
    assert window.group(1) == command_line.group(1)
