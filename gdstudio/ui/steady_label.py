"""A label whose text changes with every frame without laying the window out again."""

from __future__ import annotations

from PySide6.QtCore import QEvent
from PySide6.QtWidgets import QLabel, QWidget


class SteadyLabel(QLabel):
    """A one-line label of a fixed size: that of the widest text it will show, in its font.

    Qt lays a label's parents out again whenever its text changes, unless the label's size is
    fixed. A number beside a plot that changes every frame otherwise relayouts and repaints the
    whole window each frame (a third of a race's frame on this project's benchmark). The size
    follows the font, so the text zoom still fits it; the number no longer shifts as it changes.
    """

    def __init__(self, widest: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._widest = widest
        self._fit()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._fit()

    def _fit(self) -> None:
        metrics = self.fontMetrics()
        size = metrics.size(0, self._widest)
        m = self.contentsMargins()
        # A digit to spare: digits of one font need not all be as wide as the sample's.
        width = size.width() + metrics.horizontalAdvance("0") + m.left() + m.right()
        self.setFixedSize(width, size.height() + m.top() + m.bottom())
