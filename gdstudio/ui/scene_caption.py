"""A lesson scene's title and caption above its views, for the presentation view."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from ..core.lesson import Scene
from . import theme


class SceneCaption(QWidget):
    """What the scene shows, in the words of the lesson, large; wraps rather than clips."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = QLabel()
        self.caption = QLabel()
        self.formula = QLabel()
        self.formula.setStyleSheet("color: #0b3a75;")
        theme.set_font(self.title, theme.TITLE, bold=True)
        theme.set_font(self.caption, theme.AXIS_TITLE)
        theme.set_font(self.formula, theme.AXIS_TITLE, bold=True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.setSpacing(2)
        for label in (self.title, self.caption, self.formula):
            label.setWordWrap(True)
            layout.addWidget(label)

    def show_scene(self, scene: Scene | None) -> None:
        self.title.setText(scene.title if scene else "")
        self.caption.setText(scene.caption if scene else "")
        self.formula.setText(scene.formula or "" if scene else "")
        self.formula.setVisible(bool(scene and scene.formula))
