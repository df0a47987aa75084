"""The map's holder keeps its plot area in proportion, and settles: an idle window is not re-laid out."""

from PySide6.QtCore import QObject, QRectF, QTimer, Signal
from PySide6.QtWidgets import QApplication, QWidget

from gdstudio.ui.aspect_box import AspectBox


class _Box(QObject):
    """The plot area of a fake plot (what ``AspectBox`` reads of a pyqtgraph ``ViewBox``)."""

    sigResized = Signal(object)  # noqa: N815 (pyqtgraph's name)

    def __init__(self, plot) -> None:
        super().__init__()
        self.plot = plot

    def sceneBoundingRect(self) -> QRectF:  # noqa: N802 (pyqtgraph's name)
        margin = self.plot.margin()
        return QRectF(margin, 0, self.plot.width() - margin, self.plot.height() - 40)


class TickedPlot(QWidget):
    """A plot whose left axis needs wider tick labels once its area is 375 px high or more
    (a finer tick spacing, "−2.5" for "−2"): a size just past that threshold is the one where
    fitting the area to the labels' margin, and the labels to the area, could go on for ever."""

    def __init__(self) -> None:
        super().__init__()
        self.box = _Box(self)
        self.resizes = 0

    def margin(self) -> int:
        return 60 if self.height() - 40 >= 375 else 30

    def getViewBox(self):  # noqa: N802 (pyqtgraph's name)
        return self.box

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        self.resizes += 1
        # As pyqtgraph does: the plot area's new size is announced after the layout has run.
        QTimer.singleShot(0, lambda: self.box.sigResized.emit(self.box))


def test_a_plot_whose_tick_labels_change_with_its_size_settles(qapp):
    plot = TickedPlot()
    holder = AspectBox(plot)
    holder.set_aspect(1.0)
    holder.resize(420, 600)  # wide enough for 390 px with narrow labels, 360 with wide ones
    holder.show()
    for _ in range(20):  # laid out, and any refit the new size causes
        QApplication.processEvents()
    settled = plot.resizes
    for _ in range(50):
        QApplication.processEvents()
    assert plot.resizes == settled, "the plot is re-laid out while nothing changes"
    # The plot area is square, within the box, and as large as the labels allow.
    area = plot.getViewBox().sceneBoundingRect()
    assert abs(area.width() - area.height()) <= 1
    assert plot.width() <= holder.width() and plot.height() <= holder.height()
    assert area.width() >= 420 - 60 - 1
    holder.close()
