"""The engine process's loop, driven directly (no process, no Qt), and once as a real process."""

import math
import multiprocessing
import os
import time

import numpy as np
import pytest

from gdstudio.core.engine_loop import Engine, serve
from gdstudio.core.optimizers import make_optimizer
from gdstudio.core.priority import NICENESS
from gdstudio.core.run_setup import RunSetup

#: Big enough that its landscape is computed in several blocks, each a chance to read commands.
BIG = RunSetup(problem="wave-fit", samples=20_000)


def make_engine(inbox: list | None = None) -> tuple[Engine, list]:
    """An engine whose messages land in the returned list; ``inbox`` holds commands that
    arrive while it computes a landscape."""
    sent: list = []
    inbox = [] if inbox is None else inbox
    return Engine(sent.append, lambda: inbox.pop(0) if inbox else None), sent


def drive(engine: Engine, messages: list, until: str, limit: int = 10_000) -> None:
    for _ in range(limit):
        if messages and messages[-1][0] == until:
            return
        engine.tick_guarded()
    raise AssertionError(f"no {until!r} message; last: {messages[-1][0] if messages else None}")


def kinds(messages: list) -> list[str]:
    return [m[0] for m in messages]


def test_max_steps_counts_the_furthest_run():
    engine, sent = make_engine()
    fast = RunSetup(problem="bowl", lr=0.1)  # converges in under 100 steps
    slow = RunSetup(problem="bowl", lr=1e-4)
    engine.dispatch(("max_steps", 300))
    engine.dispatch(("load", 1, [fast, slow]))
    assert sent[-1][:2] == ("loaded", 1)
    engine.dispatch(("play",))
    drive(engine, sent, "halted")
    assert sent[-1] == ("halted", 1, "reached the maximum of 300 steps")
    assert [s.step for s in engine.sims][1] == 300


def test_frames_wait_for_the_gui_to_acknowledge():
    engine, sent = make_engine()
    engine.dispatch(("max_steps", 10**8))
    engine.dispatch(("load", 1, [RunSetup(problem="rosenbrock", lr=1e-5)]))
    engine.dispatch(("play",))
    for _ in range(5):
        engine.tick()
    assert kinds(sent).count("rows") == 1  # no ack yet: one frame, rows keep gathering
    engine.dispatch(("ack",))
    engine._last_sent = 0.0
    engine.tick()
    rows = [m for m in sent if m[0] == "rows"]
    assert len(rows) == 2 and len(rows[1][2][0]) > 0
    assert {m[1] for m in rows} == {1}  # every frame names its load
    steps = [t for _, _, traces, _ in rows for t in traces[0].step]
    assert steps == list(range(1, len(steps) + 1))  # nothing lost between frames


def test_flat_out_recovers_its_pace_after_one_slow_chunk():
    """A hiccup (another program took the CPU) once left a flat-out run at one step a frame for good."""
    engine, _sent = make_engine()
    engine.dispatch(("max_steps", 10**8))
    engine.dispatch(("load", 1, [RunSetup(problem="rosenbrock", lr=1e-5)]))
    engine.dispatch(("play",))
    sim = engine.sims[0]
    advance = sim.advance

    def hiccup(n, **kw):
        time.sleep(0.2)  # stands for a chunk that lost the CPU: 16 steps in 0.2 s looks like 12 ms a step
        return advance(n, **kw)

    sim.advance = hiccup
    engine.tick()
    assert sim.step == 16
    sim.advance = advance
    engine.tick()
    assert sim.step == 17  # the slow chunk made the next one a single step ...
    for _ in range(20):
        engine.tick()
    assert sim.step > 500  # ... and the pace came back (one step a tick would be at 37)


def test_a_bad_load_is_refused_and_the_runs_stay():
    engine, sent = make_engine()
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.1)]))
    engine.dispatch(("load", 2, [RunSetup(problem="bowl", lr=0.1, batch_size=8)]))
    assert sent[-1][:2] == ("load_failed", 2) and "batch size does not apply" in sent[-1][2]
    assert len(engine.sims) == 1 and engine.load_id == 1


# --- commands while a landscape is computed -----------------------------------------


def test_a_newer_load_of_the_same_landscape_takes_over_the_busy_one():
    newer = RunSetup(problem=BIG.problem, samples=BIG.samples, lr=0.05, start=(1.0, -1.0))
    engine, sent = make_engine([("load", 2, [newer])])
    engine.dispatch(("load", 1, [BIG]))
    loaded = [m for m in sent if m[0] == "loaded"]
    assert [m[1] for m in loaded] == [2]  # load 1 gave way; its landscape was not computed twice
    assert loaded[0][3] is not None and engine.setups == [newer]
    np.testing.assert_allclose(engine.sims[0].params[0], [1.0, -1.0])
    assert {m[1] for m in sent if m[0] == "progress"} <= {1, 2}


