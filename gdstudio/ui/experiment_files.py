"""*File → New / Open… / Save / Save As… / Open Recent* on experiment files (``*.gdstudio.json``).

The window's title names the file and marks unsaved changes (``[*]``, Qt's
windowModified); closing, New or Open with unsaved changes asks first. A file
that cannot be read gives one message in the banner and changes nothing.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QMessageBox

from ..core.errors import ConfigError
from ..core.experiment import SUFFIX, Camera, Experiment, Layout, experiment_from_runs, load_experiment, save_experiment
from ..core.run_setup import RunSetup
from .app_settings import AppSettings

FILTER = f"GD Studio experiments (*{SUFFIX})"
#: Views shown by File → New.
NEW_VIEWS = ("surface", "map", "loss", "data")


class ExperimentFiles(QObject):
    """The window's experiment file: what it is, whether it changed, and the File menu's actions."""

    def __init__(self, window, settings: AppSettings) -> None:
        super().__init__(window)
        self.window, self.settings = window, settings
        self.path: Path | None = None
        #: Files opened and saved go into Open Recent (off for scripted windows: --screenshot).
        self.record_recent = False
        self._clean = None
        self.recent_menu = QMenu("Open &Recent", window)
        self.actions = {
            "new": self._action("&New", QKeySequence.StandardKey.New, self.new),
            "open": self._action("&Open…", QKeySequence.StandardKey.Open, self.ask_open),
            "save": self._action("&Save", QKeySequence.StandardKey.Save, self.save),
            "save_as": self._action("Save &As…", QKeySequence.StandardKey.SaveAs, self.ask_save_as),
        }
        c = window.controller
        c.loaded.connect(self._update_modified)
        c.state_changed.connect(self._update_modified)
        window.race_panel.recolored.connect(self._update_modified)
        window.explorer.cloud.enabled.toggled.connect(self._update_modified)
        self._update_title()
        self.fill_recent()

    def _action(self, text: str, keys, slot) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        return action

    # --- what is on screen ----------------------------------------------------------------

    def capture(self) -> Experiment:
        """The window's set-up as an experiment: every run, the views, the camera, the layout."""
        w, c = self.window, self.window.controller
        labels = [r.label for r in c.frame.runs] if c.frame is not None else []
        setups = c.setups
        if len(labels) != len(setups):
            labels = [f"run {i + 1}" for i in range(len(setups))]
        views = [name for name, widget in w.view_widgets().items() if widget.isVisibleTo(w)] or list(NEW_VIEWS)
        camera = Camera()
        surface = getattr(w, "surface_view", None)
        if surface is not None:
            o = surface.view.opts
            camera = Camera(float(o["distance"]), float(o["elevation"]), float(o["azimuth"]))
        layout = Layout(w.loss_view.log_scale.isChecked(), bytes(w.saveState().data()))
        title = self.path.name.removesuffix(SUFFIX) if self.path else ""
        runs = w.race_panel
        colors = runs.chosen_colors()
        return experiment_from_runs(
            setups, labels, views, c.state.max_steps, title, "", camera, layout,
            colors if len(colors) == len(setups) else None, runs.ordered, w.explorer.cloud_shown(),
        )  # fmt: skip

    def apply(self, experiment: Experiment) -> None:
        """Show ``experiment``: its runs load together, with its views, camera and layout."""
        w = self.window
        w.lesson.show_scene(experiment.scene)
        w.loss_view.log_scale.setChecked(experiment.layout.log_loss)
        if experiment.layout.window_state is not None:
            w.restoreState(experiment.layout.window_state)
        surface = getattr(w, "surface_view", None)
        if surface is not None:
            cam = experiment.camera
            surface.view.setCameraPosition(distance=cam.distance, elevation=cam.elevation, azimuth=cam.azimuth)
        self._clean = self._saved_key(experiment)
        if experiment.path is not None:
            self._remember(experiment.path)

    # --- File menu ------------------------------------------------------------------------

    def new(self) -> None:
        if not self.confirm_discard():
            return
        w = self.window
        w.set_views(NEW_VIEWS)
        w.explorer.cloud.set_enabled(False)
        w.controller.set_runs([RunSetup()])
        w.race_panel.follow([None])  # in its usual colour
        self.path = None
        self._clean = self._key([RunSetup()], w.controller.state.max_steps, (), False)
        self._update_title()

    def ask_open(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self.window, "Open experiment", str(self._folder()), FILTER)
        if path:
            self.open(Path(path))

    def open(self, path: Path) -> bool:
        """Open ``path``; a bad file is refused in the banner and the session stays as it was."""
        try:
            experiment = load_experiment(path)
        except ConfigError as exc:
            self.window.show_error(f"Could not open the experiment: {exc}")
            return False
        if not self.confirm_discard():
            return False
        self.apply(experiment)
        return True

    def save(self) -> bool:
        if self.path is None:
            return self.ask_save_as()
        return self.save_to(self.path)

    def ask_save_as(self) -> bool:
        start = self.path or self._folder() / f"experiment{SUFFIX}"
        path, _ = QFileDialog.getSaveFileName(self.window, "Save experiment", str(start), FILTER)
        if not path:
            return False
        if not path.endswith(SUFFIX):
            path = path.removesuffix(".json") + SUFFIX
        return self.save_to(Path(path))

    def save_to(self, path: Path) -> bool:
        try:
            experiment = self.capture()
            save_experiment(experiment, path)
        except (ConfigError, OSError) as exc:
            self.window.show_error(f"Could not save the experiment: {exc}")
            return False
        self._clean = self._saved_key(experiment)
        self._remember(path)
        self.window.statusBar().showMessage(f"Saved {path}", 5000)
        return True

    def confirm_discard(self) -> bool:
        """With unsaved changes, ask to save them first; False if the user cancels."""
        if not self.window.isWindowModified():
            return True
        answer = QMessageBox.question(
            self.window,
            "Unsaved changes",
            f"Save the changes to {self._name()} first?",
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        if answer == QMessageBox.StandardButton.Save:
            return self.save()
        return answer == QMessageBox.StandardButton.Discard

    # --- title, modified, recent ------------------------------------------------------------

    def _key(self, setups: list[RunSetup], steps: int, colors, cloud: bool) -> tuple:
        """What a save keeps, to tell a change by: the runs, the steps, the colours picked for the
        runs (a recoloured race closed without asking lost its colours) and the gradient cloud."""
        return (tuple(setups), steps, tuple(colors) if any(colors) else (), cloud)

    def _saved_key(self, experiment: Experiment) -> tuple:
        s = experiment.scene
        return self._key(list(s.runs), s.steps, s.colors, s.gradient_cloud)

    def _update_modified(self, *_args) -> None:
        w, c = self.window, self.window.controller
        if c.is_loading:
            return
        key = self._key(c.setups, c.state.max_steps, w.race_panel.chosen_colors(), w.explorer.cloud_shown())
        if self._clean is None:
            self._clean = key  # what the window opened with is not a change
        self.window.setWindowModified(key != self._clean)

    def _name(self) -> str:
        return self.path.name if self.path else "Untitled"

    def _update_title(self) -> None:
        self.window.setWindowTitle(f"{self._name()}[*] — GD Studio")

    def _remember(self, path: Path) -> None:
        self.path = Path(path)
        if self.record_recent:
            self.settings.add_recent_file(self.path)
            self.fill_recent()
        self._update_title()
        self._update_modified()

    def fill_recent(self) -> None:
        menu = self.recent_menu
        menu.clear()
        files = self.settings.recent_files()
        for path in files:
            menu.addAction(path.name, lambda p=path: self.open(p)).setToolTip(str(path))
        if files:
            menu.addSeparator()
            menu.addAction("Clear list", self._clear_recent)
        menu.setEnabled(bool(files))

    def _clear_recent(self) -> None:
        self.settings.clear_recent_files()
        self.fill_recent()

    def _folder(self) -> Path:
        if self.path is not None:
            return self.path.parent
        recent = self.settings.recent_files()
        if recent:
            return recent[0].parent
        return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation))
