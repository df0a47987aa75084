"""The main window: set-up panels in docks around the views, wired to one session."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QFileDialog, QGroupBox, QMainWindow, QProgressBar, QPushButton, QVBoxLayout, QWidget

from ..controller import Frame, LossGrid, SessionController
from ..core import ConfigError, RunStatus
from ..core.run_setup import RunSetup
from . import theme
from .animation import FRAMES, AnimationRecorder
from .animation_dialog import show_progress
from .dock import add_dock
from .explorer import Explorer
from .lesson_mode import LessonMode
from .method_panel import MethodPanel
from .presentation import Presentation
from .problem_panel import ProblemPanel
from .race_panel import RacePanel
from .readouts_panel import ReadoutsPanel
from .run_endings import ending_line, is_mistake
from .run_export import write_run
from .run_toolbar import RunToolbar
from .screen_fit import fill_screen, fit_to_screen
from .start_panel import StartPanel
from .view_area import ViewArea
from .window_keeping import WindowKeeping
from .window_menus import build_menus


class MainWindow(QMainWindow):
    """Builds the panels and the :class:`ViewArea` around one :class:`SessionController`.

    ``gl_reason`` says why there is no 3D view (``None``: there is one); the
    decision is made before any GL widget exists.
    """

    def __init__(
        self, setup: RunSetup | None = None, gl_reason: str | None = None, user_lessons: Path | None = None
    ) -> None:
        super().__init__()
        self.setWindowTitle("GD Studio")
        fit_to_screen(self)
        self.controller = SessionController(setup, parent=self)
        c = self.controller

        self.view_area = area = ViewArea(gl_reason)
        self.setCentralWidget(area)
        self.banner = area.banner
        self.surface_view = area.surface_view
        self.map_view, self.loss_view, self.fit_view, self.slice_view = (
            area.map_view, area.loss_view, area.fit_view, area.slice_view,
        )  # fmt: skip

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
        left = self.setup_dock = add_dock(self, "Set-up", controls, Qt.DockWidgetArea.LeftDockWidgetArea)
        right = add_dock(self, "This step", self.readouts, Qt.DockWidgetArea.RightDockWidgetArea)
        self.race_panel = RacePanel(self)  # the runs of a race, above the readouts
        self.race_dock = add_dock(self, "Runs", self.race_panel, Qt.DockWidgetArea.RightDockWidgetArea)
        self.splitDockWidget(self.race_dock, right, Qt.Orientation.Vertical)
        self.resizeDocks([left, right], [340, 300], Qt.Orientation.Horizontal)

        # A big data file takes half a minute to load: say what is being done, and offer a way back.
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(340)
        self.progress.hide()
        self.cancel_load_button = QPushButton("Cancel")
        self.cancel_load_button.setToolTip("Stop loading and go back to the landscape and runs shown, as they were")
        self.cancel_load_button.clicked.connect(c.cancel_load)
        self.cancel_load_button.hide()
        self.statusBar().addPermanentWidget(self.progress)
        self.statusBar().addPermanentWidget(self.cancel_load_button)
        folder = user_lessons or Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
        self.lesson = LessonMode(self, folder / "lessons" if user_lessons is None else folder)
        self.presentation = Presentation(self)
        self.presentation.toggled.connect(self._on_presentation)
        #: The user's own text size (Ctrl+ / Ctrl−); the presentation view multiplies it.
        self.text_zoom = 1.0
        build_menus(self)
        self.explorer = Explorer(self)  # learning-rate sweep, basins, gradient cloud
        self.keeping = WindowKeeping(self)  # experiment files, exports, settings, Help

        for panel in (self.problem_panel, self.method_panel, self.start_panel, self.race_panel):
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
        self._recording = False
        self._banner_shown = False
        self._recorder: AnimationRecorder | None = None

    def view_widgets(self) -> dict[str, QWidget]:
        return self.view_area.widgets()

    def set_views(self, names) -> None:
        """Show just these views (the data view only where there is data)."""
        self.view_area.set_views(names)
        if self.controller.frame is not None and "slice" in self.view_area.views:
            self.view_area.draw_slice(self.controller.frame)

    def saveState(self, version: int = 0):  # noqa: N802 (Qt's name)
        """The docks and toolbar as the user keeps them: those hidden only for the while (the
        presentation view's, the Runs dock during a lesson) are kept as shown, so a window
        closed mid-lecture, or an experiment saved there, opens later with its panels."""
        aside = [widget for widget in (*self.presentation.set_aside(), *self.lesson.set_aside()) if widget.isHidden()]
        for widget in aside:
            widget.show()
        try:
            return super().saveState(version)
        finally:
            for widget in aside:
                widget.hide()

    # --- text size -----------------------------------------------------------------------

    def zoom_text(self, factor: float) -> None:
        """Make every text in the window larger or smaller (Ctrl+ / Ctrl−)."""
        self.text_zoom = min(max(self.text_zoom * factor, 0.5), 4.0)
        self.apply_text_scale()

    def apply_text_scale(self) -> None:
        """Size every text from the one setting: the user's zoom times the presentation view's."""
        theme.set_text_scale(self.text_zoom * self.presentation.scale())
        theme.restyle_widgets(self)
        self.view_area.restyle_text()
        self.explorer.restyle_text()
        if self.controller.frame is not None:  # texts drawn with each frame take the new size
            self.view_area.draw(self.controller.frame)

    def _on_presentation(self, on: bool) -> None:
        self.view_area.caption.setVisible(on and self.lesson.is_open)
        self.apply_text_scale()

    def toggle_full_screen(self) -> None:
        if self.isFullScreen():
            self.showNormal()
        else:
            fill_screen(self)

    # --- controller signals --------------------------------------------------------------

    def _on_landscape(self, landscape: LossGrid) -> None:
        self.view_area.set_landscape(landscape)
        self.readouts.set_landscape(landscape)

    def _on_state(self, state) -> None:
        self.loss_view.set_running(state.running)
        if self.controller.frame is not None:
            self.readouts.show_frame(self.controller.frame, state.running, self.controller.selected_run)
        landscape = self.controller.landscape
        if landscape is not None:
            start = state.setup.start or landscape.problem.default_start
            self.map_view.set_start(*start)

    def _on_frame(self, frame: Frame) -> None:
        if not self._recording:  # an animation being drawn has the views
            self.view_area.draw(frame)
            self.readouts.show_frame(frame, self.controller.state.running, self.controller.selected_run)
        statuses = [r.status for r in frame.runs]
        if frame.step == 0 and all(s is RunStatus.RUNNING for s in statuses):  # a fresh load, or Reset
            self._statuses = statuses
            self._events = []
            self.banner.hide()
            return
        for old, run in zip(self._statuses, frame.runs):
            if old is RunStatus.RUNNING and run.status is not RunStatus.RUNNING:
                self._announce(run, frame)
        self._statuses = statuses

    def draw_views(self, frame: Frame) -> None:
        """Show ``frame`` in the plots (the live one, or one replayed for an animation)."""
        self.view_area.draw(frame)

    def set_recording(self, on: bool) -> None:
        """While on, live frames leave the views to the animation, the banner (how the run
        ended, not what each frame shows) is out of the picture and a scene's caption is in
        it; when off, all come back as they were."""
        self._recording = on
        self.loss_view.hold_axes(on)
        # A GIF for a slide carries the scene's title and caption with it.
        self.view_area.caption.setVisible(self.lesson.is_open and (on or self.presentation.active))
        if on:
            self._banner_shown = self.banner.isVisible()
            self.banner.hide()
        else:
            self.banner.setVisible(self._banner_shown)
        if not on and self.controller.frame is not None:
            self._on_frame(self.controller.frame)

    def _announce(self, run, frame: Frame) -> None:
        """Say how a run ended; with several runs, one line each, in the order they ended."""
        planned = run.label in self.planned_divergences
        self._events.append((is_mistake(run, planned), ending_line(run, len(frame.runs) > 1, planned)))
        error = any(bad for bad, _ in self._events)
        self.banner.show_message("\n".join(text for _, text in self._events[-4:]), "error" if error else "info")

    def _on_finished(self, reason: str) -> None:
        self.statusBar().showMessage(f"Stopped: {reason}.", 8000)

    def _on_progress(self, stage: str, percent: int) -> None:
        """Say what a busy load is doing, with Cancel where there is something to go back to
        (not in a lesson: its caption and views already show the scene being loaded; Page Up
        or Down gives the load up there); an empty ``stage`` means the load is over."""
        if stage:
            self.progress.setFormat(f"{stage} %p%")
            self.progress.setValue(percent)
        self.progress.setVisible(bool(stage))
        cancel = bool(stage) and self.controller.can_cancel_load and not self.lesson.is_open
        self.cancel_load_button.setVisible(cancel)

    def show_error(self, message: str) -> None:
        self.banner.show_message(message[0].upper() + message[1:] if message else message, "error")

    # --- files -----------------------------------------------------------------------

    def ask_export(self, kind: str) -> None:
        """Ask where to write the run as ``kind`` (csv or json), then write it."""
        if self.controller.frame is None or self.controller.landscape is None:
            return
        path, _ = QFileDialog.getSaveFileName(self, "Export run", f"run.{kind}", f"{kind.upper()} (*.{kind})")
        if path:
            self.export_run(Path(path), kind)

    def export_run(self, path: Path, kind: str = "csv") -> None:
        """Write the first run's history (atomically); errors go to the banner."""
        try:
            write_run(self.controller, path, kind)
        except (ConfigError, OSError) as exc:
            self.show_error(f"Could not export the run: {exc}")
            return
        self.statusBar().showMessage(f"Saved {path}", 5000)

    def ask_screenshot(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Save screenshot", "gdstudio.png", "PNG (*.png)")
        if path:
            from .screenshot import save_window_png

            try:
                save_window_png(self, Path(path))
            except (OSError, ConfigError) as exc:
                self.show_error(f"Could not save the screenshot: {exc}")

    def ask_animation(self) -> None:
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
        show_progress(self, recorder)
        recorder.finished.connect(lambda saved: self.statusBar().showMessage(f"Saved {saved}", 5000))
        recorder.failed.connect(self.show_error)
        recorder.start()
        return recorder

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if not self.keeping.close_requested():  # unsaved changes, and the user chose Cancel
            event.ignore()
            return
        if self._recorder is not None:
            self._recorder.cancel()
        self.explorer.close()
        self.controller.shutdown()
        super().closeEvent(event)
