"""Basins of attraction on the 2D map: every start of a grid coloured by where descent from it ends."""

from __future__ import annotations

from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRectF, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..controller import LossGrid, SessionController
from ..controller.background_job import BackgroundJob
from ..core import RunStatus
from ..core.basins import DEFAULT_GRID, NO_MINIMUM, BasinMap, run_basins
from . import theme
from .job_controls import JobControls
from .map_view import MapView

#: One colour per known minimum, in the order the landscape lists them (global first): the
#: Okabe-Ito colours, then Paul Tol's muted ones, all colour-blind safe. Left out: the first
#: run's vermillion (its path is drawn over the basins), black (diverged) and yellow (the
#: global minimum's star). Twelve: the most minima a shipped landscape has is 11 (a typed
#: formula with more repeats them, in order).
MINIMUM_COLORS = (
    "#0072B2", "#E69F00", "#56B4E9", "#CC79A7", "#009E73", "#882255",
    "#DDCC77", "#332288", "#999933", "#44AA99", "#CC6677", "#117733",
)  # fmt: skip
#: Starts that reached no known minimum, by why.
DIVERGED_COLOR = "#000000"
RUNNING_COLOR = "#f2f2f2"
STUCK_COLOR = "#8c8c8c"
#: Opacity of the basins over the map: the contour lines show faintly through.
OPACITY = 0.88
#: Steps each start is given unless the user says otherwise.
DEFAULT_STEPS = 500
GRID_SIZES = (128, 256, 512)
#: Colour-by-loss key: this many swatches.
LOSS_SWATCHES = 5


