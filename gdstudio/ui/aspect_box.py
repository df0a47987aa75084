"""Holds the map so that its plot area keeps the landscape's proportions at any panel size."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


class AspectBox(QWidget):
    """Sizes its one child, centred, so the child's plot area has ``aspect`` = width / height.

    The map draws both axes at the same scale; in a panel of other proportions it would show
    the landscape with wide empty bands (and axes running far past it). The bands are left
    outside the plot instead, where they cover nothing and mislead no one.
    """

    def __init__(self, child, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.child = child
        child.setParent(self)
        self.aspect = 1.0
        # The axes' margin changes with their tick labels: fit again when the plot area moves.
        child.getViewBox().sigResized.connect(lambda *_: self._fit())

    def set_aspect(self, aspect: float) -> None:
        self.aspect = aspect
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        child = self.child
        # The axes take a fixed margin around the plot area: keep it, and fit the area.
        box = child.getViewBox().sceneBoundingRect()
        margin_w = max(child.width() - box.width(), 0)
        margin_h = max(child.height() - box.height(), 0)
        area_w, area_h = max(self.width() - margin_w, 1), max(self.height() - margin_h, 1)
        if area_w / area_h > self.aspect:
            area_w = area_h * self.aspect
        else:
            area_h = area_w / self.aspect
        w, h = int(area_w + margin_w), int(area_h + margin_h)
        child.setGeometry((self.width() - w) // 2, (self.height() - h) // 2, w, h)
