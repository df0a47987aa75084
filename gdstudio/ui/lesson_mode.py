"""Presenting a lesson: scenes, presenter keys, and leaving to explore from the current scene."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QInputDialog

from ..core import ConfigError
from ..core.lesson import Scene, SceneExistsError, save_scene, scene_dict
from .dock import add_dock
from .lesson_panel import LessonPanel, slug
from .readouts_panel import EXPLORER_DIGITS, LESSON_DIGITS
from .view_area import EXPLORE_VIEWS

LOSS_AXIS_INDEX = {"steps": 0, "epochs": 1, "samples": 2}


class LessonMode(QObject):
    """Owns the lesson dock and its keys; applies a scene to the window's controller and views.

    While a lesson is open, Page Down / Page Up (what presentation clickers
    send) move between scenes. No other key leaves a scene: → and N still take
    one step, as a caption may ask.
    """

    def __init__(self, window, user_folder: Path) -> None:
        super().__init__(window)
        self.window = window
        self.panel = LessonPanel(user_folder)
        self.dock = add_dock(window, "Lesson", self.panel, Qt.DockWidgetArea.LeftDockWidgetArea)
        window.tabifyDockWidget(window.setup_dock, self.dock)
        self.dock.hide()
        #: A lesson is open: runs that end are told as part of the scene.
        self.is_open = False
        #: While a lesson is open, whether the Runs dock it set aside was shown (``None``: not set aside).
        self._runs_shown: bool | None = None
        self.next_action = QAction("Next scene", window)
        self.previous_action = QAction("Previous scene", window)
        self.next_action.setShortcut(QKeySequence(Qt.Key.Key_PageDown))
        self.previous_action.setShortcut(QKeySequence(Qt.Key.Key_PageUp))
        self.next_action.triggered.connect(self.panel.next)
        self.previous_action.triggered.connect(self.panel.previous)
        for action in (self.next_action, self.previous_action):
            action.setEnabled(False)
            window.addAction(action)
        self.panel.scene_chosen.connect(self.show_scene)
        self.panel.run_requested.connect(self.run_scene)
        self.panel.explore_requested.connect(self.leave)
        self.panel.save_requested.connect(self.ask_save)

    def open(self, name: str | None = None) -> None:
        """Enter the lesson at scene ``name`` (an id or its number, e.g. ``"06"``), or where it was."""
        self._set_runs_aside()
        self.is_open = True
        self.window.readouts.digits = LESSON_DIGITS
        self.dock.show()
        self.dock.raise_()
        self.window.presentation.hide_until_left(self.dock)
        self._enable_scene_keys(True)
        index = self.panel.find(name) if name else max(self.panel.index, 0)
        if name and index < 0:
            raise ConfigError(f"no lesson scene called {name!r}")
        if index == self.panel.index and self.panel.current is not None:
            self.show_scene(self.panel.current)
        else:
            self.panel.select(index)

    def leave(self) -> None:
        """Back to exploring, with the current scene's first run as the set-up."""
        self.is_open = False
        self.window.readouts.digits = EXPLORER_DIGITS
        self.dock.hide()
        self._bring_runs_back()
        self._enable_scene_keys(False)
        w = self.window
        w.view_area.caption.show_scene(None)
        w.view_area.caption.hide()
        w.set_views(EXPLORE_VIEWS)
        w.map_view.set_annotations(())
        w.slice_view.set_annotations(())
        w.planned_divergences = set()
        w.explorer.cloud.set_enabled(False)
        w.controller.set_speed(None)
        w.controller.set_runs([w.controller.state.setup])

    def show_scene(self, scene: Scene) -> None:
        w = self.window
        w.view_area.caption.show_scene(scene)
        w.view_area.caption.setVisible(w.presentation.active)
        w.set_views(scene.views)
        w.map_view.set_annotations(scene.annotations)
        w.slice_view.set_annotations(scene.annotations)
        # A run the scene means to diverge is reported as the lesson, not as an error.
        w.planned_divergences = {label for label, planned in zip(scene.labels, scene.diverges) if planned}
        w.loss_view.x_axis.setCurrentIndex(LOSS_AXIS_INDEX[scene.loss_axis])
        w.controller.set_speed(scene.speed)
        w.controller.set_max_steps(scene.steps)
        w.explorer.cloud.set_enabled(scene.gradient_cloud)
        w.controller.set_runs(list(scene.runs), list(scene.labels))
        w.race_panel.follow(scene.labels, scene.colors, scene.ordered)

    def run_scene(self) -> None:
        """Play the current scene from its starts."""
        scene = self.panel.current
        if scene is None:
            return
        self.show_scene(scene)
        self.window.controller.play()  # pressed during the scene's load: runs once it is loaded

    def save_current(self, title: str, replace: bool = False) -> Path:
        """Write what is on screen as a scene in the user's folder; it then appears in the list.

        A scene already saved under the same file name is replaced only with ``replace``
        (otherwise :class:`SceneExistsError`)."""
        w = self.window
        c = w.controller
        views = [name for name, widget in w.view_widgets().items() if widget.isVisibleTo(w)]
        # A race keeps its names, with each run's λ as the legend shows it.
        labels = [look.label for look in w.race_panel.looks()] if len(c.setups) > 1 else None
        # Colours the user picked are kept; the rest come back as they were (ramp or usual ones).
        ordered, colors = w.race_panel.ordered, w.race_panel.chosen_colors()
        data = scene_dict(title, "Saved from GD Studio.", c.setups, views, c.state.max_steps, labels, ordered, colors)
        if w.explorer.cloud_shown():
            data["gradient_cloud"] = True
        path = save_scene(data, self.panel.user_folder, slug(title), replace=replace)
        self.panel.reload(select=path.stem)
        return path

    def ask_save(self) -> None:
        """Ask for a title and save what is on screen as a scene of the user's own."""
        title, ok = QInputDialog.getText(self.window, "Save setup as scene", "Scene title:")
        if ok and title.strip():
            try:
                try:
                    path = self.save_current(title.strip())
                except SceneExistsError as exc:
                    if not self.panel.confirm_replace(exc.path):
                        return
                    path = self.save_current(title.strip(), replace=True)
            except (ConfigError, OSError) as exc:
                self.window.show_error(f"Could not save the scene: {exc}")
                return
            self.window.statusBar().showMessage(f"Saved {path}", 5000)

    def _set_runs_aside(self) -> None:
        """Hide the Runs dock while the lesson is open: the scene owns its runs, so the list is
        no use there, and on a laptop's 768 lines its greyed rows squeezed the step's readouts
        and the map (scene 10's map was 250 px wide)."""
        if self._runs_shown is not None:
            return
        dock = self.window.race_dock
        self._runs_shown = dock.isVisibleTo(self.window) or self.window.presentation.release(dock)
        dock.hide()

    def _bring_runs_back(self) -> None:
        """The Runs dock as the user had it before the lesson (after the presentation view, if on)."""
        if self._runs_shown:
            self.window.presentation.show_when_left(self.window.race_dock)
        self._runs_shown = None

    def set_aside(self) -> list:
        """What the lesson hides for the while: it comes back when the lesson is left."""
        return [self.window.race_dock] if self._runs_shown else []

    def _enable_scene_keys(self, on: bool) -> None:
        self.next_action.setEnabled(on)
        self.previous_action.setEnabled(on)
