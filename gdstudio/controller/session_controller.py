"""Commands from the panels in, signals to the views out; the engine runs in a worker thread."""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from ..core import ConfigError, RunStatus, describe_method
from ..core.history import History
from ..core.optimizers import make_optimizer
from ..core.run_setup import RunSetup
from .frame import Frame, Landscape, RunFrame
from .session_state import SessionState
from .worker import SimulationWorker


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

    # Requests to the worker (queued: they run in its thread).
    _load_requested = Signal(object)
    _optimizer_changed = Signal(int, object)
    _speed_changed = Signal(object)
    _max_steps_changed = Signal(int)
    _play_requested = Signal()
    _pause_requested = Signal()
    _step_requested = Signal()
    _shutdown_requested = Signal()

    def __init__(self, setup: RunSetup | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = SessionState(setup or RunSetup())
        self.landscape: Landscape | None = None
        self.frame: Frame | None = None
        self._extra_runs: list[RunSetup] = []
        self._labels: list[str] = []
        self._histories: list[History] = []
        self._loading = False
        self._closed = False

        self._thread = QThread()
        self._thread.setObjectName("gdstudio-engine")
        self._worker = SimulationWorker()
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.start_in_thread)
        self._load_requested.connect(self._worker.load)
        self._optimizer_changed.connect(self._worker.set_optimizer)
        self._speed_changed.connect(self._worker.set_speed)
        self._max_steps_changed.connect(self._worker.set_max_steps)
        self._play_requested.connect(self._worker.play)
        self._pause_requested.connect(self._worker.pause)
        self._step_requested.connect(self._worker.step_once)
        self._shutdown_requested.connect(self._worker.shutdown, Qt.ConnectionType.BlockingQueuedConnection)
        self._worker.loaded.connect(self._on_loaded)
        self._worker.load_failed.connect(self._on_load_failed)
        self._worker.rows_ready.connect(self._on_rows_ready)
        self._worker.halted.connect(self._on_halted)
        self._worker.progressed.connect(self.load_progressed)
        self._thread.start()
        self._max_steps_changed.emit(self.state.max_steps)
        self._request_load(self.state.setup)

    # --- commands ---------------------------------------------------------------------

    def update_setup(self, **changes) -> None:
        """Change fields of the run's setup; the learning rate and hyperparameters apply live.

        Choosing another problem also returns the learning rate and the start
        to that problem's suggestions unless they are given too.
        """
        setup = self.state.setup
        if "problem" in changes and changes["problem"] != setup.problem:
            changes.setdefault("lr", None)
            changes.setdefault("start", None)
            changes.setdefault("batch_size", None)
            changes.setdefault("data", None)
        if "optimizer" in changes and changes["optimizer"] != setup.optimizer:
            changes.setdefault("hyper", {})
        new = replace(setup, **changes)
        if new == setup:
            return
        live = {"lr", "hyper"}
        if set(changes) <= live and self.landscape is not None:
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
        """Runs drawn beside the main one, sharing its landscape (used by lessons)."""
        self._extra_runs = list(setups)
        self._request_load(self.state.setup)

    def set_speed(self, steps_per_second: float | None) -> None:
        self._set_state(speed=steps_per_second)
        self._speed_changed.emit(steps_per_second)

    def set_max_steps(self, n: int) -> None:
        self._set_state(max_steps=int(n))
        self._max_steps_changed.emit(int(n))

    def play(self) -> None:
        if not self._loading and self.landscape is not None:
            self._set_state(running=True)
            self._play_requested.emit()

    def pause(self) -> None:
        self._set_state(running=False)
        self._pause_requested.emit()

    def toggle_running(self) -> None:
        self.pause() if self.state.running else self.play()

    def step(self) -> None:
        if self.state.running:
            self.pause()
        if not self._loading:
            self._step_requested.emit()

    def reset(self) -> None:
        """Start the same run again from its start point."""
        self._request_load(self.state.setup)

    def shutdown(self) -> None:
        """Stop the engine and join its thread; safe to call twice."""
        if self._closed:
            return
        self._closed = True
        self._worker.abandon()
        if self._thread.isRunning():
            self._shutdown_requested.emit()
            self._thread.quit()
            self._thread.wait(5000)

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
        if self._closed:
            return
        self._loading = True
        if self.state.running:
            self.state = replace(self.state, running=False)
        self._pending_setup = setup
        self._load_requested.emit([setup, *self._extra_runs])

    def _apply_live(self, new: RunSetup) -> None:
        try:
            optimizer = new.make_optimizer(self.landscape.problem)
        except ConfigError as exc:
            self._refuse(str(exc))
            return
        self._optimizer_changed.emit(0, optimizer)
        self._set_state(setup=new)

    def _refuse(self, message: str) -> None:
        self.error_raised.emit(message)
        self.state_changed.emit(self.state)  # panels go back to the values in force

    @Slot(object, object, object)
    def _on_loaded(self, setups, landscape: Landscape, snapshot) -> None:
        self._loading = False
        setup = setups[0]
        problem_changed = self.landscape is None or landscape is not self.landscape
        self.landscape = landscape
        self._labels = ["run"] + [_label(s) for s in setups[1:]]
        if len(setups) > 1:
            self._labels[0] = _label(setup)
        self._histories = [History(p, loss) for p, loss in zip(snapshot.params, snapshot.loss)]
        self.state = replace(self.state, setup=setup, running=False)
        if problem_changed:
            self.landscape_changed.emit(landscape)
        self.state_changed.emit(self.state)
        self._publish(snapshot)

    @Slot(str)
    def _on_load_failed(self, message: str) -> None:
        self._loading = False
        self._refuse(message)

    @Slot()
    def _on_rows_ready(self) -> None:
        traces, snapshot = self._worker.take()
        if self._loading or snapshot is None or len(traces) != len(self._histories):
            return  # rows of a run that has since been replaced
        for history, chunks in zip(self._histories, traces):
            for trace in chunks:
                history.append(trace)
        self._publish(snapshot)

    @Slot(str)
    def _on_halted(self, reason: str) -> None:
        self._on_rows_ready()
        if self.state.running:
            self._set_state(running=False)
        self.run_finished.emit(reason)

    def _publish(self, snap) -> None:
        runs = []
        for i, history in enumerate(self._histories):
            params = history.params
            update = params[-1] - params[-2] if len(params) > 1 else params[-1] * 0
            batch = history.column("batch_loss")[-1]
            runs.append(
                RunFrame(
                    label=self._labels[i],
                    history=history,
                    params=snap.params[i],
                    loss=snap.loss[i],
                    batch_loss=float(batch),
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


def check_optimizer(name: str, lr: float, **hyper: float) -> str | None:
    """The error a setting would raise, or ``None`` (for panels that validate as you type)."""
    try:
        make_optimizer(name, lr, **hyper)
    except ConfigError as exc:
        return str(exc)
    return None
