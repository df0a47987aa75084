"""The engine process's loop, driven directly (no process, no Qt)."""

from gdstudio.core.engine_loop import Engine
from gdstudio.core.run_setup import RunSetup


def drive(engine: Engine, messages: list, until: str, limit: int = 10_000) -> None:
    for _ in range(limit):
        if messages and messages[-1][0] == until:
            return
        engine.tick()
    raise AssertionError(f"no {until!r} message; last: {messages[-1][0] if messages else None}")


def test_max_steps_counts_the_furthest_run():
    sent = []
    engine = Engine(sent.append, lambda: False)
    fast = RunSetup(problem="bowl", lr=0.1)  # converges in under 100 steps
    slow = RunSetup(problem="bowl", lr=1e-4)
    engine.handle(("max_steps", 300))
    engine.handle(("load", [fast, slow]))
    assert sent[-1][0] == "loaded"
    engine.handle(("play",))
    drive(engine, sent, "halted")
    assert sent[-1] == ("halted", "reached the maximum of 300 steps")
    assert [s.step for s in engine.sims][1] == 300


def test_frames_wait_for_the_gui_to_acknowledge():
    sent = []
    engine = Engine(sent.append, lambda: False)
    engine.handle(("max_steps", 10**9))
    engine.handle(("load", [RunSetup(problem="rosenbrock", lr=1e-5)]))
    engine.handle(("play",))
    for _ in range(5):
        engine.tick()
    assert [m[0] for m in sent].count("rows") == 1  # no ack yet: one frame, rows keep gathering
    engine.handle(("ack",))
    engine._last_sent = 0.0
    engine.tick()
    rows = [m for m in sent if m[0] == "rows"]
    assert len(rows) == 2 and len(rows[1][1][0]) > 0
    steps = [t for _, traces, _ in rows for t in traces[0].step]
    assert steps == list(range(1, len(steps) + 1))  # nothing lost between frames


def test_a_bad_load_is_refused_and_the_runs_stay():
    sent = []
    engine = Engine(sent.append, lambda: False)
    engine.handle(("load", [RunSetup(problem="bowl", lr=0.1)]))
    engine.handle(("load", [RunSetup(problem="bowl", lr=0.1, batch_size=8)]))
    assert sent[-1][0] == "load_failed" and "batch size does not apply" in sent[-1][1]
    assert len(engine.sims) == 1
