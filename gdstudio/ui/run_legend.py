"""The runs' colours named once, above the views, so that no legend sits on the data."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QWidget

from ..controller import Frame
from . import theme


class RunLegend(QLabel):
    """One line (wrapping as needed) naming each run in its colour; hidden for a single run.

    The map, the 3D view and the loss curve colour runs alike, so one key outside them all
    says what every colour is, and covers nothing in any plot.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        theme.set_font(self, 1.0, bold=True)
        self._labels: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())
        self.hide()

    def show_frame(self, frame: Frame) -> None:
        labels = tuple(r.label for r in frame.runs)
        colors = tuple(theme.run_color(i) for i in range(len(labels)))
        if (labels, colors) == self._labels:
            return
        self._labels = (labels, colors)
        entries = [
            # An entry never breaks inside: a name on one line, its λ on the next, reads as two runs.
            f"<span style='color:{theme.run_color(i)}'>━━</span>&nbsp;{escape(label).replace(' ', '&nbsp;')}"
            for i, label in enumerate(labels)
        ]
        self.setText("&nbsp;&nbsp;&nbsp; ".join(entries))
        self.setVisible(len(labels) > 1)