def test_a_newer_load_of_another_landscape_abandons_the_busy_one():
    engine, sent = make_engine([("load", 2, [RunSetup(problem="himmelblau")])])
    engine.dispatch(("load", 1, [BIG]))
    assert [m[1] for m in sent if m[0] == "loaded"] == [2]
    assert engine.landscape.problem.name == "himmelblau"


def test_other_commands_during_a_load_wait_for_it_and_are_not_lost():
    engine, sent = make_engine([("speed", 5), ("max_steps", 40), ("play",)])
    engine.dispatch(("load", 1, [BIG]))
    assert kinds(sent)[-1] == "loaded"
    assert engine.speed == 5 and engine.max_steps == 40 and engine.playing  # all three ran, in order


# --- the engine survives any command ----------------------------------------------------

OPTIMIZER = make_optimizer("gd", 0.1)

NONSENSE = [
    ("speed", 0),
    ("speed", -5),
    ("speed", 1e-300),
    ("speed", math.inf),
    ("speed", math.nan),
    ("speed", "fast"),
    ("speed", 10**400),
    ("speed", True),
    ("max_steps", 0),
    ("max_steps", 2.5),
    ("max_steps", "10"),
    ("max_steps", 10**400),
    ("max_steps", 10**8 + 1),
    ("optimizer", 5, OPTIMIZER),
    ("optimizer", 0, "adam"),
    ("optimizer", "0", OPTIMIZER),
    ("load",),
    ("load", 1, []),
    ("load", 1, ["bowl"]),
    ("load", "1", [RunSetup(problem="bowl")]),
    ("load", 1, RunSetup(problem="bowl")),
    ("play", 1),
    ("cancel", "1"),
    ("cancel",),
    ("shown", None),
    ("shown", 1.5),
    ("ack", None, None),
    ("fly",),
    ("__init__",),
    (),
    (42,),
    (np.arange(3),),
    "play",
    None,
    ["play"],
]


@pytest.mark.parametrize("command", NONSENSE, ids=repr)
def test_a_command_that_makes_no_sense_is_answered_and_the_engine_goes_on(command):
    engine, sent = make_engine()
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.01)]))
    engine.dispatch(command)
    assert sent[-1][0] == "refused" and len(sent[-1][1].splitlines()) == 1
    engine.dispatch(("max_steps", 5))
    engine.dispatch(("play",))
    drive(engine, sent, "halted")  # still serving, with the values in force before
    assert sent[-1] == ("halted", 1, "reached the maximum of 5 steps")


def test_a_step_that_fails_is_reported_and_the_engine_goes_on():
    engine, sent = make_engine()
    engine.dispatch(("load", 1, [RunSetup(problem="bowl", lr=0.01)]))

    def broken(*_args, **_kw):
        raise FloatingPointError("a step that went wrong")

    engine.sims[0].advance = broken
    engine.dispatch(("play",))
    engine.tick_guarded()
    assert sent[-1][0] == "failed" and "a step that went wrong" in sent[-1][1]
    assert not engine.playing  # not failing over and over
    engine.dispatch(("load", 2, [RunSetup(problem="bowl", lr=0.01)]))
    assert sent[-1][:2] == ("loaded", 2)


def test_the_engine_process_answers_nonsense_and_keeps_serving():
    ctx = multiprocessing.get_context("spawn")
    commands_in, commands = ctx.Pipe(duplex=False)
    results, results_out = ctx.Pipe(duplex=False)
    process = ctx.Process(target=serve, args=(commands_in, results_out), daemon=True)
    process.start()
    commands_in.close()
    results_out.close()
    try:
        for command in (("speed", 0), ("speed", -5), ("speed", 1e-300), (), ("load", "garbage"), None):
            commands.send(command)
            assert results.poll(30), f"no answer to {command!r}"
            assert results.recv()[0] == "refused"
        commands.send(("load", 7, [RunSetup(problem="bowl")]))
        answers = []
        while (not answers or answers[-1][0] == "progress") and results.poll(30):
            answers.append(results.recv())
        assert answers[-1][:2] == ("loaded", 7)
        if hasattr(os, "getpriority"):  # it gives way to the window, but not so far that it crawls
            assert os.getpriority(os.PRIO_PROCESS, process.pid) == os.getpriority(os.PRIO_PROCESS, 0) + NICENESS
        commands.send(("stop",))
        process.join(10)
        assert process.exitcode == 0
    finally:
        if process.is_alive():
            process.kill()
            process.join()
        commands.close()
        results.close()
