"""The noise of a mini-batch gradient, on the map: many batches' gradients around the full one.

At the first run's point, each dot is minus the gradient of one mini-batch of
the current batch size (the very batches the run draws), the dark arrow minus
the full gradient, and the ellipse holds two standard deviations of the dots.
All are drawn to one scale, so the dots' spread against the arrow's length is
the noise against the signal. The numbers set the measured spread beside
sampling theory's σ/√B.
"""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from ..controller import Frame, SessionController
from ..controller.background_job import BackgroundJob
from ..core.gradient_cloud import WINDOW_BATCHES, GradientCloud, gradient_cloud
from . import theme
from .map_view import MapView

#: The arrow's head, in pixels, and the shortest arrow (pixels) that has one: shorter, it is a stub
#: under the run's ball (the gradient has all but vanished).
HEAD_PX = 20
SHORTEST_HEAD_PX = 8
#: A gradient as long as the landscape's typical one (the median over its map) is drawn this
#: fraction of the map's width; shorter ones shorter, so near a minimum the arrow shrinks ...
ARROW_FRACTION = 0.3
#: ... and longer ones, or a large spread, shrink the scale so the cloud stays on the map: the
#: scale is set by the largest of the typical gradient, this one and this many times the spread.
SPREAD_FIT = 2.5
#: The ellipse: this many standard deviations about the full gradient.
ELLIPSE_SIGMAS = 2.0
DOT_COLOR = "#56B4E9"
LINE_COLOR = "#1c1c1e"
EDGE_COLOR = "#ffffff"


