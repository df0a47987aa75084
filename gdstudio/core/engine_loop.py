"""The engine's own process: runs advanced in timed chunks, rows sent back as frames.

Pure Python and NumPy, no Qt. The GUI process sends commands down one pipe and
reads messages from another; running in a process of its own, the engine never
competes with the GUI for Python's GIL, so drawing stays smooth however fast
the runs go.

Runs of different batch sizes are stepped in rounds (:func:`equal_budget_paces`): in a round
the largest batch takes one step and a batch ``k`` times smaller ``k`` steps, so every run
processes the same samples; ``max_steps`` then counts rounds.

Commands (tuples): ``("load", setups)``, ``("play",)``, ``("pause",)``,
``("step",)``, ``("speed", steps_per_second_or_None)``, ``("max_steps", n)``,
``("optimizer", run, optimizer)``, ``("ack",)`` (a frame has been drawn) and
``("stop",)``.

Messages: ``("loaded", setups, landscape_or_None_if_unchanged, snapshot)``, ``("load_failed", text)``,
``("progress", percent)``, ``("rows", traces, snapshot)``, ``("halted", reason)``
and ``("failed", text)`` for an unexpected error.
"""

from __future__ import annotations

import contextlib
import os
import time
import traceback
from dataclasses import dataclass

import numpy as np

from .batch_schedule import equal_budget_paces
from .errors import ConfigError
from .heap import keep_freed_memory
from .loss_grid import LossGrid
from .run_setup import RunSetup
from .run_status import RunStatus
from .simulation import Simulation
from .trace import Trace

#: At most this many frames a second are sent.
FRAME_SECONDS = 1 / 60
#: At full speed, chunks of about this much engine time.
CHUNK_SECONDS = 0.008


@dataclass
class Snapshot:
    """The state of every run after the latest chunk, for the readouts."""

    step: int
    epoch: float
    samples: int
    params: list[np.ndarray]
    loss: list[float]
    grad: list[np.ndarray]
    status: list[RunStatus]
    detail: list[str]
    finished_at: list[int]


class _Interrupted(Exception):  # noqa: N818 (a signal, not an error)
    """A new command arrived while a landscape was being computed."""


def problem_key(setup: RunSetup) -> tuple:
    """The fields that decide the landscape; when equal, the problem can be reused."""
    return (setup.problem, setup.function, setup.samples, setup.noise, setup.data, setup.seed)


