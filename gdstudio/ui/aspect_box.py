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
        #: The box size and aspect fitted to, the last two fits for them (size, margins), and the
        #: least margin the area is fitted inside once they went round in a cycle (see :meth:`_fit`).
        self._fitted_to: tuple[int, int, float] | None = None
        self._fits: list[tuple[tuple[int, int], float, float]] = []
        self._floor = (0.0, 0.0)
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
        times a second in an idle window). So the last two fits at one box size and
        aspect are remembered: going back to the one before last (A, B, A) is that cycle, and
        from then on (at this box size) the area is fitted inside the larger margin of the
        two, with the margin the labels then take around it: a fixed point. Other changes of
        the margin (a title, larger type, the first layout) are followed as they come.
        """
        child = self.child
        # The axes take a margin around the plot area: keep it, and fit the area.
        box = child.getViewBox().sceneBoundingRect()
        margin_w = max(child.width() - box.width(), 0)
        margin_h = max(child.height() - box.height(), 0)
        fitted_to = (self.width(), self.height(), self.aspect)
        if fitted_to != self._fitted_to:
            self._fitted_to, self._fits, self._floor = fitted_to, [], (0.0, 0.0)
        size = self._size(margin_w, margin_h)
        fits = self._fits
        if len(fits) == 2 and size == fits[0][0] != fits[1][0]:  # A, B, A: a cycle
            self._floor = (max(fits[0][1], fits[1][1]), max(fits[0][2], fits[1][2]))
            size = self._size(margin_w, margin_h)
        self._fits = [*fits, (size, margin_w, margin_h)][-2:]
        w, h = size
        child.setGeometry((self.width() - w) // 2, (self.height() - h) // 2, w, h)

    def _size(self, margin_w: float, margin_h: float) -> tuple[int, int]:
        """The child's size: its plot area in the aspect, fitted inside the margin (or the
        floor, if larger), and the margin around it."""
        area_w = max(self.width() - max(margin_w, self._floor[0]), 1)
        area_h = max(self.height() - max(margin_h, self._floor[1]), 1)
        if area_w / area_h > self.aspect:
            area_w = area_h * self.aspect
        else:
            area_h = area_w / self.aspect
        return int(area_w + margin_w), int(area_h + margin_h)
