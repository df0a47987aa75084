"""Commands from the panels in, signals to the views out; the engine runs in its own process."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Signal, Slot

from ..core import ConfigError, RunStatus, describe_method
from ..core.history import History
from ..core.run_setup import RunSetup
from .engine_client import EngineClient
from .frame import Frame, LossGrid, RunFrame
from .session_state import SessionState


class SessionController(QObject):
    """The one place that changes :class:`SessionState`.

    Changing the landscape, its data, the start, the batch size or the
    optimiser reloads (the run starts again); the learning rate and
    hyperparameters apply live, between chunks. Bad values are refused with
    :attr:`error_raised` and the previous state stays as it was.
    """

    #: The state after an accepted change.
    state_changed = Signal(object)
    #: A new landscape (problem and its loss grid) was loaded.
    landscape_changed = Signal(object)
    #: The run advanced: the latest :class:`Frame`.
    frame_ready = Signal(object)
    #: Steps stopped by themselves; a sentence saying why.
    run_finished = Signal(str)
    #: A change was refused or failed; a sentence for the user.
    error_raised = Signal(str)
    #: Percent of a landscape computed, while a load is busy.
    load_progressed = Signal(int)
    #: A (re)load finished: the runs are at their starts.
    loaded = Signal()

    def __init__(self, setup: RunSetup | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = SessionState(setup or RunSetup())
        self.landscape: LossGrid | None = None
        self.frame: Frame | None = None
        self._extra_runs: list[RunSetup] = []
        self._scene_labels: list[str] | None = None
        self._labels: list[str] = []
        self._histories: list[History] = []
        self._loading = False
        self._engine = EngineClient(self)
        self._engine.received.connect(self._on_message)
        self._engine.send("max_steps", self.state.max_steps)
        self._request_load(self.state.setup)

    # --- commands ---------------------------------------------------------------------

    def update_setup(self, **changes) -> None:
        """Change fields of the run's setup; the learning rate and hyperparameters apply live.

        Choosing another problem also returns the learning rate, start, batch
        size and data to that problem's defaults unless they are given too.
        """
        setup = self.state.setup
        if "problem" in changes and changes["problem"] != setup.problem:
            for key in ("lr", "start", "batch_size", "data"):
                changes.setdefault(key, None)
        if "optimizer" in changes and changes["optimizer"] != setup.optimizer:
            changes.setdefault("hyper", {})
        new = replace(setup, **changes)
        if new == setup:
            return
        if set(changes) <= {"lr", "hyper"} and self.landscape is not None:
            self._apply_live(new)
        else:
            self._request_load(new)

    def set_learning_rate(self, lr: float) -> None:
        self.update_setup(lr=lr)

    def set_hyperparameter(self, name: str, value: float) -> None:
        self.update_setup(hyper={**self.state.setup.hyper, name: value})

    def set_start(self, x: float, y: float) -> None:
        self.update_setup(start=(float(x), float(y)))

    def set_extra_runs(self, setups: list[RunSetup]) -> None:
        """Runs drawn beside the main one, on its landscape (for comparisons)."""
        self.set_runs([self.state.setup, *setups])

    def set_runs(self, setups: list[RunSetup], labels: list[str] | None = None) -> None:
        """Load several runs at once on the first one's landscape; the first is the one panels edit."""
        self._extra_runs = list(setups[1:])
        self._scene_labels = list(labels) if labels else None
        self._request_load(setups[0])

    @property
    def setups(self) -> list[RunSetup]:
        """Every run's set-up, the one the panels edit first."""
        return [self.state.setup, *self._extra_runs]

    def set_speed(self, steps_per_second: float | None) -> None:
        self._set_state(speed=steps_per_second)
        self._engine.send("speed", steps_per_second)

    def set_max_steps(self, n: int) -> None:
        self._set_state(max_steps=int(n))
        self._engine.send("max_steps", int(n))

    def play(self) -> None:
        if not self._loading and self.landscape is not None:
            self._set_state(running=True)
            self._engine.send("play")

    def pause(self) -> None:
        self._set_state(running=False)
        self._engine.send("pause")

    def toggle_running(self) -> None:
        self.pause() if self.state.running else self.play()

    def step(self) -> None:
        if self.state.running:
            self.pause()
        if not self._loading:
            self._engine.send("step")

    def reset(self) -> None:
        """Start the same run again from its start point."""
        self._request_load(self.state.setup)

    def shutdown(self) -> None:
        """Stop the engine process and its reader thread, and wait for both; safe to call twice."""
        self._engine.close()

    @property
    def engine_running(self) -> bool:
        """True while the engine process or its reader thread is alive."""
        return self._engine.is_running

    @property
    def is_loading(self) -> bool:
        return self._loading

    @property
    def method(self) -> str:
        """The lecture's name for the current descent method."""
        problem = self.landscape.problem if self.landscape else None
        return describe_method(self.state.setup.batch_size, problem.n_samples if problem else None)

    # --- internals --------------------------------------------------------------------

    def _set_state(self, **changes) -> None:
        self.state = replace(self.state, **changes)
        self.state_changed.emit(self.state)

    def _request_load(self, setup: RunSetup) -> None:
        self._loading = True
        if self.state.running:
            self.state = replace(self.state, running=False)
        self._engine.send("load", [setup, *self._extra_runs])

    def _apply_live(self, new: RunSetup) -> None:
        try:
            optimizer = new.make_optimizer(self.landscape.problem)
        except ConfigError as exc:
            self._refuse(str(exc))
            return
        self._engine.send("optimizer", 0, optimizer)
        self._set_state(setup=new)

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
        elif kind == "halted":
            self._on_halted(*args)
        elif kind == "progress":
            self.load_progressed.emit(args[0])
        elif kind == "load_failed":
            self._loading = False
            self._refuse(args[0])
        elif kind == "failed":
            self._loading = False
            self.error_raised.emit(f"the engine hit an unexpected error: {args[0].strip().splitlines()[-1]}")

    def _on_loaded(self, setups, landscape: LossGrid | None, snapshot) -> None:
        self._loading = False
        if landscape is not None:
            self.landscape = landscape
        if self._scene_labels and len(self._scene_labels) == len(setups):
            self._labels = list(self._scene_labels)
        else:
            self._labels = [_label(s) for s in setups] if len(setups) > 1 else ["run"]
        self._histories = [History(p, loss) for p, loss in zip(snapshot.params, snapshot.loss)]
        self.state = replace(self.state, setup=setups[0], running=False)
        if landscape is not None:
            self.landscape_changed.emit(landscape)
        self.state_changed.emit(self.state)
        self._publish(snapshot)
        self.loaded.emit()

    def _on_rows(self, traces, snapshot) -> None:
        if self._loading or len(traces) != len(self._histories):
            return  # rows of a run that has since been replaced
        for history, trace in zip(self._histories, traces):
            history.append(trace)
        self._publish(snapshot)
        # The engine sends the next frame only after this acknowledgement; the views'
        # paint events are queued before it arrives, so frames never pile up.
        self._engine.send("ack")

    def _on_halted(self, reason: str) -> None:
        if self.state.running:
            self._set_state(running=False)
        self.run_finished.emit(reason)

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


def _label(setup: RunSetup) -> str:
    lr = "suggested lr" if setup.lr is None else f"lr {setup.lr:g}"
    batch = "" if setup.batch_size is None else f", batch {setup.batch_size}"
    return f"{setup.optimizer}, {lr}{batch}"
