"""The engine's own process: runs advanced in timed chunks, rows sent back as frames.

Pure Python and NumPy, no Qt. The GUI process sends commands down one pipe and
reads messages from another; running in a process of its own, the engine never
competes with the GUI for Python's GIL, so drawing stays smooth however fast
the runs go.

Runs of different batch sizes are stepped in rounds (:func:`equal_budget_paces`): in a round
the largest batch takes one step and a batch ``k`` times smaller ``k`` steps, so every run
processes the same samples; ``max_steps`` then counts rounds.

Commands (tuples): ``("load", load_id, setups)``, ``("shown", load_id)`` (the GUI
draws that load's runs), ``("cancel", load_id)`` (give up every load up to that one
and go back to the runs last shown), ``("play",)``, ``("pause",)``, ``("step",)``,
``("speed", steps_per_second_or_None)``, ``("max_steps", n)``,
``("optimizer", run, optimizer)``, ``("ack",)`` (a frame has been drawn) and
``("stop",)``.

Messages: ``("loaded", load_id, setups, landscape_or_None_if_unchanged, snapshot)``,
``("load_failed", load_id, text)``, ``("progress", load_id, stage, percent)`` (``stage``
says what is being done: reading a file, making data, computing the landscape,
finding the minima),
``("rows", load_id, traces, snapshot)``, ``("halted", load_id, reason)``,
``("refused", text)`` for a command that makes no sense (a bad value, a garbled
tuple) and ``("failed", text)`` for an unexpected error. ``load_id`` tags
everything that belongs to one load, so the GUI can drop what a newer load made
stale.

The engine survives any command: a bad one is answered and the engine goes on
serving. A load is abandoned only for a newer load or a cancel, noticed at the
checkpoints of the work (:mod:`.checkpoints`), so within a fraction of a second
even while ten million samples are read or searched; other commands that arrive
while a landscape is computed wait until it is loaded, then run in order. The
engine exits when the GUI's process goes, whatever it is doing at the time.
"""

from __future__ import annotations

import collections
import inspect
import math
import multiprocessing
import numbers
import os
import threading
import time
import traceback
from dataclasses import dataclass

import numpy as np

from .batch_schedule import equal_budget_paces
from .checkpoints import checked_by
from .errors import ConfigError
from .heap import keep_freed_memory
from .loss_grid import LossGrid
from .optimizers import Optimizer
from .priority import give_way_to_the_window
from .run_setup import MAX_WINDOW_STEPS, RunSetup
from .run_status import RunStatus
from .simulation import Simulation
from .trace import Trace

#: At most this many frames a second are sent.
FRAME_SECONDS = 1 / 60
#: At full speed, chunks of about this much engine time.
CHUNK_SECONDS = 0.008
#: Paced runs go between one step a minute and a million steps a second (``None``: flat out).
MIN_SPEED, MAX_SPEED = 1 / 60, 1e6
#: While a landscape loads, the pipe is read at the checkpoints deep in the work at most this often.
CHECK_SECONDS = 0.01

#: What a send or receive raises once the GUI has gone.
_GUI_GONE = (EOFError, BrokenPipeError, ConnectionResetError)


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


@dataclass
class _Loaded:
    """The runs of one load, kept aside while the GUI may still ask to go back to them."""

    load_id: int | None
    setups: list[RunSetup]
    sims: list[Simulation]
    paces: list[int]
    landscape: LossGrid | None
    landscape_key: tuple | None


class _Superseded(BaseException):
    """A newer load for another landscape, or a cancel, arrived while a landscape was being computed."""


class _Stop(BaseException):
    """``("stop",)`` arrived while a landscape was being computed."""


def problem_key(setup: RunSetup) -> tuple:
    """The fields that decide the landscape; when equal, the problem can be reused.

    A data file counts with its size and time of change: a file edited since it was read
    (and chosen again, or Reset) is read again, not served from the landscape it made.
    """
    return (setup.problem, setup.function, setup.samples, setup.noise, setup.data, _stamp(setup.data), setup.seed)


def _stamp(path) -> tuple | None:
    try:
        info = os.stat(path)
    except (OSError, TypeError, ValueError):  # no file: loading it will say why
        return None
    return (info.st_size, info.st_mtime_ns, info.st_ino)


