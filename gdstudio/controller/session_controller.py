"""Commands from the panels in, signals to the views out; the engine runs in its own process."""

from __future__ import annotations

from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal, Slot

from ..core import ConfigError, RunStatus, describe_method
from ..core.engine_loop import check_max_steps, check_speed
from ..core.history import History
from ..core.optimizers import OPTIMIZERS, Optimizer, make_optimizer
from ..core.problems import is_dataset
from ..core.run_setup import RunSetup
from .engine_client import EngineClient
from .frame import Frame, LossGrid, RunFrame
from .session_state import SessionState

#: A dead engine is replaced at most this many times in a row before one has loaded.
MAX_RESTARTS = 3
#: Fields that decide the landscape, which every run of a race shares: an edit of one is made to all.
SHARED_FIELDS = ("problem", "function", "samples", "noise", "data")


@dataclass(frozen=True)
class _Runs:
    """What one load asks for: every run's set-up (the edited one first), and scene labels."""

    setups: tuple[RunSetup, ...]
    labels: tuple[str, ...] | None = None


class SessionController(QObject):
    """The one place that changes :class:`SessionState`.

    An edit changes the state at once (the panels show it), then the engine
    loads it. Changing the landscape, its data, the start, the batch size or
    the optimiser reloads (the run starts again); the learning rate and
    hyperparameters apply live, between chunks. Edits made while a load is
    busy build on it, and each load has an id, so what the engine sends for an
    older load is dropped. A set-up the engine refuses is rolled back, with
    :attr:`error_raised`. An engine that dies is reported and replaced.
    """

    #: The state after an accepted change.
    state_changed = Signal(object)
    #: A new landscape (problem and its loss grid) was loaded.
    landscape_changed = Signal(object)
    #: The run advanced: the latest :class:`Frame`.
    frame_ready = Signal(object)
    #: Steps stopped by themselves; a sentence saying why.
    run_finished = Signal(str)
    #: A change was refused or failed, or the engine died; a sentence for the user.
    error_raised = Signal(str)
    #: The engine process ended unexpectedly (why, e.g. "killed by SIGKILL"); a fresh one is loading.
    engine_died = Signal(str)
    #: While a load is busy: what it is doing ("reading data.csv") and the percent of that done;
    #: ``("", 100)`` once the load ends, whichever way (loaded, refused, given up or cancelled).
    load_progressed = Signal(str, int)
    #: A (re)load finished: the runs are at their starts.
    loaded = Signal()

    def __init__(self, setup: RunSetup | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = SessionState(setup or RunSetup())
        self.landscape: LossGrid | None = None
        self.frame: Frame | None = None
        self._labels: list[str] = []
        self._histories: list[History] = []
        #: The runs drawn now, and the id of the load they came from.
        self._shown: _Runs | None = None
        self._shown_id: int | None = None
        #: Loads sent since, oldest first; the last is what the panels show.
        self._requests: list[tuple[int, _Runs]] = []
        self._last_id = 0
        #: Loads up to this id were cancelled: whatever the engine sends for them is dropped.
        self._cancelled_id = 0
        #: The landscape the engine last sent (a load that reuses it sends none).
        self._engine_landscape: LossGrid | None = None
        self._play_when_loaded = False
        self._progress_open = False
        #: An error to say again once the next load is drawn (a fresh start clears the window's messages).
        self._notice: str | None = None
        self._restarts = 0
        #: The run the panels show and edit (the race list selects it).
        self._selected = 0
        #: A start edit moves every run that starts where the edited one does (else that run alone).
        self.starts_together = True
        self._start_engine(_Runs((self.state.setup,)))

    # --- commands ---------------------------------------------------------------------

    def update_setup(self, **changes) -> None:
        """Change fields of the selected run's setup; the learning rate and hyperparameters apply live.

        Choosing another problem also returns the learning rate, start, batch
        size and data (and, for a surface, the samples and noise) to that
        problem's defaults unless they are given too. The landscape
        (:data:`SHARED_FIELDS`) is every run's; so is the start, for the runs
        that share it, while :attr:`starts_together` is on.
        """
        setup = self.state.setup
        if "problem" in changes and changes["problem"] != setup.problem:
            # A surface has no data: the samples and noise set for a dataset would make it refused.
            no_data = () if is_dataset(changes["problem"]) else ("samples", "noise")
            for key in ("lr", "start", "batch_size", "data", *no_data):
                changes.setdefault(key, None)
        if "optimizer" in changes and changes["optimizer"] != setup.optimizer:
            changes.setdefault("hyper", {})
        new = replace(setup, **changes)
        if new == setup:
            return
        pending = self._pending()
        i = self._index(pending)
        if set(changes) <= {"lr", "hyper"} and not _changes_start(setup, new):
            try:
                optimizer = self._optimizer_for(new)
            except ConfigError as exc:
                self._refuse(str(exc))
                return
            if not self.state.loading and self.landscape is not None:
                self._engine.send("optimizer", i, optimizer)
                self._shown = replace(self._shown, setups=_put(self._shown.setups, i, new))
                self._set_state(setup=new)
                return
        # Another landscape returns every run to its defaults, as it does the edited one.
        resets = ("lr", "start", "batch_size") if new.problem != setup.problem else ()
        shared = {k: v for k, v in changes.items() if k in SHARED_FIELDS or k in resets}
        moved = "start" in changes and self.starts_together
        setups = list(pending.setups)
        for j, other in enumerate(setups):
            edits = {**shared, "start": new.start} if moved and other.start == setup.start else shared
            setups[j] = new if j == i else replace(other, **edits)
        self._request(replace(pending, setups=tuple(setups)))

    def set_learning_rate(self, lr: float) -> None:
        self.update_setup(lr=lr)

    def set_hyperparameter(self, name: str, value: float) -> None:
        self.update_setup(hyper={**self.state.setup.hyper, name: value})

    def set_start(self, x: float, y: float) -> None:
        self.update_setup(start=(float(x), float(y)))

    def set_runs(self, setups: list[RunSetup], labels: list[str] | None = None, selected: int = 0) -> None:
        """Load several runs at once on the first one's landscape; ``selected`` is the one panels edit."""
        self._selected = selected
        self._request(_Runs(tuple(setups), tuple(labels) if labels else None))

    def select_run(self, i: int) -> None:
        """Make run ``i`` the one the panels show and edit (nothing reloads)."""
        setups = self._pending().setups
        if 0 <= i < len(setups) and (i != self._selected or self.state.setup != setups[i]):
            self._selected = i
            self._set_state(setup=setups[i])

    @property
    def selected_run(self) -> int:
        return self._index(self._pending())

    def rename_run(self, i: int, label: str) -> None:
        """Call run ``i`` ``label`` from the next frame on (nothing reloads)."""
        runs = self._pending()
        labels = list(runs.labels or self._labels or [_label(s) for s in runs.setups])
        if not 0 <= i < len(labels) or len(labels) != len(runs.setups):
            return
        labels[i] = label
        self._requests = [(n, replace(r, labels=tuple(labels))) for n, r in self._requests]
        if self._shown is not None and len(self._shown.setups) == len(labels):
            self._shown = replace(self._shown, labels=tuple(labels))
        if len(self._labels) == len(labels):
            self._labels = labels

    @property
    def setups(self) -> list[RunSetup]:
        """Every run's set-up, in order (as edited, loaded or not); :attr:`selected_run` is the one panels edit."""
        return list(self._pending().setups)

    def set_speed(self, steps_per_second: float | None) -> None:
        self._set_checked("speed", check_speed, steps_per_second)

    def set_max_steps(self, n: int) -> None:
        self._set_checked("max_steps", check_max_steps, n)

    def _set_checked(self, name: str, check, value) -> None:
        """Set the field ``name`` (and the engine's setting of that name) if ``check`` accepts ``value``."""
        try:
            value = check(value)
        except ConfigError as exc:
            self._refuse(str(exc))
            return
        self._set_state(**{name: value})
        self._engine.send(name, value)

    def play(self) -> None:
        """Run; pressed while a load is busy, the run starts as soon as it is loaded."""
        if self.state.loading:
            self._play_when_loaded = True
            self._set_state(running=True)
        elif self.landscape is not None:
            self._set_state(running=True)
            self._engine.send("play")

    def pause(self) -> None:
        self._play_when_loaded = False
        self._set_state(running=False)
        self._engine.send("pause")

    def toggle_running(self) -> None:
        self.pause() if self.state.running else self.play()

    def step(self) -> None:
        if self.state.running:
            self.pause()
        if not self.state.loading:
            self._engine.send("step")

    def reset(self) -> None:
        """Start the same runs again from their start points."""
        self._request(self._pending())

    @property
    def can_cancel_load(self) -> bool:
        """True while a load is busy and there are runs drawn to go back to."""
        return self.state.loading and self._shown_id is not None

    def cancel_load(self) -> None:
        """Give up the load under way (and any edits made during it): back to the runs drawn,
        as they were, paused."""
        if not self.can_cancel_load:
            return
        self._cancelled_id = self._requests[-1][0]
        self._engine.send("cancel", self._cancelled_id)
        self._requests.clear()
        self._play_when_loaded = False
        self._engine_landscape = self.landscape  # the engine goes back to it too
        self._close_progress()
        self._set_state(setup=self._shown.setups[self._index(self._shown)], loading=False, running=False)

    def shutdown(self) -> None:
        """Stop the engine process and its reader thread, and wait for both; safe to call twice."""
        self._engine.close()

    @property
    def engine_running(self) -> bool:
        """True while the engine process or its reader thread is alive."""
        return self._engine.is_running

    @property
    def is_loading(self) -> bool:
        return self.state.loading

    @property
    def method(self) -> str:
        """The lecture's name for the current descent method."""
        problem = self.landscape.problem if self.landscape else None
        return describe_method(self.state.setup.batch_size, problem.n_samples if problem else None)

    # --- internals --------------------------------------------------------------------

    def _start_engine(self, runs: _Runs) -> None:
        """A fresh engine, told the pace and the step limit, loading ``runs``."""
        self._engine = EngineClient(self)
        self._engine.received.connect(self._on_message)
        self._engine.died.connect(self._on_engine_died)
        self._engine_landscape = None
        self._engine.send("max_steps", self.state.max_steps)
        self._engine.send("speed", self.state.speed)
        self._request(runs)

    def _set_state(self, **changes) -> None:
        self.state = replace(self.state, **changes)
        self.state_changed.emit(self.state)

    def _pending(self) -> _Runs:
        """The runs as edited: the latest load asked for, else the ones drawn (else the set-up shown)."""
        if self._requests:
            return self._requests[-1][1]
        return self._shown or _Runs((self.state.setup,))

    def _request(self, runs: _Runs) -> None:
        """Show ``runs`` as the set-up at once and have the engine load them.

        A run in progress stops (the runs start again); Run pressed during a
        load stays pressed.
        """
        self._last_id += 1
        self._requests.append((self._last_id, runs))
        self._set_state(setup=runs.setups[self._index(runs)], loading=True, running=self._play_when_loaded)
        self._engine.send("load", self._last_id, list(runs.setups))

    def _index(self, runs: _Runs) -> int:
        """The selected run's index among ``runs`` (the last, if there are fewer)."""
        return min(self._selected, len(runs.setups) - 1)

    def _optimizer_for(self, setup: RunSetup) -> Optimizer:
        """``setup``'s optimiser, checked; while no landscape is loaded, with a stand-in learning rate."""
        if self.landscape is not None:
            return setup.make_optimizer(self.landscape.problem)
        return make_optimizer(setup.optimizer, 1.0 if setup.lr is None else setup.lr, **setup.hyper)

    def _refuse(self, message: str) -> None:
        self.error_raised.emit(message)
        self.state_changed.emit(self.state)  # panels go back to the values in force

    @Slot(object)
    def _on_message(self, message: tuple) -> None:
        kind, *args = message
        if kind == "rows":
            self._on_rows(*args)
        elif kind == "loaded":
            self._on_loaded(*args)
        elif kind == "load_failed":
            self._on_load_failed(*args)
        elif kind == "halted":
            load_id, reason = args
            if load_id == self._shown_id and not self.state.loading:
                self._on_halted(reason)
        elif kind == "progress":
            load_id, stage, percent = args
            if self._requests and load_id == self._requests[-1][0]:
                self._progress_open = True
                self.load_progressed.emit(stage, percent)
        elif kind == "refused":
            self.error_raised.emit(f"the engine refused a command: {args[0]}")
        elif kind == "failed":
            self._play_when_loaded = False
            if self.state.running:
                self._set_state(running=False)  # the engine stopped the run
            self.error_raised.emit(f"the engine hit an unexpected error: {args[0].strip().splitlines()[-1]}")

    def _on_loaded(self, load_id: int, setups, landscape: LossGrid | None, snapshot) -> None:
        if load_id <= self._cancelled_id:
            return  # cancelled: the engine has gone back to the runs drawn
        if landscape is not None:
            self._engine_landscape = landscape
        if not self._requests or load_id != self._requests[-1][0]:
            return  # a newer load is on its way
        runs = self._requests[-1][1]
        self._requests.clear()
        self._close_progress()
        self._restarts = 0
        self._shown, self._shown_id = runs, load_id
        self._engine.send("shown", load_id)  # what a cancel returns to
        changed = self._engine_landscape is not self.landscape
        self.landscape = self._engine_landscape
        if runs.labels and len(runs.labels) == len(setups):
            self._labels = list(runs.labels)
        else:
            self._labels = [_label(s) for s in setups] if len(setups) > 1 else ["run"]
        self._histories = [History(p, loss) for p, loss in zip(snapshot.params, snapshot.loss)]
        play, self._play_when_loaded = self._play_when_loaded, False
        self.state = replace(self.state, setup=setups[self._index(runs)], loading=False, running=play)
        if changed:
            self.landscape_changed.emit(self.landscape)
        self.state_changed.emit(self.state)
        self._publish(snapshot)
        self.loaded.emit()
        if self._notice:
            notice, self._notice = self._notice, None
            self.error_raised.emit(notice)
        if play:
            self._engine.send("play")

    def _on_load_failed(self, load_id: int, text: str) -> None:
        """Roll the failed edit back: to the edit before it (loaded anew), or to the runs drawn."""
        if not self._requests or load_id != self._requests[-1][0]:
            return  # a newer load, which carries this one's edits, will answer
        self._requests.pop()
        self._play_when_loaded = False
        if self._requests:
            _, before = self._requests.pop()
            self._request(before)  # the engine dropped it for the failed one
            self._notice = text
        else:
            self._close_progress()
            # Back to the runs drawn; if the very first load failed, there is nothing to go back to.
            setup = self._shown.setups[self._index(self._shown)] if self._shown else self.state.setup
            self._set_state(setup=setup, loading=False, running=False)
        self.error_raised.emit(text)

    def _close_progress(self) -> None:
        """A load is over: the progress shown for it is closed."""
        if self._progress_open:
            self._progress_open = False
            self.load_progressed.emit("", 100)

    def _on_rows(self, load_id: int, traces, snapshot) -> None:
        # Always acknowledged: the engine sends the next frame only then. The views' paint
        # events are queued before the acknowledgement arrives, so frames never pile up.
        self._engine.send("ack")
        if load_id != self._shown_id or len(traces) != len(self._histories):
            return  # rows of runs that have since been replaced
        for history, trace in zip(self._histories, traces):
            history.append(trace)
        self._publish(snapshot)

    def _on_halted(self, reason: str) -> None:
        if self.state.running:
            self._set_state(running=False)
        self.run_finished.emit(reason)

    @Slot(str)
    def _on_engine_died(self, reason: str) -> None:
        """Say so, and go on with a fresh engine on the set-up as edited."""
        self._engine.deleteLater()
        self._play_when_loaded = False
        runs = self._pending()
        self._requests.clear()
        self._shown_id = None  # whatever the dead engine sent is stale
        if self._restarts >= MAX_RESTARTS:
            self._close_progress()
            self._set_state(running=False, loading=False)
            self.engine_died.emit(reason)
            self.error_raised.emit(
                f"the engine stopped unexpectedly ({reason}), again, before it could load this set-up: "
                "restart GD Studio"
            )
            return
        self._restarts += 1
        self._set_state(running=False)
        self._start_engine(runs)
        self._notice = f"the engine stopped unexpectedly ({reason}); a fresh one has loaded the set-up"
        self.engine_died.emit(reason)
        self.error_raised.emit(f"the engine stopped unexpectedly ({reason}); a fresh one is loading the set-up")

    def _publish(self, snap) -> None:
        runs = []
        for i, history in enumerate(self._histories):
            params = history.params
            update = params[-1] - params[-2] if len(params) > 1 else params[-1] * 0
            runs.append(
                RunFrame(
                    label=self._labels[i],
                    history=history,
                    params=snap.params[i],
                    loss=snap.loss[i],
                    batch_loss=float(history.column("batch_loss")[-1]),
                    grad=snap.grad[i],
                    update=update,
                    status=snap.status[i],
                    detail=snap.detail[i],
                    finished_at=snap.finished_at[i],
                )
            )
        self.frame = Frame(snap.step, snap.epoch, snap.samples, tuple(runs))
        self.frame_ready.emit(self.frame)
        if self.state.running and all(r.status is not RunStatus.RUNNING for r in runs):
            self._set_state(running=False)


def _changes_start(old: RunSetup, new: RunSetup) -> bool:
    """True if ``new`` changes a hyperparameter used only when a run starts (so it must reload)."""
    specs = OPTIMIZERS[new.optimizer].hyperparameters()
    changed = {k for k in {*old.hyper, *new.hyper} if old.hyper.get(k) != new.hyper.get(k)}
    return any(specs[k].at_start for k in changed if k in specs)


def _put(setups: tuple[RunSetup, ...], i: int, setup: RunSetup) -> tuple[RunSetup, ...]:
    return (*setups[:i], setup, *setups[i + 1 :])


def _label(setup: RunSetup) -> str:
    lr = "suggested lr" if setup.lr is None else f"lr {setup.lr:g}"
    batch = "" if setup.batch_size is None else f", batch {setup.batch_size}"
    return f"{setup.optimizer}, {lr}{batch}"
