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
        #: The box size and aspect fitted to, and the widest axes' margin seen at them (see :meth:`_fit`).
        self._fitted_to: tuple[int, int, float] | None = None
        self._widest = (0.0, 0.0)
        # The axes' margin changes with their tick labels: fit again when the plot area moves.
        child.getViewBox().sigResized.connect(lambda *_: self._fit())

    def set_aspect(self, aspect: float) -> None:
        """Fit afresh to ``aspect`` (the landscape, with its axes, may have changed)."""
        self.aspect = aspect
        self._fitted_to = None
        self._fit()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self._fit()

    def _fit(self) -> None:
        """Size the child so its plot area has the aspect, centred in the box.

        The axes' margin depends on the tick labels, and they on the plot's size: a size
        just past a tick spacing's threshold can give wider labels, so a smaller plot, so
        narrower labels, so a larger plot again, for ever (the map re-laid out dozens of
        times a second in an idle window). So while the box and aspect stay as they were,
        the area is fitted inside the widest margin seen: it can then only shrink, and
        settles (a few pixels smaller than the narrow labels would allow). A new box size
        or aspect fits afresh.
        """
        child = self.child
        # The axes take a margin around the plot area: keep it, and fit the area.
        box = child.getViewBox().sceneBoundingRect()
        margin_w = max(child.width() - box.width(), 0)
        margin_h = max(child.height() - box.height(), 0)
        fitted_to = (self.width(), self.height(), self.aspect)
        if fitted_to != self._fitted_to or not child.isVisible():
            self._fitted_to, self._widest = fitted_to, (0.0, 0.0)
        self._widest = widest_w, widest_h = max(self._widest[0], margin_w), max(self._widest[1], margin_h)
        area_w, area_h = max(self.width() - widest_w, 1), max(self.height() - widest_h, 1)
        if area_w / area_h > self.aspect:
            area_w = area_h * self.aspect
        else:
            area_h = area_w / self.aspect
        w, h = int(area_w + margin_w), int(area_h + margin_h)
        child.setGeometry((self.width() - w) // 2, (self.height() - h) // 2, w, h)