class Engine:
    """The state of the engine process: the runs, the pending rows, the pace.

    ``send`` sends a message to the GUI; ``receive`` returns the next command
    if one waits, else ``None`` (it is asked while a landscape is computed).
    """

    def __init__(self, send, receive) -> None:
        self._send = send
        self._receive = receive
        self.sims: list[Simulation] = []
        self.setups: list[RunSetup] = []
        #: Steps each run takes per round: runs of different batch sizes process equal samples.
        self.paces: list[int] = []
        self.landscape: LossGrid | None = None
        #: The :func:`problem_key` the landscape was made for.
        self.landscape_key: tuple | None = None
        #: The id of the load the runs come from.
        self.load_id: int | None = None
        self.playing = False
        self.speed: float | None = None
        self.max_steps = 100_000
        self._traces: list[list[Trace]] = []
        self._unacked = False
        self._last_sent = 0.0
        self._next_tick = 0.0
        self._owed = 0.0
        self._chunk = 16
        #: The load being computed: ``(load_id, setups)``; a newer load of the same landscape replaces it.
        self._target: tuple[int, list[RunSetup]] | None = None
        #: Commands that arrived while a landscape was computed, to run once it is loaded.
        self._deferred: collections.deque[tuple] = collections.deque()
        #: The runs the GUI last said it draws (``("shown", id)``): where a cancel goes back to.
        self._kept: _Loaded | None = None
        self._last_check = 0.0
        self._reported: tuple | None = None

    # --- commands -----------------------------------------------------------------------

    def dispatch(self, message) -> None:
        """Carry out ``message``, then whatever arrived meanwhile; the engine survives each.

        A command that makes no sense is answered with ``("refused", text)``,
        an unexpected error with ``("failed", text)``.
        """
        self._guarded(self.handle, message)
        while self._deferred:
            self._guarded(self.handle, self._deferred.popleft())

    def tick_guarded(self) -> None:
        """:meth:`tick`, answering an unexpected error with ``("failed", text)`` instead of dying."""
        self._guarded(self.tick)

    def _guarded(self, action, *args) -> None:
        try:
            action(*args)
        except (*_GUI_GONE, _Stop, _Superseded):
            raise
        except ConfigError as exc:
            self._send(("refused", str(exc)))
        except Exception:
            self.playing = False  # a failing step would fail again at once
            self._send(("failed", traceback.format_exc(limit=4)))

    def handle(self, message) -> None:
        """Carry out one command; raises :class:`ConfigError` for one that makes no sense."""
        kind = _kind(message)
        if kind is None:
            raise ConfigError(f"not a command: {_brief(message)}")
        args = message[1:]
        handler = getattr(self, f"_on_{kind}", None)
        if handler is None:
            raise ConfigError(f"unknown command {_brief(kind)}")
        try:
            inspect.signature(handler).bind(*args)
        except TypeError:
            raise ConfigError(f"command {kind!r} given {len(args)} value(s): {_brief(tuple(args))}") from None
        handler(*args)

    def _on_load(self, load_id: int, setups: list[RunSetup]) -> None:
        if not _is_int(load_id):
            raise ConfigError(f"a load's id must be an integer, got {_brief(load_id)}")
        if not isinstance(setups, list) or not setups or not all(isinstance(s, RunSetup) for s in setups):
            raise ConfigError(f"a load needs a list of run set-ups, got {_brief(setups)}")
        self.playing = False
        if any(self._traces):  # the runs drawn get every step they took: a cancel returns to them
            self._flush(force=True)
        self._target = (load_id, list(setups))
        try:
            with checked_by(self._checkpoint):
                landscape, key = self._landscape_for(setups)
                load_id, setups = self._target  # a newer load of the same landscape may have taken over
                sims = [s.make_simulation(landscape.problem) for s in setups]
                paces = equal_budget_paces(landscape.problem.n_samples, [s.batch_size for s in setups])
        except _Superseded:
            return  # the newer load waits in the deferred commands
        except (*_GUI_GONE, _Stop):
            raise
        except ConfigError as exc:
            self._send(("load_failed", self._target[0], str(exc)))
            return
        except Exception as exc:  # a set-up no check foresaw: the old runs stay, the GUI hears why
            self._send(("load_failed", self._target[0], f"it could not be loaded ({type(exc).__name__}: {exc})"))
            return
        finally:
            self._target = None
        same = landscape is self.landscape
        self.sims, self.setups, self.landscape, self.load_id = sims, setups, landscape, load_id
        self.paces, self.landscape_key = paces, key
        self._traces = [[] for _ in sims]
        self._unacked = False
        # The landscape goes to the GUI only when it changed: it can be large.
        self._send(("loaded", load_id, list(setups), None if same else landscape, self._snapshot()))

    def _landscape_for(self, setups: list[RunSetup]) -> tuple[LossGrid, tuple]:
        """The loaded landscape if ``setups`` share it, else a new one computed with progress;
        with its :func:`problem_key` (a data file's taken before it is read)."""
        key = problem_key(setups[0])
        if self.landscape is not None and key == self.landscape_key:
            return self.landscape, key
        first = setups[0]
        stage = f"reading {first.data.name}" if first.data is not None else "making the data"
        problem = first.make_problem(lambda fraction: self._report(stage, fraction))
        for setup in setups:  # refuse a bad set-up before the long part
            setup.make_simulation(problem)
        return LossGrid.compute(problem, self._report), key

    def _report(self, stage: str, fraction: float) -> None:
        """Part of a load done: take in the commands that arrived meanwhile, and say how far it is."""
        self._take_commands()
        message = ("progress", self._target[0], stage, int(100 * fraction))
        if message != self._reported:
            self._reported = message
            self._send(message)

    def _checkpoint(self) -> None:
        """Deep in a load's work (see :mod:`.checkpoints`): take in commands now and then."""
        now = time.monotonic()
        if now - self._last_check >= CHECK_SECONDS:
            self._last_check = now
            self._take_commands()

    def _take_commands(self) -> None:
        """While a landscape is computed: a newer load of it takes over, a load of another
        one or a cancel abandons it (:class:`_Superseded`), ``stop`` ends it (:class:`_Stop`),
        and any other command waits until the load is over."""
        while (message := self._receive()) is not None:
            kind = _kind(message)
            if kind == "stop":
                raise _Stop
            if kind == "load" and len(message) == 3 and isinstance(message[2], list) and message[2]:
                newer = message[2][0]
                same = isinstance(newer, RunSetup) and problem_key(newer) == problem_key(self._target[1][0])
                if same and _is_int(message[1]):
                    self._target = (message[1], message[2])  # same landscape: carry on for the newer load
                    continue
                self._deferred.append(message)
                raise _Superseded
            self._deferred.append(message)
            if kind == "cancel" and len(message) == 2 and _is_int(message[1]) and message[1] >= self._target[0]:
                raise _Superseded

    def _on_shown(self, load_id: int) -> None:
        if not _is_int(load_id):
            raise ConfigError(f"a load's id must be an integer, got {_brief(load_id)}")
        if load_id == self.load_id:
            self._kept = _Loaded(self.load_id, self.setups, self.sims, self.paces, self.landscape, self.landscape_key)

    def _on_cancel(self, load_id: int) -> None:
        """Loads up to ``load_id`` are given up; one that was loaded meanwhile gives way to the
        runs last shown, as they were (a load being computed was abandoned when this arrived)."""
        if not _is_int(load_id):
            raise ConfigError(f"a load's id must be an integer, got {_brief(load_id)}")
        kept = self._kept
        if kept is None or self.load_id is None or not kept.load_id < self.load_id <= load_id:
            return
        self.playing = False
        self.load_id, self.setups, self.sims, self.paces, self.landscape, self.landscape_key = (
            kept.load_id, kept.setups, kept.sims, kept.paces, kept.landscape, kept.landscape_key,
        )  # fmt: skip
        self._traces = [[] for _ in self.sims]
        self._unacked = False

    def _on_play(self) -> None:
        if self.sims and not self._done():
            self.playing = True
            self._owed = 0.0
            self._next_tick = time.perf_counter()
        else:
            self._send(("halted", self.load_id, self._halt_reason()))

    def _on_pause(self) -> None:
        self.playing = False
        self._flush(force=True)

    def _on_step(self) -> None:
        if self.sims and not self._done():
            self._advance(1)
            self._flush(force=True)
            if self._done():
                self._send(("halted", self.load_id, self._halt_reason()))

    def _on_speed(self, speed: float | None) -> None:
        self.speed = check_speed(speed)
        self._owed = 0.0

    def _on_max_steps(self, n: int) -> None:
        self.max_steps = check_max_steps(n)

    def _on_optimizer(self, run: int, optimizer: Optimizer) -> None:
        if not isinstance(optimizer, Optimizer):
            raise ConfigError(f"not an optimiser: {_brief(optimizer)}")
        if not (_is_int(run) and 0 <= run < len(self.sims)):
            raise ConfigError(f"no run number {_brief(run)} ({len(self.sims)} loaded)")
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
                self._send(("halted", self.load_id, self._halt_reason()))
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
        if self.speed is None:  # re-measured every chunk, so one slow chunk (a busy machine) is soon forgotten
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
        self._send(("rows", self.load_id, traces, self._snapshot()))

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


