"""One clear sentence at the top of the window: an error, or what just happened."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QToolButton, QWidget

from . import theme

STYLES = {
    "error": "background: #ffe5e5; color: #8a0010; border: 1px solid #d70015;",
    "info": "background: #e8f1ff; color: #0b3a75; border: 1px solid #0a84ff;",
}


class MessageBanner(QWidget):
    """Hidden until there is something to say; the × hides it again."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = QLabel()
        self.label.setWordWrap(True)
        theme.set_font(self.label, 1.1)
        close = QToolButton()
        close.setText("×")
        close.setToolTip("Hide this message.")
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 6, 6, 6)
        layout.addWidget(self.label, 1)
        layout.addWidget(close)
        self.kind = ""
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.hide()

    def show_message(self, text: str, kind: str = "info") -> None:
        self.kind = kind
        self.label.setText(text)
        self.setStyleSheet(f"MessageBanner {{{STYLES[kind]}}} QLabel {{border: none;}}")
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""
