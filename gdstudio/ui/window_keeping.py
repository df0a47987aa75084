"""What makes the window a desktop application: experiment files, exports, settings, Help.

Installed into the main window with one line, it adds its actions to the File
menu and a Help menu, restores and saves the settings (when the app asks it to:
test windows and ``--screenshot`` runs neither read nor write them), and asks
before unsaved changes are lost.
"""

from __future__ import annotations

import contextlib
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QFileDialog, QMenu, QProgressDialog

from ..core.errors import ConfigError
from ..core.experiment import experiment_dict, parse_experiment
from ..core.problems.shipped_data import shipped_datasets
from .about_dialog import show_about
from .app_settings import AppSettings
from .experiment_files import ExperimentFiles
from .export_dialog import ask_export_view
from .handout import HandoutRecorder
from .view_export import copy_views_to_clipboard


class WindowKeeping(QObject):
    """Files, exports, settings and Help for ``window``."""

    def __init__(self, window, settings: AppSettings | None = None) -> None:
        super().__init__(window)
        self.window = window
        self.settings = settings or AppSettings()
        self.files = ExperimentFiles(window, self.settings)
        self._interactive = False
        #: Cleared by Help → Reset settings, so closing does not write them straight back.
        self.keep_settings = True
        self._handout: HandoutRecorder | None = None
        self._add_menus()

    @property
    def interactive(self) -> bool:
        """Set by the app for a lecturer's window: ask before losing changes, keep the settings
        and the recent files. Test windows and ``--screenshot`` runs touch neither."""
        return self._interactive

    @interactive.setter
    def interactive(self, on: bool) -> None:
        self._interactive = self.files.record_recent = bool(on)

    # --- menus ------------------------------------------------------------------------------

    def _add_menus(self) -> None:
        w = self.window
        bar = w.menuBar()
        file_menu = next(a.menu() for a in bar.actions() if a.text().replace("&", "") == "File")
        mine = list(self.files.actions.values())
        taken = {a.shortcut().toString() for a in mine}
        for action in file_menu.actions():  # the standard File keys are the experiment file's now
            action.setShortcuts([k for k in action.shortcuts() if k.toString() not in taken])
        first = file_menu.actions()[0]
        a = self.files.actions
        for action in (a["new"], a["open"]):
            file_menu.insertAction(first, action)
        file_menu.insertMenu(first, self.files.recent_menu)
        for action in (a["save"], a["save_as"]):
            file_menu.insertAction(first, action)
        file_menu.insertSeparator(first)
        quit_action = file_menu.actions()[-1]
        exports = [
            self._action("Export view (PNG, SVG, PDF)…", lambda: ask_export_view(w)),
            self._action("Copy image", self.copy_image, "Ctrl+Shift+C"),
            self._action("Export lesson handout (PDF)…", self.ask_handout),
        ]
        for action in exports:
            file_menu.insertAction(quit_action, action)
        file_menu.insertSeparator(quit_action)
        self.real_data_menu = QMenu("Real &data", w)
        self.real_data_menu.setToolTipsVisible(True)
        for d in shipped_datasets().values():
            action = self.real_data_menu.addAction(f"{d.name}: {d.title}")
            action.setToolTip(f"{d.source} Licence: {d.licence}")
            action.triggered.connect(lambda _=False, name=d.name: w.problem_panel.choose_dataset(name))
        file_menu.insertMenu(exports[0], self.real_data_menu)
        help_menu = bar.addMenu("&Help")
        help_menu.addAction(self._action("About GD Studio", lambda: show_about(w)))
        help_menu.addAction(self._action("Reset settings", self.reset_settings))
        w.addActions([*mine, *exports])  # keys work with the menu bar hidden too

    def _action(self, text: str, slot, keys: str = "") -> QAction:
        action = QAction(text, self.window)
        if keys:
            action.setShortcut(QKeySequence(keys))
        action.triggered.connect(lambda _=False: slot())
        return action

    # --- exports ----------------------------------------------------------------------------

    def copy_image(self) -> None:
        copy_views_to_clipboard(self.window)
        self.window.statusBar().showMessage("Copied the views to the clipboard", 4000)

    def ask_handout(self) -> None:
        scenes = list(self.window.lesson.panel.scenes)
        if not scenes:
            self.window.show_error("There are no lesson scenes to put in a handout.")
            return
        path, _ = QFileDialog.getSaveFileName(self.window, "Export lesson handout", "handout.pdf", "PDF (*.pdf)")
        if path:
            self.export_handout(Path(path), scenes)

    def export_handout(self, path: Path, scenes) -> HandoutRecorder:
        """Play every scene and write the handout, behind a modal progress dialog that can cancel."""
        recorder = self._handout = HandoutRecorder(self.window, scenes, path, "GD Studio: gradient descent")
        dialog = QProgressDialog("Playing the scenes…", "Cancel", 0, recorder.scene_count, self.window)
        dialog.setWindowTitle("Export lesson handout")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        recorder.progressed.connect(lambda done, _total: dialog.setValue(done))
        dialog.canceled.connect(recorder.cancel)
        for done in (recorder.finished, recorder.failed, dialog.canceled):
            done.connect(dialog.deleteLater)
        recorder.finished.connect(lambda saved: self.window.statusBar().showMessage(f"Saved {saved}", 5000))
        recorder.failed.connect(self.window.show_error)
        recorder.start()
        return recorder

    # --- settings ---------------------------------------------------------------------------

    def restore(self, last_setup: bool) -> None:
        """Put the window back as it was left: geometry, docks, text size, and (``last_setup``) the
        lesson scene being presented or else the runs."""
        w, s = self.window, self.settings
        if (geometry := s.geometry()) is not None:
            w.restoreGeometry(geometry)
        if (state := s.window_state()) is not None:
            w.restoreState(state)
        if hasattr(w, "text_zoom") and hasattr(w, "apply_text_scale"):
            w.text_zoom = s.text_scale(w.text_zoom)
            w.apply_text_scale()
        scene = s.lesson_scene() if last_setup else None
        if scene is not None and self.window.lesson.panel.find(scene) >= 0:
            self.window.lesson.open(scene)  # back at the scene the lecture had reached
            return
        data = s.last_setup() if last_setup else None
        if data is not None:
            # A set-up this version cannot read: start afresh rather than fail.
            with contextlib.suppress(ConfigError):
                self.files.apply(parse_experiment(data, "the last set-up"))

    def save(self) -> None:
        w, s = self.window, self.settings
        s.set_window(w.saveGeometry(), w.saveState())
        if hasattr(w, "text_zoom"):
            s.set_text_scale(w.text_zoom)
        with contextlib.suppress(ConfigError):  # nothing valid to keep
            s.set_last_setup(experiment_dict(self.files.capture()))
        lesson = w.lesson
        presenting = getattr(lesson, "is_open", getattr(lesson, "active", False))
        s.set_lesson_scene(lesson.panel.current.id if presenting and lesson.panel.current else None)
        s.sync()

    def reset_settings(self) -> None:
        """Help → Reset settings: forget everything kept; this window is not saved over it on close."""
        self.settings.reset()
        self.files.fill_recent()
        self.keep_settings = False
        self.window.statusBar().showMessage("Settings reset: the next launch starts afresh", 5000)

    def close_requested(self) -> bool:
        """Called when the window is about to close: False keeps it open."""
        if not self.interactive:
            return True
        if not self.files.confirm_discard():
            return False
        if self.keep_settings:
            self.save()
        return True
