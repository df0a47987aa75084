"""The lesson browser: scenes in lecture order, the caption of the current one, presenter buttons."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..core import ConfigError
from ..core.lesson import Scene, find_scene, load_folder, load_scene, scene_file_name
from ..core.resources import resource
from . import theme

#: The lessons that ship with GD Studio.
SHIPPED = resource("lessons")


class LessonPanel(QWidget):
    """Lists the shipped scenes and the user's own; broken files are listed with the reason."""

    #: The user picked a scene to show.
    scene_chosen = Signal(object)
    #: Run the current scene from its start.
    run_requested = Signal()
    #: Leave the lesson, keeping the current scene's set-up to explore.
    explore_requested = Signal()
    #: Save the current set-up as a scene.
    save_requested = Signal()

    def __init__(self, user_folder: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.user_folder = user_folder
        self.scenes: list[Scene] = []
        self.broken: list[tuple[Path, str]] = []
        self.list = SceneList()
        self.list.setToolTip("The lecture's scenes in order; your own saved scenes come last.")
        self.title = QLabel()
        self.title.setWordWrap(True)
        theme.set_font(self.title, 1.35, bold=True)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        theme.set_font(self.caption, 1.15)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        theme.set_font(self.formula, 1.15, bold=True)
        self.formula.setStyleSheet("color: #0b3a75;")
        buttons = []
        for text, tip, signal in (
            ("◀ Previous", "The previous scene (Page Up, as a presentation clicker sends).", None),
            ("Next ▶", "The next scene (Page Down, as a presentation clicker sends).", None),
            ("Run scene", "Play this scene's runs from their starts.", self.run_requested),
            (
                "Explore from here",
                "Leave the lesson and keep exploring with this scene's set-up.",
                self.explore_requested,
            ),
            ("Save setup as scene…", "Save what is on screen as a scene of your own.", self.save_requested),
        ):
            button = QPushButton(text)
            button.setToolTip(tip)
            if signal is not None:
                button.clicked.connect(signal)
            buttons.append(button)
        self.previous_button, self.next_button, self.run_button, self.explore_button, self.save_button = buttons
        self.previous_button.clicked.connect(self.previous)
        self.next_button.clicked.connect(self.next)
        nav = QHBoxLayout()
        nav.addWidget(self.previous_button)
        nav.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.list, 1)
        layout.addLayout(nav)
        layout.addWidget(self.run_button)
        layout.addWidget(self.title)
        layout.addWidget(self.caption)
        layout.addWidget(self.formula)
        layout.addStretch(1)
        layout.addWidget(self.explore_button)
        layout.addWidget(self.save_button)
        self.list.currentRowChanged.connect(self._on_row)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the shipped and the user's scene files again."""
        shipped, broken_shipped = load_folder(SHIPPED)
        own, broken_own = load_folder(self.user_folder)
        self.scenes = shipped + own
        self.broken = broken_shipped + broken_own
        self.list.blockSignals(True)
        self.list.clear()
        for i, scene in enumerate(self.scenes, start=1):
            mine = scene.path is not None and scene.path.parent == self.user_folder
            item = QListWidgetItem(f"{i}. {scene.title}" + ("  (yours)" if mine else ""))
            item.setToolTip(item.text())  # the whole title, wherever the list is narrow
            self.list.addItem(item)
        for path, reason in self.broken:
            item = QListWidgetItem(f"⚠ {path.name}: {reason}")
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            item.setForeground(QColor("#c93400"))
            item.setToolTip(reason)
            self.list.addItem(item)
        self.list.blockSignals(False)
        if select is not None:
            ids = [s.id for s in self.scenes]
            if select in ids:
                self.list.setCurrentRow(ids.index(select))

    def confirm_replace(self, path: Path) -> bool:
        """Ask before a saved scene is replaced: two titles can make one file name ("Test A!", "test a")."""
        try:
            what = f"Your scene “{load_scene(path).title}” is saved as {path.name}."
        except ConfigError:
            what = f"A file called {path.name} is already in your scenes folder."
        answer = QMessageBox.question(
            self,
            "Replace scene?",
            f"{what}\nReplace it with this one?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        return answer == QMessageBox.StandardButton.Yes

    def find(self, name: str) -> int:
        """Index of the scene called ``name`` (or numbered so, ``"06"``), or -1."""
        return find_scene(self.scenes, name)

    @property
    def index(self) -> int:
        return self.list.currentRow()

    @property
    def current(self) -> Scene | None:
        i = self.index
        return self.scenes[i] if 0 <= i < len(self.scenes) else None

    def select(self, index: int) -> None:
        if 0 <= index < len(self.scenes):
            self.list.setCurrentRow(index)

    def next(self) -> None:
        self.select(min(self.index + 1, len(self.scenes) - 1))

    def previous(self) -> None:
        self.select(max(self.index - 1, 0))

    def _on_row(self, row: int) -> None:
        if not 0 <= row < len(self.scenes):
            return
        scene = self.scenes[row]
        self.title.setText(scene.title)
        self.caption.setText(scene.caption)
        self.formula.setText(scene.formula or "")
        self.formula.setVisible(bool(scene.formula))
        self.previous_button.setEnabled(row > 0)
        self.next_button.setEnabled(row < len(self.scenes) - 1)
        self.scene_chosen.emit(scene)


class SceneList(QListWidget):
    """The scenes, each title whole: long ones wrap onto a second line, and the scene being
    shown stays in full view when the list is made shorter (on a laptop's 768 lines the
    caption below leaves it four rows, and the current title was cut off at its foot)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextElideMode(Qt.TextElideMode.ElideNone)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)  # wrap, never scroll sideways
        self.setResizeMode(QListWidget.ResizeMode.Adjust)  # rows wrap again at a new width

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        if (item := self.currentItem()) is not None:
            self.scrollToItem(item)


def slug(title: str) -> str:
    """A file name for a scene title (see :func:`scene_file_name`)."""
    return scene_file_name(title)