class GradientCloudView(QWidget):
    """The numbers of the cloud (a dock's panel), and its picture on the map while it is on."""

    #: A sentence for the message banner.
    refused = Signal(str)

    def __init__(self, controller: SessionController, map_view: MapView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.map_view = map_view
        #: The landscape whose typical gradient length was measured, and that length.
        self._yardstick: tuple[object, float] = (None, 0.0)
        self.job = BackgroundJob("gradient cloud", self)
        self.enabled = QCheckBox("Show mini-batch gradients on the map")
        self.numbers = QLabel()
        self.numbers.setWordWrap(True)
        self.numbers.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.enabled)
        layout.addWidget(self.numbers)
        layout.addStretch(1)
        self.dots = pg.ScatterPlotItem(size=11, brush=pg.mkBrush(DOT_COLOR), pen=pg.mkPen(LINE_COLOR, width=1))
        self.ellipse = pg.PlotCurveItem(
            pen=pg.mkPen(LINE_COLOR, width=3, style=Qt.PenStyle.DashLine),
            shadowPen=pg.mkPen(EDGE_COLOR, width=6),
        )
        self.arrow_line = pg.PlotCurveItem(pen=pg.mkPen(LINE_COLOR, width=4), shadowPen=pg.mkPen(EDGE_COLOR, width=7))
        edge = pg.mkPen(EDGE_COLOR, width=1.5)
        self.arrow_head = pg.ArrowItem(headLen=HEAD_PX, tipAngle=36, pen=edge, brush=LINE_COLOR)
        for z, item in enumerate((self.dots, self.ellipse, self.arrow_line, self.arrow_head)):
            item.setZValue(21 + z * 0.1)  # above the paths and minima, under the run's ball and start
            item.hide()
            map_view.addItem(item)
        _fit_title(map_view.getPlotItem())
        #: The cloud drawn, and the request it answers.
        self.cloud: GradientCloud | None = None
        #: The full gradient's arrow is long enough on screen to carry a head.
        self._head = False
        self._drawn_for = None
        self._asked_for = None
        self._waiting = None
        self.enabled.toggled.connect(self._on_toggled)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self._on_failed)
        controller.frame_ready.connect(self._on_frame)
        controller.state_changed.connect(lambda _: self._update())
        controller.landscape_changed.connect(lambda _: self._update())
        self._on_toggled(False)

    def set_enabled(self, on: bool) -> None:
        """Show or hide the cloud (the menu, a lesson scene)."""
        self.enabled.setChecked(on)

    # --- asking ------------------------------------------------------------------------

    def _request(self):
        """What the cloud should show now: ``(landscape, point, batch size, seed)``, or a reason it cannot."""
        c = self.controller
        if c.landscape is None or c.frame is None or not c.frame.runs:
            return None
        problem = c.landscape.problem
        if not problem.is_dataset:
            return f"{problem.name} has no data samples: every step uses the exact gradient, so there is no noise."
        point = np.asarray(c.frame.runs[0].params, dtype=float)
        if not np.isfinite(point).all():
            return "the run has left the map: there is no point to take the gradients at."
        setup = c.state.setup
        return (c.landscape, tuple(point.tolist()), setup.batch_size or problem.n_samples, setup.seed)

    def _update(self) -> None:
        """Ask for the cloud at the current point if it is not the one drawn or being computed.

        One job at a time: a request made meanwhile waits, and a newer one replaces it.
        """
        if not self.enabled.isChecked() or self.controller.is_loading:
            return
        wanted = self._request()
        if isinstance(wanted, str) or wanted is None:
            self._show_items(False)
            self.numbers.setText(wanted or "")
            return
        if wanted in (self._drawn_for, self._asked_for):
            return
        if self.job.busy:
            self._waiting = wanted
            return
        landscape, point, size, seed = wanted
        self._asked_for = wanted
        self.job.start(partial(gradient_cloud, landscape.problem, point, size, WINDOW_BATCHES, seed), chunked=False)

    # --- drawing -----------------------------------------------------------------------

    def show_cloud(self, cloud: GradientCloud) -> None:
        """Draw ``cloud`` at its point, and its numbers."""
        self.cloud = cloud
        landscape = self.controller.landscape
        domain = landscape.problem.domain if landscape else ((0, 1), (0, 1))
        width = max(domain[0][1] - domain[0][0], domain[1][1] - domain[1][0])
        g = cloud.full_gradient
        length = float(np.hypot(*g))
        if landscape is not None and self._yardstick[0] is not landscape:
            self._yardstick = (landscape, typical_gradient(landscape))  # once a landscape
        typical = self._yardstick[1] if landscape is not None else 0.0
        scale = ARROW_FRACTION * width / max(typical, length, SPREAD_FIT * cloud.spread, 1e-300)
        p = cloud.point
        dots = p - scale * cloud.gradients
        self.dots.setData(dots[:, 0], dots[:, 1])
        ring = p - scale * cloud.ellipse(ELLIPSE_SIGMAS)
        self.ellipse.setData(ring[:, 0], ring[:, 1])
        tip = p - scale * g
        self.arrow_line.setData([p[0], tip[0]], [p[1], tip[1]])
        self.arrow_head.setPos(QPointF(*tip))
        # The head points from the tail to the tip on screen, where y grows downwards; it is never
        # longer than half the arrow: near a minimum a full-size head on a short arrow showed only
        # its back beside the ball, a wedge pointing the other way.
        box = self.map_view.getViewBox()
        pixels = math.dist(box.mapViewToScene(QPointF(*p)).toTuple(), box.mapViewToScene(QPointF(*tip)).toTuple())
        self.arrow_head.setStyle(angle=math.degrees(math.atan2(-g[1], g[0])), headLen=min(HEAD_PX, pixels / 2))
        self._head = pixels >= SHORTEST_HEAD_PX
        #: Map units per gradient unit of the picture (tests read the dots back with it).
        self.scale = scale
        self._show_items(self.enabled.isChecked())
        self.numbers.setText(self.describe(cloud))
        self._show_headline(cloud)

    @staticmethod
    def headline(cloud: GradientCloud) -> str:
        """Two short lines above the map: the batch size, the spread measured and predicted
        (the panel and the lesson's caption say how it falls with B)."""
        theory = _number(cloud.theory_spread())
        return f"B = {cloud.batch_size:,}: spread {_number(cloud.spread)}<br>theory {theory}"

    @staticmethod
    def describe(cloud: GradientCloud) -> str:
        """The numbers, in words, for the panel."""
        b, n = cloud.batch_size, cloud.n_samples
        gx, gy = cloud.full_gradient
        lines = [
            f"<b>Batch size B = {b:,}</b> of N = {n:,} samples; {len(cloud.gradients)} batches drawn, "
            "as a run with this seed draws them.",
            f"Full gradient: ({gx:.3g}, {gy:.3g}), length {np.hypot(gx, gy):.3g} (dark arrow, as −gradient).",
            f"Spread of the batch gradients about it (root mean square): <b>{_number(cloud.spread)}</b>.",
            f"Sampling theory, σ/√B · √((N−B)/(N−1)): <b>{_number(cloud.theory_spread())}</b>.",
        ]
        others = sorted({1, 8, 32, 256, b} - {b} & set(range(1, n)))
        if others:
            lines.append(
                "Theory for other sizes: "
                + ", ".join(f"B = {k:,}: {cloud.theory_spread(k):.3g}" for k in others)
                + ". Four times the batch, half the spread."
            )
        lines.append(f"Dots: −gradient of each batch; dashed ellipse: {ELLIPSE_SIGMAS:g} standard deviations.")
        return "<br>".join(lines)

    def _show_headline(self, cloud: GradientCloud) -> None:
        plot = self.map_view.getPlotItem()
        plot.setTitle(self.headline(cloud), color=LINE_COLOR)
        theme.restyle_plot(plot)

    def _show_items(self, on: bool) -> None:
        for item in (self.dots, self.ellipse, self.arrow_line):
            item.setVisible(on)
        self.arrow_head.setVisible(on and self.cloud is not None and self._head)
        self.map_view.set_downhill_arrow(not on)  # this arrow is the full gradient: one arrow, not two
        if not on:
            self.map_view.getPlotItem().setTitle(None)
            theme.restyle_plot(self.map_view.getPlotItem())

    # --- signals -----------------------------------------------------------------------

    def _on_toggled(self, on: bool) -> None:
        if not on:
            self.job.cancel()
            self._asked_for = self._waiting = None
            self._show_items(False)
            self.numbers.setText("Shows, at the run's point, the gradients of many mini-batches around the full one.")
            return
        if self.cloud is not None and self._drawn_for == self._request():
            self._show_items(True)
            self._show_headline(self.cloud)
            self.numbers.setText(self.describe(self.cloud))
        self._update()

    def _on_frame(self, frame: Frame) -> None:
        if self.enabled.isChecked():
            self._update()

    def _on_finished(self, cloud: GradientCloud) -> None:
        answered, self._asked_for = self._asked_for, None
        # A cloud of a landscape since replaced is not drawn: its scale and place are of another map.
        if self.enabled.isChecked() and answered is not None and answered[0] is self.controller.landscape:
            self._drawn_for = answered
            self.show_cloud(cloud)
        if self._waiting is not None:
            self._waiting = None
            self._update()

    def _on_failed(self, message: str) -> None:
        self._asked_for = self._waiting = None
        self.refused.emit(message)


