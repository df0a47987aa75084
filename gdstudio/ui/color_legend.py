"""A vertical colour bar with loss values: the legend of the surface's colours."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFontMetrics, QLinearGradient, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from . import theme
from .loss_scale import LossScale


class ColorLegend(QWidget):
    """Shows which colour means which loss, on the same scale as the views."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale: LossScale | None = None
        self.restyle_text()
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setToolTip("Colour key: the loss at each colour of the surface and the map.")

    def restyle_text(self) -> None:
        """Width for the values at the current text size."""
        self.setFixedWidth(32 + QFontMetrics(theme.font()).horizontalAdvance("−1.23e+04") + 8)
        self.update()

    def text_font(self):
        """The font its values are painted in."""
        return theme.font()

    def title(self) -> str:
        """What the bar shows: a skewed landscape's heights and colours follow the log of the loss."""
        return "loss (log)" if self._scale is not None and self._scale.log else "loss"

    def set_scale(self, scale: LossScale) -> None:
        self._scale = scale
        log = " On a log scale: the heights and colours spread the low losses apart." if scale.log else ""
        self.setToolTip(f"Colour key: the loss at each colour of the surface and the map.{log}")
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._scale is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(self.text_font())
        line = QFontMetrics(p.font()).height()
        top, bottom = line + 6, self.height() - line // 2 - 2
        bar = QRectF(6, top, 18, bottom - top)
        gradient = QLinearGradient(0, bottom, 0, top)
        cmap = theme.colormap()
        for t in np.linspace(0, 1, 16):
            gradient.setColorAt(float(t), cmap.map(float(t), mode="qcolor"))
        p.fillRect(bar, gradient)
        p.setPen(QColor("#1c1c1e"))
        p.drawText(QRectF(0, 0, self.width(), line), Qt.AlignmentFlag.AlignLeft, self.title())
        for t in np.linspace(0, 1, 6):
            y = bottom - t * (bottom - top)
            value = float(self._scale.inverse(t))
            p.drawLine(24, int(y), 29, int(y))
            box = QRectF(32, y - line / 2, self.width() - 32, line)
            p.drawText(box, Qt.AlignmentFlag.AlignVCenter, f"{value:.3g}")
        p.end()