def check_speed(speed) -> float | None:
    """``speed`` as steps per second (``None``: flat out); :class:`ConfigError` if the engine cannot keep it."""
    if speed is not None and not (_is_real(speed) and MIN_SPEED <= speed <= MAX_SPEED):
        raise ConfigError(
            f"speed must be between {MIN_SPEED:.3g} and {MAX_SPEED:g} steps per second, got {_brief(speed)}"
        )
    return None if speed is None else float(speed)


def check_max_steps(n) -> int:
    """``n`` as a step limit; :class:`ConfigError` unless a whole number from 1 to ``MAX_WINDOW_STEPS``."""
    if not (_is_int(n) and 1 <= n <= MAX_WINDOW_STEPS):
        raise ConfigError(f"the step limit must be a whole number from 1 to {MAX_WINDOW_STEPS:,}, got {_brief(n)}")
    return int(n)


def _kind(message) -> str | None:
    """A command's name, or ``None`` if ``message`` is not a command at all."""
    if isinstance(message, tuple) and message and isinstance(message[0], str):
        return message[0]
    return None


class _Unreadable:
    """What arrived when a message could not be unpickled (refused like any other non-command)."""

    def __init__(self, exc: Exception) -> None:
        self.reason = f"{type(exc).__name__}: {exc}"

    def __repr__(self) -> str:
        return f"an unreadable message ({self.reason})"


