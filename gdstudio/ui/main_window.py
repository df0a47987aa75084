"""The main window: panels in docks around the 3D surface, the 2D map and the loss curve."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDockWidget,
    QFileDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QProgressBar,
    QProgressDialog,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ..controller import Frame, LossGrid, SessionController
from ..core import ConfigError, RunStatus
from ..core.run_setup import RunSetup
from . import theme
from .animation import FRAMES, AnimationRecorder
from .data_view import DataFitView
from .lesson_mode import LessonMode
from .loss_curve_view import LossCurveView
from .loss_scale import LossScale
from .map_view import MapView
from .message_banner import MessageBanner
from .method_panel import MethodPanel
from .problem_panel import ProblemPanel
from .readouts_panel import ReadoutsPanel
from .run_toolbar import RunToolbar
from .slice_view import SliceView
from .start_panel import StartPanel


class MainWindow(QMainWindow):
    """Builds the views and panels around one :class:`SessionController`.

    ``gl_reason`` says why there is no 3D view (``None``: there is one); the
    decision is made before any GL widget exists.
    """

    def __init__(
        self, setup: RunSetup | None = None, gl_reason: str | None = None, user_lessons: Path | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle("GD Studio")
        self.resize(1600, 1000)
        self.controller = SessionController(setup, parent=self)
        c = self.controller

        self.banner = MessageBanner()
        if gl_reason is None:
            from .surface_view import SurfaceView

            self.surface_view: QWidget | None = SurfaceView()
            surface_widget: QWidget = self.surface_view
        else:
            self.surface_view = None
            surface_widget = QLabel(
                f"The 3D view is not available: {gl_reason}\n\nThe 2D map and the loss curve show the same run."
            )
            surface_widget.setWordWrap(True)
            surface_widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            surface_widget.setObjectName("no-3d")
        self.no_3d_label = None if gl_reason is None else surface_widget
        self.surface_widget = surface_widget
        self.map_view = MapView()
        self.loss_view = LossCurveView()
        self.fit_view = DataFitView()
        self.slice_view = SliceView()
        self.slice_view.hide()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(surface_widget)
        top.addWidget(self.map_view)
        top.setSizes([600, 400])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.loss_view)
        bottom.addWidget(self.fit_view)
        bottom.addWidget(self.slice_view)
        bottom.setSizes([620, 380, 500])
        views = QSplitter(Qt.Orientation.Vertical)
        views.addWidget(top)
        views.addWidget(bottom)
        views.setSizes([600, 340])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(views, 1)
        self.setCentralWidget(central)

        self.toolbar = RunToolbar(c)
        self.addToolBar(self.toolbar)
        self.problem_panel = ProblemPanel(c)
        self.start_panel = StartPanel(c)
        self.method_panel = MethodPanel(c)
        controls = QWidget()
        box = QVBoxLayout(controls)
        box.setContentsMargins(0, 0, 0, 0)
        box.setSpacing(2)
        for title, panel in (("Landscape", self.problem_panel), ("Start point", self.start_panel)):
            group = QGroupBox(title)
            QVBoxLayout(group).addWidget(panel)
            group.layout().setContentsMargins(2, 2, 2, 2)
            box.addWidget(group)
        box.addWidget(self.method_panel)
        box.addStretch(1)
        self.readouts = ReadoutsPanel()
        left = self.setup_dock = self._dock("Set-up", controls, Qt.DockWidgetArea.LeftDockWidgetArea)
        right = self._dock("This step", self.readouts, Qt.DockWidgetArea.RightDockWidgetArea)
        self.resizeDocks([left, right], [340, 300], Qt.Orientation.Horizontal)

        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("computing landscape %p%")
        self.progress.hide()
        self.statusBar().addPermanentWidget(self.progress)
        folder = user_lessons or Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        self.lesson = LessonMode(self, folder / "lessons" if user_lessons is None else folder)
        self._menus()

        for panel in (self.problem_panel, self.method_panel, self.start_panel):
            panel.refused.connect(self.show_error)
        self.map_view.start_chosen.connect(c.set_start)
        c.landscape_changed.connect(self._on_landscape)
        c.frame_ready.connect(self._on_frame)
        c.error_raised.connect(self.show_error)
        c.run_finished.connect(self._on_finished)
        c.load_progressed.connect(self._on_progress)
        c.state_changed.connect(self._on_state)
        self._statuses: list[RunStatus] = []
        self._events: list[tuple[bool, str]] = []
        #: Labels of runs the open lesson scene means to diverge (set by the lesson mode).
        self.planned_divergences: set[str] = set()
        self._views: tuple[str, ...] = ("surface", "map", "loss", "data")
        self._recording = False
        self._banner_shown = False
        self._recorder: AnimationRecorder | None = None

    def view_widgets(self) -> dict[str, QWidget]:
        return {
            "surface": self.surface_widget,
            "map": self.map_view,
            "loss": self.loss_view,
            "slice": self.slice_view,
            "data": self.fit_view,
        }

    def set_views(self, names) -> None:
        """Show just these views (the data view only where there is data)."""
        self._views = tuple(names)
        landscape = self.controller.landscape
        for name, widget in self.view_widgets().items():
            show = name in self._views
            if name == "data":
                show = show and landscape is not None and landscape.problem.is_dataset
            widget.setVisible(show)
        if self.controller.frame is not None and "slice" in self._views:
            self.slice_view.show_frame(self.controller.frame)

    def scale_text(self, factor: float) -> None:
        """Make every text in the window larger or smaller (for projectors)."""
        app = QApplication.instance()
        app.setFont(theme.scaled(app.font(), factor))
        for widget in self.findChildren(QWidget):
            widget.setFont(theme.scaled(widget.font(), factor))
        for plot in (self.map_view, self.loss_view.plot, self.fit_view, self.slice_view):
            for name in ("left", "bottom"):
                axis = plot.getPlotItem().getAxis(name)
                axis.setTickFont(theme.scaled(axis.style.get("tickFont") or theme.font(0.95), factor))

    def _dock(self, title: str, widget: QWidget, area) -> QDockWidget:
        scroll = QScrollArea()
        scroll.setWidget(widget)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        dock = QDockWidget(title, self)
        dock.setObjectName(title)
        dock.setWidget(scroll)
        dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetFloatable
        )
        widget.setMinimumWidth(300)
        self.addDockWidget(area, dock)
        return dock

    def _menus(self) -> None:
        file = self.menuBar().addMenu("&File")
        for text, shortcut, slot in (
            ("Load data CSV…", "Ctrl+O", self.problem_panel._on_load_csv),
            ("Export run as CSV…", "Ctrl+E", lambda: self._export("csv")),
            ("Export run as JSON…", None, lambda: self._export("json")),
            ("Save screenshot…", "Ctrl+Shift+S", self._save_screenshot),
            ("Export animation (GIF)…", None, self._export_animation),
            ("Quit", "Ctrl+Q", self.close),
        ):
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            file.addAction(action)
        lesson = self.menuBar().addMenu("&Lesson")
        for text, shortcut, slot in (
            ("Open lesson", "Ctrl+L", lambda: self.lesson.open()),
            ("Run scene", "Ctrl+R", lambda: self.lesson.run_scene()),
            ("Leave lesson and explore", "Ctrl+Shift+L", lambda: self.lesson.leave()),
            ("Save setup as scene…", None, lambda: self.lesson._ask_save()),
        ):
            action = QAction(text, self)
            if shortcut:
                action.setShortcut(QKeySequence(shortcut))
            action.triggered.connect(slot)
            lesson.addAction(action)
        for action in (self.lesson.next_action, self.lesson.previous_action):
            lesson.addAction(action)
        view = self.menuBar().addMenu("&View")
        for text, keys, factor in (
            ("Larger text", ("Ctrl++", "Ctrl+="), 1.15),
            ("Smaller text", ("Ctrl+-",), 1 / 1.15),
        ):
            action = QAction(text, self)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.triggered.connect(lambda _=False, f=factor: self.scale_text(f))
            view.addAction(action)
            self.addAction(action)
        slice_action = QAction("1-D slice", self)
        slice_action.setCheckable(True)
        slice_action.toggled.connect(self.slice_view.setVisible)
        view.addAction(slice_action)
        full = QAction("Full screen", self)
        full.setShortcut(QKeySequence(Qt.Key.Key_F11))
        full.triggered.connect(lambda: self.showNormal() if self.isFullScreen() else self.showFullScreen())
        view.addAction(full)
        if self.surface_view is not None:
            camera = QAction("Reset 3D camera", self)
            camera.triggered.connect(self.surface_view.reset_camera)
            view.addAction(camera)
        for action in self.toolbar.actions():
            if action.shortcut():
                self.addAction(action)  # shortcuts work wherever the focus is in the window

    # --- controller signals --------------------------------------------------------------

    def _on_landscape(self, landscape: LossGrid) -> None:
        scale = LossScale(landscape.Z)
        if self.surface_view is not None:
            self.surface_view.set_landscape(landscape, scale)
        self.map_view.set_landscape(landscape, scale)
        self.loss_view.set_landscape(landscape)
        self.fit_view.set_landscape(landscape)
        self.fit_view.setVisible(landscape.problem.is_dataset and "data" in self._views)
        self.slice_view.set_landscape(landscape)
        self.readouts.set_landscape(landscape)
        self.progress.hide()

    def _on_state(self, state) -> None:
        if self.controller.frame is not None:
            self.readouts.show_frame(self.controller.frame, state.running)
        landscape = self.controller.landscape
        if landscape is not None:
            start = state.setup.start or landscape.problem.default_start
            self.map_view.set_start(*start)

    def _on_frame(self, frame: Frame) -> None:
        if not self._recording:  # an animation being drawn has the views
            self.draw_views(frame)
            self.readouts.show_frame(frame, self.controller.state.running)
        statuses = [r.status for r in frame.runs]
        if frame.step == 0:
            self._statuses = statuses
            self._events = []
            self.banner.hide()
            return
        for i, (old, run) in enumerate(zip(self._statuses, frame.runs)):
            if old is RunStatus.RUNNING and run.status is not RunStatus.RUNNING:
                self._announce(i, run, frame)
        self._statuses = statuses

    def draw_views(self, frame: Frame) -> None:
        """Show ``frame`` in the plots (the live one, or one replayed for an animation)."""
        if self.surface_view is not None:
            self.surface_view.show_frame(frame)
        self.map_view.show_frame(frame)
        self.loss_view.show_frame(frame)
        self.fit_view.show_frame(frame)
        if self.slice_view.isVisible():
            self.slice_view.show_frame(frame)

    def set_recording(self, on: bool) -> None:
        """While on, live frames leave the views to the animation, and the banner (how the run
        ended, not what each frame shows) is out of the picture; when off, both come back."""
        self._recording = on
        self.loss_view.hold_axes(on)
        if on:
            self._banner_shown = self.banner.isVisible()
            self.banner.hide()
        else:
            self.banner.setVisible(self._banner_shown)
        if not on and self.controller.frame is not None:
            self._on_frame(self.controller.frame)

    def _announce(self, i: int, run, frame: Frame) -> None:
        """Say how a run ended; with several runs, one line each, in the order they ended."""
        who = f"{run.label}: " if len(frame.runs) > 1 else ""
        at = f"at step {run.finished_at:,}"
        planned = run.status is RunStatus.DIVERGED and run.label in self.planned_divergences
        if planned:
            line = f"{who}Diverged {at}, as this scene means to show: every step overshot more than the last."
        elif run.status is RunStatus.DIVERGED:
            line = (
                f"{who}Diverged {at}: {run.detail}. The learning rate is too large for this landscape; "
                "try a smaller one and press Reset."
            )
        elif run.status is RunStatus.STUCK:
            line = (
                f"{who}Stuck {at} on a {run.detail}: the gradient is zero here, so descent stops, "
                "though lower ground exists elsewhere."
            )
        else:
            line = f"{who}Converged {at}: the gradient vanished at the global minimum."
        self._events.append((run.status is RunStatus.DIVERGED and not planned, line))
        error = any(bad for bad, _ in self._events)
        self.banner.show_message("\n".join(text for _, text in self._events[-4:]), "error" if error else "info")

    def _on_finished(self, reason: str) -> None:
        self.statusBar().showMessage(f"Stopped: {reason}.", 8000)

    def _on_progress(self, percent: int) -> None:
        self.progress.setVisible(percent < 100)
        self.progress.setValue(percent)

    def show_error(self, message: str) -> None:
        self.banner.show_message(message[0].upper() + message[1:] if message else message, "error")

    # --- files -----------------------------------------------------------------------

    def _export(self, kind: str) -> None:
        frame, landscape = self.controller.frame, self.controller.landscape
        if frame is None or landscape is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export run", f"run.{kind}", f"{kind.upper()} (*.{kind})")
        if path:
            self.export_run(Path(path), kind)

    def export_run(self, path: Path, kind: str = "csv") -> None:
        """Write the first run's history (atomically); errors go to the banner."""
        history = self.controller.frame.runs[0].history
        names = self.controller.landscape.problem.param_names
        try:
            if kind == "csv":
                history.write_csv(path, names)
            else:
                setup = self.controller.state.setup
                meta = {
                    "problem": setup.problem,
                    "optimizer": setup.optimizer,
                    "lr": setup.lr,
                    "hyper": setup.hyper,
                    "batch_size": setup.batch_size,
                    "seed": setup.seed,
                    "start": setup.start,
                }
                history.write_json(path, names, meta)
        except (ConfigError, OSError) as exc:
            self.show_error(f"Could not export the run: {exc}")
            return
        self.statusBar().showMessage(f"Saved {path}", 5000)

    def _save_screenshot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "gdstudio.png", "PNG (*.png)")
        if path:
            from .screenshot import save_window_png

            try:
                save_window_png(self, Path(path))
            except (OSError, ConfigError) as exc:
                self.show_error(f"Could not save the screenshot: {exc}")

    def _export_animation(self) -> None:
        if self.controller.frame is None or self.controller.frame.step == 0:
            self.show_error("Run some steps first: the animation replays the run so far.")
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export animation", "descent.gif", "GIF (*.gif)")
        if path:
            self.export_animation(Path(path))

    def export_animation(self, path: Path, frames: int = FRAMES) -> AnimationRecorder:
        """Replay the run so far into an animated GIF at ``path`` (the run pauses meanwhile).

        A progress dialog, modal, keeps hands off the window while its frames
        are drawn, and can cancel. The status bar says when the file is saved.
        """
        if self._recorder is not None:  # the last export is over: the dialog saw to that
            self._recorder.deleteLater()
        recorder = self._recorder = AnimationRecorder(self, path, frames)
        # One more step than frames: the dialog stays up while the GIF is saved.
        dialog = QProgressDialog("Drawing the animation…", "Cancel", 0, recorder.frame_count + 1, self)
        dialog.setWindowTitle("Export animation")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)

        def progressed(done: int, total: int) -> None:
            dialog.setValue(done)
            if done == total:
                dialog.setLabelText("Saving the GIF…")

        recorder.progressed.connect(progressed)
        dialog.canceled.connect(recorder.cancel)
        for done in (recorder.finished, recorder.failed, dialog.canceled):
            done.connect(dialog.deleteLater)
        recorder.finished.connect(lambda saved: self.statusBar().showMessage(f"Saved {saved}", 5000))
        recorder.failed.connect(self.show_error)
        recorder.start()
        return recorder

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._recorder is not None:
            self._recorder.cancel()
        self.controller.shutdown()
        super().closeEvent(event)
