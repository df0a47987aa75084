"""The 2D map: the loss as colours and contour lines, each path, the minima and the downhill arrow."""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtWidgets import QGraphicsEllipseItem, QGraphicsItem

from ..controller import Frame, LossGrid
from ..core import RunStatus
from . import theme
from .frame_curve import FrameCurve
from .label_placement import declutter
from .loss_scale import LossScale
from .path_clip import frame_paths

#: Contour lines drawn, evenly spaced on the colour scale.
CONTOUR_LEVELS = 14
#: The map image is drawn this many times finer than the loss grid, for thin contour lines.
UPSAMPLE = 4
#: Shades of the colour map looked up per pixel (more than a screen shows apart).
_LUT_SIZE = 1024
#: Length of the downhill arrow as a fraction of the map's width.
ARROW_FRACTION = 0.14


class MapView(pg.PlotWidget):
    """Top-down view of the landscape. Click or drag the cross to choose where descent starts."""

    #: The user chose a start point (x, y) in the problem's own units.
    start_chosen = Signal(float, float)

    def __init__(self, parent=None) -> None:
        super().__init__(parent, enableMenu=False)  # no menu is ever built: a quarter of a plot's making
        self.setToolTip(
            "The loss seen from above: colours and contour lines show height. Click anywhere (or drag "
            "the white cross) to start descent there. The white arrow points downhill: minus the gradient."
        )
        theme.quiet_plot(self.getPlotItem())
        #: The white downhill arrow is drawn (see :meth:`set_downhill_arrow`).
        self._downhill_arrow = True
        # Equal scales on both axes: only then is steepest descent drawn perpendicular to the
        # contour lines, as the lecture draws it.
        self.getViewBox().setAspectLocked(True, ratio=1.0)
        self.image = pg.ImageItem(axisOrder="col-major")
        # The map changes only with the landscape: keep it as a pixmap, so that
        # each frame repaints just the paths and points.
        self.image.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.addItem(self.image)
        self.minima = pg.ScatterPlotItem(pxMode=True)
        self.minima.setZValue(20)
        self.addItem(self.minima)
        self.start = pg.TargetItem(pos=(0, 0), size=18, pen=pg.mkPen(theme.START_COLOR, width=2.5), movable=True)
        self.start.setZValue(30)
        self.start.sigPositionChangeFinished.connect(self._on_start_dragged)
        self.addItem(self.start)
        self.arrow_line = pg.PlotCurveItem(
            pen=pg.mkPen(theme.GRADIENT_COLOR, width=3), shadowPen=pg.mkPen(theme.GRADIENT_EDGE, width=6)
        )
        self.arrow_head = pg.ArrowItem(
            headLen=18, tipAngle=36, pen=pg.mkPen(theme.GRADIENT_EDGE, width=1.5), brush=theme.GRADIENT_COLOR
        )
        for item in (self.arrow_line, self.arrow_head):
            item.setZValue(25)
            self.addItem(item)
        self.marks = pg.ScatterPlotItem(size=13, brush=pg.mkBrush("#ffffff"), pen=pg.mkPen("#1c1c1e", width=1.5))
        self.marks.setZValue(31)  # above the start's cross: a scene's walker often starts at a marked point
        self.addItem(self.marks)
        #: Where a run left the map (a diverging run): its path ends there, with this mark.
        self.exits = pg.ScatterPlotItem(symbol="x", size=22, pen=pg.mkPen("#1c1c1e", width=1.5))
        self.exits.setZValue(27)
        self.addItem(self.exits)
        self._mark_labels: list[pg.TextItem] = []
        self._paths: list[pg.PlotCurveItem] = []
        self._points: list[QGraphicsEllipseItem] = []
        self._arrow_angle: float | None = None
        self._landscape: LossGrid | None = None
        self._frame: Frame | None = None
        #: Moves a clicked start, ``(x, y) -> (x, y)``: the basin map snaps it to its nearest start.
        self.snap_start = None
        self.scene().sigMouseClicked.connect(self._on_clicked)
        self.getViewBox().sigRangeChanged.connect(lambda *_: self._on_range())
        # A locked aspect widens the range to fill the plot as it resizes; it is fitted back
        # to the landscape each time (the map's holder keeps the plot in its proportions).
        self.getViewBox().sigResized.connect(lambda *_: self._fit_domain())
        self.getViewBox().sigResized.connect(lambda *_: declutter(self))  # a resize keeping the range too

    def set_landscape(self, landscape: LossGrid, scale: LossScale) -> None:
        self._landscape = landscape
        problem = landscape.problem
        (x0, x1), (y0, y1) = problem.domain
        self.image.setImage(contour_image(np.clip(scale(landscape.Z), 0, 1)))
        self.image.setRect(QRectF(x0, y0, x1 - x0, y1 - y0))
        spots = [
            {
                "pos": m.location,
                "symbol": "star" if m.is_global else "o",
                "size": 24 if m.is_global else 12,
                "brush": pg.mkBrush(theme.GLOBAL_MIN_COLOR if m.is_global else theme.LOCAL_MIN_COLOR),
                "pen": pg.mkPen("#1c1c1e", width=1.2),
                "data": "global minimum" if m.is_global else "local minimum",
            }
            for m in landscape.minima
        ]
        self.minima.setData(spots)
        theme.style_plot(self.getPlotItem(), problem.param_names[1], problem.param_names[0])
        self._fit_domain()
        self.getViewBox().setLimits(xMin=x0 - (x1 - x0), xMax=x1 + (x1 - x0), yMin=y0 - (y1 - y0), yMax=y1 + (y1 - y0))

    def _fit_domain(self) -> None:
        if self._landscape is not None:
            (x0, x1), (y0, y1) = self._landscape.problem.domain
            self.getViewBox().setRange(xRange=(x0, x1), yRange=(y0, y1), padding=0)

    def set_annotations(self, annotations) -> None:
        """Labelled points of a lesson scene ("A", "global minimum", ...)."""
        for label in self._mark_labels:
            self.removeItem(label)
        self._mark_labels = []
        self.marks.setData([a.at[0] for a in annotations], [a.at[1] for a in annotations])
        for a in annotations:
            text = pg.TextItem(a.label, anchor=(0.5, 1.3), color="#ffffff", fill=pg.mkBrush(28, 28, 30, 200))
            text.setFont(theme.font(1.0, bold=True))
            text.setPos(*a.at)  # the point it labels: declutter() then moves it beside that point
            text.setZValue(28)
            self.addItem(text)
            self._mark_labels.append(text)
        declutter(self)

    def set_start(self, x: float, y: float) -> None:
        self.start.setPos(QPointF(x, y))

    def show_frame(self, frame: Frame) -> None:
        self._frame = frame
        while len(self._paths) < len(frame.runs):
            color = theme.run_color(len(self._paths))
            path = FrameCurve(pen=pg.mkPen(color, width=3), antialias=False)
            point = _ball(color, 15)
            path.setZValue(15)
            point.setZValue(26)
            self.addItem(path)
            self.addItem(point)
            self._paths.append(path)
            self._points.append(point)
        domain = self._landscape.problem.domain if self._landscape is not None else None
        paths = frame_paths(frame, domain) if domain is not None else []
        exits = []
        for i, (path, point) in enumerate(zip(self._paths, self._points)):
            visible = i < len(frame.runs)
            path.setVisible(visible)
            point.setVisible(visible)
            if not visible or domain is None:
                continue
            run = frame.runs[i]
            if color := theme.recolor(path, i):
                path.setPen(pg.mkPen(color, width=3))
                point.setBrush(pg.mkBrush(color))
            shown, left_at = paths[i]
            path.setData(shown[:, 0], shown[:, 1])
            if left_at is None and len(shown):
                point.setPos(QPointF(*run.params))
            else:  # off the map: the ball would be drawn somewhere the map does not show
                point.setVisible(False)
                if left_at is not None:
                    exits.append({"pos": left_at, "brush": pg.mkBrush(theme.run_color(i))})
        self.exits.setData(exits)
        self._draw_arrow()
        declutter(self)

    def _on_range(self) -> None:
        self._draw_arrow()
        declutter(self)

    def set_downhill_arrow(self, on: bool) -> None:
        """Draw the white downhill arrow, or not: the gradient cloud draws the full gradient's
        own arrow, to its scale, and two arrows from one point read as two directions."""
        if on != self._downhill_arrow:
            self._downhill_arrow = on
            self._draw_arrow()

    def _draw_arrow(self) -> None:
        """The negative gradient at the first run's point: the direction descent goes next."""
        frame = self._frame
        if frame is None or self._landscape is None or not frame.runs:
            return
        run = frame.runs[0]
        g = np.asarray(run.grad, dtype=float)
        norm = float(np.hypot(*g))
        # A finished run's leftover gradient is rounding noise: its direction means nothing.
        # bool(): Qt takes no NumPy bool, and a NaN gradient (a formula off its real surface) gives one.
        show = bool(self._downhill_arrow and np.isfinite(norm) and norm > 0 and run.status is RunStatus.RUNNING)
        self.arrow_line.setVisible(show)
        self.arrow_head.setVisible(show)
        if not show:
            return
        (x0, x1), (y0, y1) = self._landscape.problem.domain
        # Both axes have the same scale, so −∇L drawn in the map's units is truly downhill.
        d = -g / norm * ARROW_FRACTION * max(x1 - x0, y1 - y0)
        tail = run.params
        tip = tail + d
        self.arrow_line.setData([tail[0], tip[0]], [tail[1], tip[1]])
        vb = self.getViewBox()
        a = vb.mapViewToScene(QPointF(*tail))
        b = vb.mapViewToScene(QPointF(*tip))
        angle = round(math.degrees(math.atan2(a.y() - b.y(), a.x() - b.x())))
        if angle != self._arrow_angle:  # restyling rebuilds the head's outline: only when it turns
            self._arrow_angle = angle
            self.arrow_head.setStyle(angle=angle)
        self.arrow_head.setPos(QPointF(*tip))

    def _on_clicked(self, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self._landscape is None:
            return
        vb = self.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        p = vb.mapSceneToView(event.scenePos())
        if self.snap_start is not None:
            p = QPointF(*self.snap_start(p.x(), p.y()))
        event.accept()
        self.start.setPos(p)
        self.start_chosen.emit(p.x(), p.y())

    def _on_start_dragged(self, target) -> None:
        p = target.pos()
        self.start_chosen.emit(p.x(), p.y())


def contour_image(t: np.ndarray) -> np.ndarray:
    """RGBA map of ``t`` (0..1) with light contour lines, at ``UPSAMPLE`` times the grid.

    Lines are drawn where the level band changes between neighbouring pixels:
    plain NumPy, done once per landscape (IsocurveItems took ~0.4 s on the GUI thread).
    """
    n, m = t.shape
    i, wi = _linear_weights(n, n * UPSAMPLE)
    j, wj = _linear_weights(m, m * UPSAMPLE)
    rows = t[:, j] * (1 - wj) + t[:, j + 1] * wj  # along y, then along x: bilinear
    fine = rows[i] * (1 - wi)[:, None] + rows[i + 1] * wi[:, None]
    band = np.floor(fine * (CONTOUR_LEVELS + 1))
    edge = np.zeros(fine.shape, dtype=bool)
    edge[1:, :] |= band[1:, :] != band[:-1, :]
    edge[:, 1:] |= band[:, 1:] != band[:, :-1]
    # Two pixels wide, so the lines survive the image being shown smaller than it is.
    edge[1:, :] |= edge[:-1, :].copy()
    edge[:, 1:] |= edge[:, :-1].copy()
    # Each pixel looks its colour up: 1,024 shades, then the same shades lightened for the lines
    # (10x faster than ColorMap.map, and unlike it in bytes from the start).
    lut = theme.colormap().getLookupTable(0.0, 1.0, _LUT_SIZE, alpha=True, mode="float")
    lighter = lut.copy()
    lighter[:, :3] = 0.55 * lut[:, :3] + 0.45
    table = (np.concatenate([lut, lighter]) * 255).astype(np.ubyte)
    shade = np.rint(fine * (_LUT_SIZE - 1)).astype(np.intp)
    shade[edge] += _LUT_SIZE
    return table[shade]


def _linear_weights(n: int, fine: int) -> tuple[np.ndarray, np.ndarray]:
    """For ``fine`` points spread evenly over ``0 .. n-1``: each one's left neighbour and weight."""
    x = np.linspace(0, n - 1, fine)
    left = np.minimum(x.astype(int), n - 2)
    return left, x - left


def _ball(color: str, size: float) -> QGraphicsEllipseItem:
    """A run's current point: a disc ``size`` pixels wide whatever the zoom (cheap to move)."""
    ball = QGraphicsEllipseItem(-size / 2, -size / 2, size, size)
    ball.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
    ball.setBrush(pg.mkBrush(color))
    ball.setPen(pg.mkPen("#1c1c1e", width=1.5))
    return ball
