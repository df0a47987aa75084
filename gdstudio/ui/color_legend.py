"""A vertical colour bar with loss values: the legend of the surface's colours."""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QLinearGradient, QPainter
from PySide6.QtWidgets import QSizePolicy, QWidget

from . import theme
from .loss_scale import LossScale


class ColorLegend(QWidget):
    """Shows which colour means which loss, on the same scale as the views."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._scale: LossScale | None = None
        self.setMinimumWidth(92)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setToolTip("Colour key: the loss at each colour of the surface and the map.")

    def set_scale(self, scale: LossScale) -> None:
        self._scale = scale
        self.update()

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._scale is None:
            return
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setFont(theme.font(0.85))
        top, bottom = 26, self.height() - 14
        bar = QRectF(6, top, 18, bottom - top)
        gradient = QLinearGradient(0, bottom, 0, top)
        cmap = theme.colormap()
        for t in np.linspace(0, 1, 16):
            gradient.setColorAt(float(t), cmap.map(float(t), mode="qcolor"))
        p.fillRect(bar, gradient)
        p.setPen(QColor("#1c1c1e"))
        p.drawText(QRectF(0, 0, self.width(), 20), Qt.AlignmentFlag.AlignLeft, "loss")
        for t in np.linspace(0, 1, 6):
            y = bottom - t * (bottom - top)
            value = float(self._scale.inverse(t))
            p.drawLine(24, int(y), 29, int(y))
            p.drawText(QRectF(32, y - 9, self.width() - 32, 18), Qt.AlignmentFlag.AlignVCenter, f"{value:.3g}")
        p.end()
