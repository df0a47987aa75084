"""A long load (reading a big file, making data, computing the landscape, finding the minima)
reports what it is doing and is given up, part-way, for a newer load or a cancel."""

import numpy as np
import pytest

import gdstudio.core.problems.data as data_module
import gdstudio.core.problems.dataset as dataset_module
from gdstudio.core.checkpoints import checked_by, checkpoint
from gdstudio.core.engine_loop import Engine
from gdstudio.core.loss_grid import MINIMA_STAGE
from gdstudio.core.problems import DataSettings, make_problem
from gdstudio.core.problems.data import load_csv
from gdstudio.core.problems.registry import DATASET_PROBLEMS
from gdstudio.core.run_setup import RunSetup

from .test_engine_loop import make_engine


class AbandonedError(Exception):
    pass


def abandon():
    raise AbandonedError


def wave_csv(path, rows):
    x = np.linspace(-3, 3, 1000)
    block = "".join(f"{a:.4f},{np.sin(1.5 * a + 0.5):.4f}\n" for a in x)
    path.write_text("x,y\n" + block * (rows // 1000))
    return path


def engine_with_inbox(when):
    """An engine to which ``when(sent, asks)`` hands a command (or ``None``) each time it looks
    for one while loading; ``asks`` counts how often it looked."""
    asks = [0]
    sent: list = []

    def receive():
        asks[0] += 1
        return when(sent, asks[0])

    return Engine(sent.append, receive), sent


def progress_of(sent, load_id):
    return [(m[2], m[3]) for m in sent if m[0] == "progress" and m[1] == load_id]


# --- the work itself ----------------------------------------------------------------------


@pytest.mark.parametrize("name", DATASET_PROBLEMS)
def test_data_made_in_pieces_are_the_same_data(monkeypatch, name):
    monkeypatch.setattr(dataset_module._ReportingRng, "_PIECE", 777)
    fractions = []
    cls = DATASET_PROBLEMS[name]
    pieces = cls.generate(5_000, None, 3, fractions.append)
    whole = cls.generate(5_000, None, 3)
    np.testing.assert_array_equal(pieces.x, whole.x)
    np.testing.assert_array_equal(pieces.y, whole.y)
    assert len(fractions) > 6 and fractions == sorted(fractions) and fractions[-1] == 1.0


def test_a_data_file_is_read_with_its_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "_BLOCK_BYTES", 2_000)
    path = wave_csv(tmp_path / "wave.csv", 5_000)
    fractions = []
    data = load_csv(path, fractions.append)
    assert len(data) == 5_000 and np.array_equal(data.x, load_csv(path).x)
    assert len(fractions) > 20 and fractions == sorted(fractions) and fractions[-1] == 1.0


def test_the_loss_over_millions_of_samples_stops_at_its_checkpoints():
    problem = make_problem("wave-fit", DataSettings(samples=50_000))
    P = np.zeros((3, 2))
    with checked_by(abandon), pytest.raises(AbandonedError):
        problem.loss(P)
    with checked_by(abandon), pytest.raises(AbandonedError):
        problem.surface(8)  # the rows' sums over the samples
    problem.loss(P)  # outside a load nothing is checked
    checkpoint()


# --- in the engine ------------------------------------------------------------------------


def test_a_newer_load_is_noticed_while_a_big_file_is_read(tmp_path, monkeypatch):
    monkeypatch.setattr(data_module, "_BLOCK_BYTES", 2_000)
    path = wave_csv(tmp_path / "big.csv", 20_000)  # about 200 blocks
    blocks = []
    parse = data_module._parse_block
    monkeypatch.setattr(data_module, "_parse_block", lambda *a: blocks.append(1) or parse(*a))
    newer = RunSetup(problem="himmelblau")
    engine, sent = engine_with_inbox(lambda sent, asks: ("load", 2, [newer]) if asks == 5 else None)
    engine.dispatch(("load", 1, [RunSetup(problem="wave-fit", data=path)]))
    assert [m[1] for m in sent if m[0] == "loaded"] == [2] and engine.landscape.problem.name == "himmelblau"
    reading = progress_of(sent, 1)
    assert reading and {stage for stage, _ in reading} == {"reading big.csv"}
    assert max(p for _, p in reading) < 10 and len(blocks) < 10  # given up right there, not at the end


def test_a_cancel_is_noticed_while_data_are_made_and_the_runs_stay(monkeypatch):
    monkeypatch.setattr(dataset_module._ReportingRng, "_PIECE", 10_000)
    engine, sent = engine_with_inbox(lambda sent, asks: ("cancel", 2) if asks == 3 else None)
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.01)]))
    engine.dispatch(("shown", 1))
    engine.dispatch(("step",))
    engine.dispatch(("load", 2, [RunSetup(problem="wave-fit", samples=1_000_000)]))
    making = progress_of(sent, 2)
    assert making and {stage for stage, _ in making} == {"making the data"} and max(p for _, p in making) < 5
    assert [m[1] for m in sent if m[0] == "loaded"] == [1]
    engine.dispatch(("step",))  # the run goes on where it was
    assert sent[-1][:2] == ("rows", 1) and engine.sims[0].step == 2 and engine.landscape.problem.name == "bowl"


