"""Editing a race: the selected run's settings are that run's; the landscape and a shared start are all."""

import pytest

from gdstudio.controller import SessionController
from gdstudio.core.run_setup import RunSetup


@pytest.fixture
def racing(qapp, qtbot):
    """A controller with three runs on the bowl loaded, the second selected."""
    c = SessionController(RunSetup(problem="bowl"))
    runs = [RunSetup(problem="bowl", lr=0.1), RunSetup(problem="bowl", optimizer="adam", lr=0.05),
            RunSetup(problem="bowl", lr=0.2, start=(1.0, 1.0))]  # fmt: skip
    with qtbot.waitSignal(c.loaded, timeout=20_000):
        c.set_runs(runs, ["one", "two", "three"], selected=1)
    yield c
    c.shutdown()


def test_the_panels_show_and_edit_the_selected_run_only(racing, qtbot):
    c = racing
    assert c.selected_run == 1 and c.state.setup.optimizer == "adam"
    c.set_learning_rate(0.07)  # live: no reload
    assert not c.is_loading
    assert [s.lr for s in c.setups] == [0.1, 0.07, 0.2]
    with qtbot.waitSignal(c.loaded, timeout=20_000):
        c.update_setup(optimizer="rmsprop")
    assert [s.optimizer for s in c.setups] == ["gd", "rmsprop", "gd"]
    c.select_run(2)
    assert c.state.setup.lr == 0.2 and c.state.setup.start == (1.0, 1.0)


def test_a_start_moves_the_runs_that_share_it_and_the_landscape_is_every_runs(racing, qtbot):
    c = racing
    with qtbot.waitSignal(c.loaded, timeout=20_000):
        c.set_start(-2.0, 1.5)
    # The third run was moved to a start of its own: it stays there.
    assert [s.start for s in c.setups] == [(-2.0, 1.5), (-2.0, 1.5), (1.0, 1.0)]
    c.starts_together = False
    with qtbot.waitSignal(c.loaded, timeout=20_000):
        c.set_start(0.5, 0.5)
    assert [s.start for s in c.setups] == [(-2.0, 1.5), (0.5, 0.5), (1.0, 1.0)]
    with qtbot.waitSignal(c.landscape_changed, timeout=20_000):
        c.update_setup(problem="himmelblau")
    assert {s.problem for s in c.setups} == {"himmelblau"}
    # A new landscape: every run at its defaults there, each keeping its optimiser.
    assert {(s.lr, s.start) for s in c.setups} == {(None, None)}
    assert [s.optimizer for s in c.setups] == ["gd", "adam", "gd"]
    assert len(c.frame.runs) == 3 and [r.label for r in c.frame.runs] == ["one", "two", "three"]


def test_renaming_a_run_restarts_nothing(racing, qtbot):
    c = racing
    c.step()
    qtbot.waitUntil(lambda: c.frame.step == 1, timeout=5_000)
    c.rename_run(2, "slow one")
    with qtbot.waitSignal(c.frame_ready, timeout=5_000):
        c.step()
    assert c.frame.step == 2 and [r.label for r in c.frame.runs] == ["one", "two", "slow one"]