class BasinOverlay(QWidget):
    """Controls, key and the map picture of a basin map for the current optimiser and settings.

    The picture is an image over the map (under the paths and minima). While
    it is shown, a click on the map snaps the start to the nearest grid start
    and runs from there: the run ends where that start's colour says.
    """

    #: A sentence for the message banner.
    refused = Signal(str)
    #: The basins were drawn, recoloured, hidden or dropped: a key shown elsewhere follows.
    drawn = Signal()

    def __init__(self, controller: SessionController, map_view: MapView, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.map_view = map_view
        self.job = BackgroundJob("basin map", self)
        self.image = pg.ImageItem(axisOrder="col-major")
        self.image.setZValue(5)
        self.image.setOpacity(OPACITY)
        self.image.hide()
        map_view.addItem(self.image)
        self.grid = QComboBox()
        for n in GRID_SIZES:
            self.grid.addItem(f"{n} × {n}", n)
        self.grid.setCurrentIndex(GRID_SIZES.index(DEFAULT_GRID))
        self.steps = QSpinBox()
        self.steps.setRange(1, 100_000)
        self.steps.setValue(DEFAULT_STEPS)
        self.steps.setGroupSeparatorShown(True)
        self.by_minimum = QRadioButton("the minimum reached")
        self.by_loss = QRadioButton("the final loss")
        self.by_minimum.setChecked(True)
        self.colour_by = QButtonGroup(self)
        for button in (self.by_minimum, self.by_loss):
            self.colour_by.addButton(button)
        self.shown = QCheckBox("Show on the map")
        self.shown.setChecked(True)
        self.controls = JobControls(self.job, "Compute basins")
        self.summary = QLabel("Compute basins to colour every start of the map by where descent from it ends.")
        self.summary.setWordWrap(True)
        self.key = QLabel()
        self.key.setWordWrap(True)
        form = QGridLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addWidget(QLabel("Starts"), 0, 0)
        form.addWidget(self.grid, 0, 1)
        form.addWidget(QLabel("Steps each"), 1, 0)
        form.addWidget(self.steps, 1, 1)
        form.addWidget(QLabel("Colour by"), 2, 0)
        form.addWidget(self.by_minimum, 2, 1)
        form.addWidget(self.by_loss, 3, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(form)
        layout.addWidget(self.controls)
        layout.addWidget(self.shown)
        layout.addWidget(self.summary)
        layout.addWidget(self.key)
        layout.addStretch(1)
        #: The basin map drawn.
        self.basins: BasinMap | None = None
        self._asked = self._pending = ""
        self.controls.run_requested.connect(self.run)
        self.job.finished.connect(lambda basins: self.show_basins(basins, self._pending))
        self.job.failed.connect(self.refused)
        self.job.cancelled.connect(self._on_cancelled)
        self.colour_by.buttonToggled.connect(lambda *_: self._draw())
        self.shown.toggled.connect(lambda _: self._draw())
        controller.landscape_changed.connect(self._on_landscape)
        map_view.start_chosen.connect(self._on_start_chosen)

    # --- asking ------------------------------------------------------------------------

    def run(self) -> None:
        """A basin map of the current set-up (replacing one under way)."""
        c = self.controller
        if c.landscape is None or c.is_loading:
            self.refused.emit("the landscape is still loading: compute the basins once it is drawn")
            return
        setup, n, steps = c.state.setup, self.grid.currentData(), self.steps.value()
        self.job.start(partial(run_basins, setup, n, steps, problem=c.landscape.problem))
        self.controls.show_busy()
        lr = setup.lr if setup.lr is not None else c.landscape.problem.suggested_lr
        self._pending = f"{setup.optimizer}, λ {lr:g}, {c.method}, {steps:,} steps"
        self.summary.setText(f"Running {setup.optimizer} from {n * n:,} starts ({self._pending})…")

    # --- drawing -----------------------------------------------------------------------

    def show_basins(self, basins: BasinMap, asked: str = "") -> None:
        """Draw ``basins`` over the map, with its key."""
        self.basins, self._asked = basins, asked
        self.shown.setChecked(True)
        self._draw()

    def colors(self) -> np.ndarray:
        """RGBA of each start, ``(n, n, 4)`` in the map's layout (``[i, j]`` for ``(xs[i], ys[j])``)."""
        b = self.basins
        o = b.outcomes
        if self.by_loss.isChecked():
            rgba = _loss_colors(o.loss, self._loss_range())
        else:
            palette = np.array([_rgba(MINIMUM_COLORS[i % len(MINIMUM_COLORS)]) for i in range(max(len(b.minima), 1))])
            rgba = palette[np.maximum(b.minimum, 0)]
            none = b.minimum == NO_MINIMUM
            rgba[none & (o.status == RunStatus.RUNNING)] = _rgba(RUNNING_COLOR)
            rgba[none & (o.status != RunStatus.RUNNING)] = _rgba(STUCK_COLOR)
        rgba[o.status == RunStatus.DIVERGED] = _rgba(DIVERGED_COLOR)
        return rgba.reshape(len(b.xs), len(b.ys), 4)

    def _loss_range(self) -> tuple[float, float, bool]:
        """Lowest and highest final loss, and whether the colours follow its logarithm."""
        loss = self.basins.outcomes.loss
        finite = loss[np.isfinite(loss)]
        if not finite.size:
            return 0.0, 1.0, False
        lo, hi = float(finite.min()), float(finite.max())
        return lo, hi, lo > 0 and hi / lo > 100

    def _draw(self) -> None:
        b = self.basins
        visible = b is not None and self.shown.isChecked()
        self.image.setVisible(visible)
        self.map_view.snap_start = self.nearest_start if visible else None
        if b is None:
            self.drawn.emit()
            return
        self.image.setImage((self.colors() * 255).astype(np.ubyte), autoLevels=False)
        dx = (b.xs[-1] - b.xs[0]) / (len(b.xs) - 1)
        dy = (b.ys[-1] - b.ys[0]) / (len(b.ys) - 1)
        self.image.setRect(QRectF(b.xs[0] - dx / 2, b.ys[0] - dy / 2, dx * len(b.xs), dy * len(b.ys)))
        self.summary.setText(self._said())
        self.key.setText("<br>".join(self.key_entries()))
        self.drawn.emit()

    def _said(self) -> str:
        b, o = self.basins, self.basins.outcomes
        n = len(b.xs)
        head = f"{self._asked}: " if self._asked else ""
        return (
            f"{head}{n} × {n} starts. Each start is coloured by where descent from it ends. "
            "While basins are shown, click a start to run from it."
        ) + ("" if o.count(RunStatus.RUNNING) == 0 else f" {o.count(RunStatus.RUNNING):,} starts were still moving.")

    def key_entries(self) -> list[str]:
        """The key, one rich-text entry per colour: what it means and the share of starts it has."""
        b, o = self.basins, self.basins.outcomes
        total = len(o)

        def entry(color: str, text: str, count: int, glyph: str = "■") -> str:
            return f"<span style='color:{color}'>{glyph}</span>&nbsp;{text}: {100 * count / total:.1f}%"

        rows = []
        if self.by_loss.isChecked():
            lo, hi, log = self._loss_range()
            values = np.geomspace(lo, hi, LOSS_SWATCHES) if log else np.linspace(lo, hi, LOSS_SWATCHES)
            swatches = [_hex(c) for c in _loss_colors(values, (lo, hi, log))]
            rows.append(
                "final loss"
                + ("" if not log else " (log scale)")
                + ":&nbsp; "
                + "&nbsp; ".join(f"<span style='color:{c}'>■</span>&nbsp;{v:.3g}" for c, v in zip(swatches, values))
            )
        else:
            sizes = b.basin_sizes()
            for i, m in enumerate(b.minima):
                where = ", ".join(f"{v:.3g}" for v in m.location)
                kind = "global" if m.is_global else "local"
                color = MINIMUM_COLORS[i % len(MINIMUM_COLORS)]
                rows.append(entry(color, f"{kind} minimum ({where})", sizes.get(i, 0)))
            none = b.minimum == NO_MINIMUM
            moving = int(np.count_nonzero(none & (o.status == RunStatus.RUNNING)))
            stuck = int(np.count_nonzero(none & (o.status == RunStatus.STUCK)))
            if moving:
                # Near white: drawn as an outline in the key, or it would not show on the panel.
                rows.append(entry("#1c1c1e", f"no minimum yet after {b.budget:,} steps", moving, "□"))
            if stuck:
                rows.append(entry(STUCK_COLOR, "stopped elsewhere (a saddle or a plateau)", stuck))
        if o.count(RunStatus.DIVERGED):
            rows.append(entry(DIVERGED_COLOR, "diverged", o.count(RunStatus.DIVERGED)))
        return rows

    def nearest_start(self, x: float, y: float) -> tuple[float, float]:
        """The grid start nearest ``(x, y)``: the start whose colour is under the click."""
        b = self.basins
        return float(b.xs[np.argmin(np.abs(b.xs - x))]), float(b.ys[np.argmin(np.abs(b.ys - y))])

    # --- controller signals ------------------------------------------------------------

    def _on_start_chosen(self, x: float, y: float) -> None:
        if self.image.isVisible():  # the start clicked runs at once, to show where its colour leads
            self.controller.set_start(x, y)  # (the window sets it too: the same start twice is one load)
            self.controller.play()

    def _on_cancelled(self) -> None:
        if self.basins is None:
            self.summary.setText("Basin map cancelled.")
        else:
            self.summary.setText("Basin map cancelled; shown: the last finished one. " + self._said())

    def _on_landscape(self, landscape: LossGrid) -> None:
        """Basins of another landscape no longer apply."""
        self.job.cancel()
        self.basins = None
        self._draw()
        self.summary.setText("Compute basins to colour every start of the map by where descent from it ends.")
        self.key.setText("")


def _rgba(color: str) -> np.ndarray:
    c = QColor(color)
    return np.array([c.redF(), c.greenF(), c.blueF(), 1.0])


def _hex(rgba: np.ndarray) -> str:
    r, g, b = (round(255 * v) for v in rgba[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _loss_colors(loss: np.ndarray, loss_range: tuple[float, float, bool]) -> np.ndarray:
    """Viridis of each loss over ``(lo, hi, log)``, ``(K, 4)``; not finite: black, as diverged."""
    lo, hi, log = loss_range
    loss = np.asarray(loss, dtype=float)
    with np.errstate(all="ignore"):
        t = (np.log(loss / lo) / np.log(hi / lo)) if log else (loss - lo) / max(hi - lo, 1e-300)
    t = np.clip(np.nan_to_num(t, nan=0.0), 0.0, 1.0)
    rgba = theme.colormap().map(t, mode="float").reshape(-1, 4).copy()
    rgba[~np.isfinite(loss)] = _rgba(DIVERGED_COLOR)
    return rgba