def _receive(commands):
    """The next command; a message that cannot even be unpickled comes back as :class:`_Unreadable`."""
    try:
        return commands.recv()
    except (EOFError, OSError):
        raise
    except Exception as exc:
        return _Unreadable(exc)


def _is_int(value) -> bool:
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _is_real(value) -> bool:
    if not isinstance(value, numbers.Real) or isinstance(value, bool):
        return False
    try:
        return math.isfinite(value)
    except OverflowError:  # an integer too large for a float
        return False


def _brief(value) -> str:
    """A value for a message: its repr, cut short."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _exit_with_parent() -> None:
    """End this process as soon as the process that started it has gone, whatever it is doing.

    A window that is killed cannot send ``("stop",)``, and an engine busy
    loading data or stepping would notice the closed pipe only when it next
    reads or writes it. ``multiprocessing``'s parent sentinel (a pipe end on
    POSIX, a process handle on Windows) becomes ready when the parent ends;
    a daemon thread waits on it and ends the process.
    """
    parent = multiprocessing.parent_process()
    if parent is None:  # run in-process (tests): nothing to watch
        return

    def watch() -> None:
        parent.join()
        os._exit(0)

    threading.Thread(target=watch, name="gdstudio-parent-watch", daemon=True).start()


def serve(commands, results) -> None:
    """The engine process's main loop: until ``("stop",)`` or the GUI goes away.

    The engine gives way to the GUI (and the display server): see :mod:`.priority`.
    """
    _exit_with_parent()
    give_way_to_the_window()
    keep_freed_memory()
    engine = Engine(results.send, lambda: _receive(commands) if commands.poll() else None)
    try:
        while True:
            if commands.poll(engine.wait_time()):
                message = _receive(commands)
                if _kind(message) == "stop":
                    return
                engine.dispatch(message)
            else:
                engine.tick_guarded()
    except (*_GUI_GONE, _Stop, KeyboardInterrupt):
        return
    finally:
        results.close()
