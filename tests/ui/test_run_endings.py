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


def test_a_run_stopped_where_the_gradient_is_undefined_is_told_so_not_as_a_divergence(capsys):
    from gdstudio.cli import main
    from gdstudio.ui.run_endings import is_mistake

    assert main(["run", "--function", "sqrt(x^2 + y^2)", "--start", "0.4,0", "--lr", "0.4", "--steps", "9"]) == 0
    assert "stuck (the gradient is undefined at this point) after 1 steps; x=0, y=0, loss=0" in capsys.readouterr().out
    setup = RunSetup(problem="function", function="sqrt(x^2 + y^2)", start=(0.4, 0.0), lr=0.4)
    sim = setup.make_simulation()
    sim.advance(9)
    run = SimpleNamespace(label="", status=RunStatus(int(sim.status[0])), finished_at=int(sim.finished_at[0]),
                          detail=sim.detail[0])  # fmt: skip
    line = ending_line(run, several=False)
    assert (
        line
        == "Stopped at step 1 where the gradient is undefined (as at the tip of a cone): there is no slope to follow."
    )
    assert not is_mistake(run)
    run.status, run.detail = RunStatus.CONVERGED, "global minimum; " + sim.detail[0]
    assert ending_line(run, several=False).startswith("Stopped at step 1 at the global minimum, where the gradient")