def test_a_newer_load_is_noticed_while_the_minima_are_searched():
    newer = [("load", 2, [RunSetup(problem="bowl")])]

    def when(sent, asks):
        searching = any(m[0] == "progress" and m[2] == MINIMA_STAGE for m in sent)
        return newer.pop() if searching and newer else None

    engine, sent = engine_with_inbox(when)
    engine.dispatch(("load", 1, [RunSetup(problem="wave-fit", samples=20_000)]))
    searched = [p for stage, p in progress_of(sent, 1) if stage == MINIMA_STAGE]
    assert searched and max(searched) < 100
    assert [m[1] for m in sent if m[0] == "loaded"] == [2]


def test_a_cancel_after_the_load_was_done_goes_back_to_the_runs_shown():
    # The engine finished load 2 just before the GUI's Cancel for it arrived.
    engine, sent = make_engine()
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.01)]))
    engine.dispatch(("shown", 1))
    for _ in range(3):
        engine.dispatch(("step",))
    engine.dispatch(("load", 2, [RunSetup(problem="himmelblau")]))
    assert sent[-1][:2] == ("loaded", 2)
    engine.dispatch(("cancel", 2))
    engine.dispatch(("step",))
    assert sent[-1][:2] == ("rows", 1) and sent[-1][3].step == 4
    assert engine.landscape.problem.name == "bowl" and engine.load_id == 1


def test_a_cancel_goes_back_past_every_load_finished_since_the_runs_shown():
    engine, _ = make_engine()
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.01)]))
    engine.dispatch(("shown", 1))
    engine.dispatch(("load", 2, [RunSetup(problem="himmelblau")]))
    engine.dispatch(("load", 3, [RunSetup(problem="rosenbrock")]))
    engine.dispatch(("cancel", 3))
    assert engine.landscape.problem.name == "bowl" and engine.load_id == 1
    engine.dispatch(("shown", 1))
    engine.dispatch(("cancel", 1))  # nothing to give up: a cancel never undoes the runs shown
    assert engine.load_id == 1


def test_rows_not_yet_sent_go_out_before_a_load():
    engine, sent = make_engine()
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.01)]))
    engine.dispatch(("play",))
    engine.tick()  # a frame goes out; the next rows wait for its acknowledgement
    engine.tick()
    steps = engine.sims[0].step
    engine.dispatch(("load", 2, [RunSetup(problem="himmelblau")]))
    rows = [m for m in sent if m[0] == "rows"]
    assert rows[-1][1] == 1 and rows[-1][3].step == steps
    assert sum(len(t) for m in rows for t in m[2][:1]) == steps  # every step's row reached the GUI


def test_a_data_file_edited_since_it_was_read_is_read_again(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("x,y\n1,2\n2,4\n3,6\n")
    setup = RunSetup(problem="linear-regression", data=path)
    engine, sent = make_engine()
    engine.dispatch(("load", 1, [setup]))
    engine.dispatch(("load", 2, [setup]))  # Reset: the same file, unchanged, is not read again
    assert sent[-1][:2] == ("loaded", 2) and sent[-1][3] is None
    path.write_text("x,y\n1,2\n2,4\n3,6\n4,8\n")  # the user adds a row and loads it again
    engine.dispatch(("load", 3, [setup]))
    assert sent[-1][:2] == ("loaded", 3) and sent[-1][3] is not None
    assert engine.landscape.problem.n_samples == 4