def _fit_title(plot: pg.PlotItem) -> None:
    """Give the map's title the height of its lines and let it be narrower than its text,
    whenever its text or size is set.

    pyqtgraph gives a title one fixed row of 30 px, which cuts off two lines, or one in
    the presentation view's type. And a label asks its layout for its text's width: a title
    wider than the map would widen the whole plot past the box that keeps its equal scales,
    cutting off the right of the map. Restyling (Ctrl+, the presentation view) sets the text
    again, so both are done each time the label fits itself to its text.
    """
    title = plot.titleLabel
    fit = title.updateMin

    def fit_lines_not_width() -> None:
        fit()
        title.setMinimumWidth(0)
        if title.isVisible():
            height = title.itemRect().height()
            title.setMaximumHeight(height)
            plot.layout.setRowFixedHeight(0, height)

    title.updateMin = fit_lines_not_width


def _number(spread: float) -> str:
    """A spread in 3 digits; rounding noise (a full batch's 1e-15) as the 0 it is."""
    return "0" if spread < 1e-12 else f"{spread:.3g}"


def typical_gradient(landscape) -> float:
    """The median length of the loss's gradient over the landscape's map (from its grid):
    the cloud's yardstick, so one landscape's arrows compare from point to point."""
    with np.errstate(all="ignore"):
        gx, gy = np.gradient(landscape.Z, landscape.xs, landscape.ys)
        lengths = np.hypot(gx, gy)
    finite = lengths[np.isfinite(lengths)]
    return float(np.median(finite)) if finite.size else 0.0