class Engine:
    """The state of the engine process: the runs, the pending rows, the pace."""

    def __init__(self, send, pending) -> None:
        self._send = send
        self._pending = pending  # () -> True when a command waits
        self.sims: list[Simulation] = []
        self.setups: list[RunSetup] = []
        #: Steps each run takes per round: runs of different batch sizes process equal samples.
        self.paces: list[int] = []
        self.landscape: LossGrid | None = None
        self.playing = False
        self.speed: float | None = None
        self.max_steps = 100_000
        self._traces: list[list[Trace]] = []
        self._unacked = False
        self._last_sent = 0.0
        self._next_tick = 0.0
        self._owed = 0.0
        self._chunk = 16

    # --- commands -----------------------------------------------------------------------

    def handle(self, message: tuple) -> None:
        kind, *args = message
        getattr(self, f"_on_{kind}")(*args)

    def _on_load(self, setups: list[RunSetup]) -> None:
        self.playing = False
        try:
            main = setups[0]
            same = self.landscape is not None and self.setups and problem_key(self.setups[0]) == problem_key(main)
            problem = self.landscape.problem if same else main.make_problem()
            sims = [s.make_simulation(problem) for s in setups]
            landscape = self.landscape if same else LossGrid.compute(problem, self._progress)
        except ConfigError as exc:
            self._send(("load_failed", str(exc)))
            return
        except _Interrupted:
            return
        self.sims, self.setups, self.landscape = sims, list(setups), landscape
        self.paces = equal_budget_paces(problem.n_samples, [s.batch_size for s in setups])
        self._traces = [[] for _ in sims]
        self._unacked = False
        # The landscape goes to the GUI only when it changed: it can be large.
        self._send(("loaded", list(setups), None if same else landscape, self._snapshot()))

    def _progress(self, fraction: float) -> None:
        if self._pending():
            raise _Interrupted
        self._send(("progress", int(100 * fraction)))

    def _on_play(self) -> None:
        if self.sims and not self._done():
            self.playing = True
            self._owed = 0.0
            self._next_tick = time.perf_counter()
        else:
            self._send(("halted", self._halt_reason()))

    def _on_pause(self) -> None:
        self.playing = False
        self._flush(force=True)

    def _on_step(self) -> None:
        if self.sims and not self._done():
            self._advance(1)
            self._flush(force=True)
            if self._done():
                self._send(("halted", self._halt_reason()))

    def _on_speed(self, speed: float | None) -> None:
        self.speed = speed
        self._owed = 0.0

    def _on_max_steps(self, n: int) -> None:
        self.max_steps = n

    def _on_optimizer(self, run: int, optimizer) -> None:
        if run < len(self.sims):
            self.sims[run].optimizer = optimizer

    def _on_ack(self) -> None:
        self._unacked = False

    # --- pacing -------------------------------------------------------------------------

    def wait_time(self) -> float | None:
        """Seconds until there is work to do; ``None`` when only a command can make work."""
        now = time.perf_counter()
        if self.playing:
            return 0.0 if self.speed is None else max(0.0, self._next_tick - now)
        if any(self._traces) and not self._unacked:
            return max(0.0, self._last_sent + FRAME_SECONDS - now)
        return None

    def tick(self) -> None:
        """Take the steps now due, then send a frame if one is due."""
        if self.playing:
            if not self._done():
                n = self._due_steps()
                if n:
                    self._advance(n)
            if self._done():
                self.playing = False
                self._flush(force=True)
                self._send(("halted", self._halt_reason()))
                return
        self._flush()

    def _due_steps(self) -> int:
        now = time.perf_counter()
        if self.speed is None:
            n = self._chunk
        else:
            interval = max(FRAME_SECONDS, 1 / self.speed)
            self._owed += self.speed * interval
            self._next_tick = now + interval
            n = int(self._owed)
            self._owed -= n
        return min(n, self.max_steps - self._step())

    def _advance(self, n: int) -> None:
        t0 = time.perf_counter()
        for buffer, sim, pace in zip(self._traces, self.sims, self.paces):
            trace = sim.advance(n * pace)
            if len(trace):
                buffer.append(trace)
        if self.speed is None and n > 1:
            per_step = (time.perf_counter() - t0) / n
            self._chunk = int(np.clip(CHUNK_SECONDS / max(per_step, 1e-7), 1, 20_000))

    def _flush(self, force: bool = False) -> None:
        """Send the rows gathered so far, if the GUI is ready for them (or ``force``)."""
        now = time.perf_counter()
        if not self.sims or (not force and (self._unacked or now - self._last_sent < FRAME_SECONDS)):
            return
        if not force and not any(self._traces):
            return
        traces = [Trace.concat(t) if t else Trace.empty(1) for t in self._traces]
        self._traces = [[] for _ in self.sims]
        self._unacked = True
        self._last_sent = now
        self._send(("rows", traces, self._snapshot()))

    def _snapshot(self) -> Snapshot:
        lead = max(self.sims, key=lambda s: s.step)
        return Snapshot(
            step=lead.step,
            epoch=lead.epoch,
            samples=lead.samples,
            params=[s.params[0].copy() for s in self.sims],
            loss=[float(s.loss[0]) for s in self.sims],
            grad=[s.gradient()[0] for s in self.sims],
            status=[RunStatus(int(s.status[0])) for s in self.sims],
            detail=[s.detail[0] for s in self.sims],
            finished_at=[int(s.finished_at[0]) for s in self.sims],
        )

    def _step(self) -> int:
        """Rounds taken by the furthest run (steps, when every run has the same batch size):
        runs that stopped early do not hold the others back."""
        return max(-(-s.step // pace) for s, pace in zip(self.sims, self.paces))

    def _done(self) -> bool:
        return all(s.finished for s in self.sims) or self._step() >= self.max_steps

    def _halt_reason(self) -> str:
        if not self.sims:
            return "nothing loaded"
        if all(s.finished for s in self.sims):
            return "every run has stopped"
        if max(self.paces, default=1) > 1:
            return (
                f"reached the maximum of {self.max_steps:,} steps of the largest batch "
                "(every run processed the same samples)"
            )
        return f"reached the maximum of {self.max_steps:,} steps"


def serve(commands, results) -> None:
    """The engine process's main loop: until ``("stop",)`` or the GUI goes away.

    The engine yields the CPU to the GUI (and the display server): on a small
    machine a flat-out run would otherwise leave drawing a few frames a second.
    """
    if hasattr(os, "nice"):
        with contextlib.suppress(OSError):
            os.nice(19)
    keep_freed_memory()
    engine = Engine(results.send, commands.poll)
    try:
        while True:
            if commands.poll(engine.wait_time()):
                message = commands.recv()
                if message[0] == "stop":
                    return
                try:
                    engine.handle(message)
                except Exception:
                    results.send(("failed", traceback.format_exc(limit=4)))
            else:
                engine.tick()
    except (EOFError, BrokenPipeError, ConnectionResetError, KeyboardInterrupt):
        return
    finally:
        results.close()
