"""Loss against steps, epochs or samples processed: bold full-data loss, thin batch loss."""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QCheckBox, QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from ..controller import Frame, LossGrid
from ..core import RunStatus
from . import theme
from .envelope import BINS, Envelope
from .frame_curve import FrameCurve
from .path_clip import path_points
from .steady_label import SteadyLabel

X_AXES = {"Steps": "step", "Epochs": "epoch", "Samples processed": "samples"}
#: The batch loss's pen, in pixels: a see-through 1 px line vanished on a projector; this wide,
#: its zig-zags between each bin's lowest and highest value fill a faint band under the bold curve.
BAND_PX = 4
#: Zoomed in to at most this many rows, the curves are thinned afresh for the rows in view.
IN_VIEW_ROWS = 200_000
#: Said under the plot when a loss at the lowest loss itself (0 above it: no place on a log axis)
#: is drawn at the axis's bottom edge.
FLOOR_NOTE = "a loss at the lowest loss itself is drawn on the bottom edge"


class LossCurveView(QWidget):
    """How the loss fell. Stays smooth with millions of steps: curves are min/max-thinned as they grow."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.plot = pg.PlotWidget(enableMenu=False, axisItems={"bottom": _CountAxis("bottom")})
        item = self.plot.getPlotItem()
        item.setMenuEnabled(False)
        self.plot.setToolTip(
            "Bold: the loss over all the data after each step. Thin: the loss on the batch the step "
            "used, which is noisy when batches are small. Scroll to zoom into any stretch of the run "
            "(every step there is drawn), drag to pan; double-click to see the whole run again."
        )
        self.x_axis = QComboBox()
        self.x_axis.addItems(list(X_AXES))
        # Beside the map on a laptop (1366x768, a lesson's docks open) the choice may shrink to its
        # shorter names, eliding "Samples processed", rather than narrow the map to 250 px.
        self.x_axis.setMinimumWidth(self.x_axis.fontMetrics().horizontalAdvance("Samples") + 40)
        self.x_axis.setToolTip(
            "Plot against steps (updates), epochs (passes through the data) or samples processed "
            "(the work done): the fair way to compare batch sizes."
        )
        self.log_scale = QCheckBox("Log scale")
        self.log_scale.setChecked(True)
        self.log_scale.setToolTip(
            "Show the loss on a logarithmic axis, so slow progress near the bottom stays visible."
        )
        self.caption = SteadyLabel("loss -8.888e+888")
        #: What the curves are, said beside the plot rather than over them (runs' colours are
        #: named once for all the views, above them).
        self.key = QLabel()
        self.key.setWordWrap(True)
        # Two rows, so that beside the map on a laptop screen (1366x768) the curve asks for no more
        # width than its axis choice: the key and the loss readout go under it, where the key wraps.
        controls = QHBoxLayout()
        controls.addWidget(QLabel("Loss against"))
        controls.addWidget(self.x_axis)
        controls.addWidget(self.log_scale)
        controls.addStretch(1)
        notes = QHBoxLayout()
        notes.addWidget(self.key, 1)
        notes.addWidget(self.caption)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(controls)
        layout.addLayout(notes)
        layout.addWidget(self.plot, 1)
        #: Each run's curves. Plain curve items, given the log of the loss on a log axis: a
        #: PlotDataItem's own log mapping and bookkeeping cost ten times as much a frame.
        self._full: list[FrameCurve] = []
        self._batch: list[FrameCurve] = []
        self._landscape: LossGrid | None = None
        self._frame: Frame | None = None
        self._offset = 0.0
        self._x_max = 0.0
        self._y_range: tuple[float, float] | None = None
        self._x_name = "step"
        self._floor = 0.0
        #: Some loss drawn was at or below the lowest loss, so drawn at the log axis's floor.
        self._floored = False
        self._running = False
        self._y_titles: tuple[str, ...] = ("loss",)
        self._thinned: list[_Thinned] = []
        #: The user zoomed or panned: the axes stay where they put them, and the curves are
        #: thinned afresh for the stretch in view.
        self.zoomed = False
        self._zoomed_before = False
        view = item.getViewBox()
        view.sigRangeChangedManually.connect(self._on_zoom)
        view.sigResized.connect(lambda *_: self._on_plot_resized())
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        self.x_axis.currentIndexChanged.connect(self._restyle)
        self.log_scale.toggled.connect(self._restyle)

    def set_landscape(self, landscape: LossGrid) -> None:
        self._landscape = landscape
        is_dataset = landscape.problem.is_dataset
        if not is_dataset:
            self.x_axis.setCurrentIndex(0)
        self.x_axis.setEnabled(is_dataset)
        # A log axis needs positive values: plot the height above the lowest known loss
        # (or, with no minimum known, the lowest point of the map).
        best = landscape.problem.global_min_value
        if not np.isfinite(best):
            best = float(np.nanmin(landscape.Z))
        self._offset = best if best <= 0 else 0.0
        # On a log axis a loss at (or below) the lowest loss has no place: it is drawn at a floor a
        # decade below the lowest positive value drawn, or, with none, far below the map's range.
        self._floor = 1e-12 * max(float(np.ptp(landscape.Z[np.isfinite(landscape.Z)])), 1e-300)
        self._frame = None
        self._x_max = 0.0
        self._y_range = None
        self._thinned = []
        self.zoomed = False
        self._ensure_curves(0)
        self._restyle()

    def _ensure_curves(self, n: int) -> None:
        while len(self._full) > n:
            for item in (self._full.pop(), self._batch.pop()):
                self.plot.removeItem(item)
        while len(self._full) < n:
            color = theme.run_color(len(self._full))
            # Thick antialiased polylines cost tens of ms a frame in Qt's raster engine.
            batch = FrameCurve(pen=pg.mkPen(_faint(color), width=BAND_PX), antialias=False, connect="finite")
            full = FrameCurve(pen=pg.mkPen(color, width=3), antialias=False, connect="finite")
            self.plot.addItem(batch)
            self.plot.addItem(full)
            full.run_color = color
            self._full.append(full)
            self._batch.append(batch)

    def show_frame(self, frame: Frame) -> None:
        if len(frame.runs) != len(self._full):
            self._ensure_curves(len(frame.runs))
        for i, (full, batch) in enumerate(zip(self._full, self._batch)):
            if color := theme.recolor(full, i):
                full.setPen(pg.mkPen(color, width=3))
                batch.setPen(pg.mkPen(_faint(color), width=BAND_PX))
        self._frame = frame
        self._redraw()
        noisy = any(b.isVisible() for b in self._batch)
        notes = ["bold: loss on all the data · faint: loss on each step's batch"] if noisy else []
        if self._floored:
            notes.append(FLOOR_NOTE)
        self.key.setText(" · ".join(notes))

    def _restyle(self) -> None:
        """Apply the chosen x axis and log scale, then draw again."""
        log = self.log_scale.isChecked()
        item = self.plot.getPlotItem()
        if log != item.ctrl.logYCheck.isChecked():
            self._y_range = None
        item.setLogMode(y=log)
        if not log:
            item.getAxis("left").setTicks(None)  # pyqtgraph's own ticks; log ones are set with the range
        x_name = list(X_AXES.values())[self.x_axis.currentIndex()]
        if x_name != self._x_name:
            self._x_max = 0.0  # another unit on the x axis: start the range again
            self._thinned = []
            self.zoomed = False
        self._x_name = x_name
        item.getAxis("bottom").whole = x_name != "epoch"
        self._y_titles = ("loss − lowest loss", "loss − min") if log and self._offset else ("loss",)
        theme.style_plot(item, self._fitting_y_title(), self.x_axis.currentText().lower())
        self._redraw()

    def _redraw(self) -> None:
        frame, landscape = self._frame, self._landscape
        if frame is None or landscape is None:
            return
        log = self.log_scale.isChecked()
        offset = self._offset if log else 0.0
        if len(self._thinned) != len(frame.runs):
            # A race's curves share the plot's width: each keeps fewer points (see path_points).
            bins = path_points(BINS, len(frame.runs))
            self._thinned = [_Thinned(bins) for _ in frame.runs]
        in_view = self.plot.getPlotItem().getViewBox().viewRange()[0] if self.zoomed else None
        curves = []  # (run's curve, its batch curve or None, x, y, batch x, batch y)
        for run, thinned, full, batch in zip(frame.runs, self._thinned, self._full, self._batch):
            h = run.history
            # A full batch's "batch loss" is just the loss one step earlier: only noisy batches get a curve.
            # Runs compared side by side are compared on the full-data loss: a one-sample batch loss
            # far below it would read as that run winning.
            samples = h.column("samples")
            noisy = bool(landscape.problem.is_dataset and len(samples) > 1 and samples[1] < landscape.problem.n_samples)
            noisy = noisy and len(frame.runs) == 1
            # A larger batch's smoother curve is drawn over a smaller one's noisy band, not hidden in it.
            full.setZValue(float(samples[1] - samples[0]) if len(samples) > 1 else 0.0)
            (x, y), batch_curve = thinned.update(h, self._x_name, batch=noisy)
            rows = _rows_in_view(h, self._x_name, *in_view) if in_view is not None else None
            if rows is not None:
                x, y = _thinned_rows(h, self._x_name, "loss", rows)
                batch_curve = _thinned_rows(h, self._x_name, "batch_loss", rows) if noisy else None
            if batch_curve is None:  # not drawn
                curves.append((full, None, x, y - offset, None, None))
            else:
                curves.append((full, batch, x, y - offset, batch_curve[0], batch_curve[1] - offset))
            batch.setVisible(noisy)
        floor = _log_floor([c[3] for c in curves] + [c[5] for c in curves if c[1] is not None], self._floor)
        shown, floored = [], False
        for full, batch, x, y, bx, by in curves:
            for item, cx, cy in ((full, x, y), (batch, bx, by)):
                if item is None:
                    continue
                if log:
                    floored = floored or bool(np.any(cy < floor))
                    cy = np.maximum(cy, floor)
                item.setData(cx, np.log10(cy) if log else cy)
                shown.append(cy)
        self._floored = log and floored
        if not self.zoomed:
            last = max(float(r.history.column(self._x_name)[-1]) for r in frame.runs)
            stopped = not self._running or all(r.status is not RunStatus.RUNNING for r in frame.runs)
            self._grow_x_range(last, fit=stopped)
            self._snap_y_range(log, shown)
        # One run's loss, beside the curve; a race's are each its own (the readouts name the run shown).
        self.caption.setVisible(len(frame.runs) == 1)
        self.caption.setText(f"loss {frame.runs[0].loss:.4g}")

    def _fitting_y_title(self) -> str:
        """The longest y axis title that fits the plot's height: a clipped title says nothing."""
        room = self.plot.getPlotItem().getViewBox().height() - 8
        metrics = QFontMetrics(theme.font(theme.AXIS_TITLE))
        fitting = [t for t in self._y_titles if metrics.horizontalAdvance(t) <= room]
        return fitting[0] if fitting else self._y_titles[-1]

    def _on_plot_resized(self) -> None:
        axis = self.plot.getPlotItem().getAxis("left")
        title = self._fitting_y_title()
        if title != axis.labelText:
            axis.setLabel(title, **{"font-size": theme.css_size(theme.AXIS_TITLE)})

    def set_running(self, running: bool) -> None:
        """Whether steps are being taken: once they stop, the x axis fits the run exactly."""
        if running != self._running:
            self._running = running
            if not running:
                self._redraw()

    def hold_axes(self, on: bool) -> None:
        """While held, the axes keep their range, as when zoomed, and frames draw into them
        (an animation of a run grows into the axes of the whole run)."""
        if on:
            self._zoomed_before, self.zoomed = self.zoomed, True
        else:
            self.zoomed = self._zoomed_before
            self._redraw()

    def _on_zoom(self, *_) -> None:
        self.zoomed = True
        self._redraw()

    def _on_click(self, event) -> None:
        if event.double():  # back to the whole run, with the axes following it again
            self.zoomed = False
            self._x_max = 0.0
            self._y_range = None
            self._redraw()

    def _snap_y_range(self, log: bool, shown: list[np.ndarray]) -> None:
        """Fit y to the curves with a small margin. The axis moves only when a curve leaves it
        or fills less than half of it (calmer to watch, and axes are costly to lay out), so it
        never runs past twice the data it shows."""
        values = [y[np.isfinite(y)] for y in shown]
        values = [v for v in values if len(v)]
        if not values:
            return
        lo, hi = min(float(v.min()) for v in values), max(float(v.max()) for v in values)
        if log:
            lo, hi = np.log10(max(lo, 1e-300)), np.log10(max(hi, 1e-300))
            least = 1.0  # a decade at least, so a flat curve still gets a labelled tick
        else:
            least = 1e-9 * max(abs(lo), abs(hi), 1e-300)
        if self._y_range is not None:
            old_lo, old_hi = self._y_range
            # A flat curve fills its least span (not its own), or the axis would move every frame.
            if old_lo <= lo and hi <= old_hi and max(hi - lo, least) >= 0.55 * (old_hi - old_lo):
                return
        span = max(hi - lo, least)
        middle = (lo + hi) / 2
        lo, hi = min(lo, middle - span / 2), max(hi, middle + span / 2)
        # Room below for a loss still falling, so the axis is not laid out again every frame.
        self._y_range = (lo - 0.25 * span, hi + 0.08 * span)  # the top tick label not cut off
        item = self.plot.getPlotItem()
        item.setYRange(*self._y_range, padding=0)
        if log:
            item.getAxis("left").setTicks([log_ticks(*self._y_range), []])

    def _grow_x_range(self, last: float, fit: bool) -> None:
        """While runs go on, widen the x axis to a round number ahead of them, only when they
        reach its end; once every run has stopped (``fit``), fit it to the runs."""
        if fit:
            x_max = max(last, 1.0)
        elif self._x_max / 2 < last <= self._x_max:
            return
        else:
            x_max = _round_up(max(last, 8.0) * 1.5)
        if x_max == self._x_max:
            return
        self._x_max = x_max
        self.plot.getPlotItem().setXRange(0, self._x_max, padding=0.02)


_SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")


def log_ticks(lo: float, hi: float) -> list[tuple[float, str]]:
    """Labelled ticks for a log axis from 10^lo to 10^hi: whole decades (at most six), or 1, 2
    and 5 times a power of ten where fewer than two decades show. Large type has no room for
    pyqtgraph's labels at 2, 3, ... 9 of every decade."""
    decades = list(range(int(np.ceil(lo)), int(np.floor(hi)) + 1))
    if len(decades) >= 2:
        every = int(np.ceil(len(decades) / 6))
        shown = decades[::every]
        powers = any(abs(d) > 2 for d in shown)  # one notation on an axis: not 10³ beside 100
        return [(float(d), _power_label(d, powers=powers)) for d in shown]
    ticks = []
    for d in range(int(np.floor(lo)), int(np.ceil(hi)) + 1):
        for m in (1, 2, 5):
            v = d + np.log10(m)
            if lo <= v <= hi:
                ticks.append((v, d, m))
    powers = any(abs(d) > 2 for _, d, _ in ticks)
    return [(float(v), _power_label(d, m, powers)) for v, d, m in ticks]


def _power_label(d: int, m: int = 1, powers: bool = False) -> str:
    """``m`` times ten to the ``d``, as read aloud: 0.01, 0.1, 1, 10, 100; as a power (10⁵ or
    2·10⁵) beyond those, or for every tick of an axis that has one (``powers``)."""
    if -2 <= d <= 2 and not powers:
        return f"{m * 10.0**d:g}"
    power = f"10{str(d).translate(_SUPERSCRIPT)}"
    return power if m == 1 else f"{m}·{power}"


def _round_up(x: float) -> float:
    """The smallest of 1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten that is >= ``x``."""
    power = 10.0 ** np.floor(np.log10(x))
    for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if m * power >= x:
            return m * power
    return 10 * power


class _CountAxis(pg.AxisItem):
    """An x axis whose ticks fall on whole numbers while it counts (steps, samples): a new run's
    axis otherwise read 0.2, 0.4, ... steps. Epochs may be fractions."""

    whole = True

    def tickSpacing(self, minVal, maxVal, size):  # noqa: N802 (pyqtgraph's names)
        levels = super().tickSpacing(minVal, maxVal, size)
        if not self.whole:
            return levels
        return [(step, offset) for step, offset in levels if step >= 1] or [(1.0, 0.0)]


def _faint(color: str):
    """A run's colour for its batch-loss curve: see-through, under its bold full-data curve."""
    faint = pg.mkColor(color)
    faint.setAlpha(80)
    return faint


def _log_floor(curves: list[np.ndarray], fallback: float) -> float:
    """Where a log axis draws values it cannot show (0 or less): a decade below the lowest
    positive value of any curve, so the axis still covers every curve's lowest point."""
    positive = [c[np.isfinite(c) & (c > 0)] for c in curves]
    lows = [float(p.min()) for p in positive if len(p)]
    return min(lows) / 10 if lows else fallback


class _Thinned:
    """One run's loss and batch loss, thinned as its history grows (see :class:`Envelope`).
    The batch loss is thinned only while it is drawn (a race draws none): it catches up when asked."""

    def __init__(self, bins: int) -> None:
        self._bins = bins
        self._history = None
        self._stride = 0

    def update(
        self, history, x_name: str, batch: bool = True
    ) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray] | None]:
        """Take in the history's new rows; return the thinned (x, loss) and (x, batch loss),
        or ``None`` for the batch loss unless ``batch``."""
        if history is not self._history or history.stride != self._stride:
            # A new run, or its history was thinned: start again.
            self._history, self._stride = history, history.stride
            self._envelopes = {"loss": _Taken(self._bins), "batch_loss": _Taken(self._bins)}
        x = history.column(x_name)
        names = ("loss", "batch_loss") if batch else ("loss",)
        curves = [self._envelopes[name].update(x, history.column(name), history.kept) for name in names]
        return curves[0], curves[1] if batch else None


class _Taken:
    """An :class:`Envelope` of one column and how many of its rows it has taken in."""

    def __init__(self, bins: int) -> None:
        self.envelope = Envelope(bins)
        self.taken = 0

    def update(self, x: np.ndarray, y: np.ndarray, kept: int) -> tuple[np.ndarray, np.ndarray]:
        new = slice(self.taken, kept)
        self.envelope.extend(x[new], y[new])  # the start row has no batch loss (NaN): left out
        self.taken = kept
        return _with_newest(self.envelope, x, y)


def _rows_in_view(history, x_name: str, lo: float, hi: float) -> slice | None:
    """The kept rows between ``lo`` and ``hi`` on the x axis, and one beyond each end so the
    curve runs to the edges; ``None`` when so many are in view that the whole run's
    thinned curve shows them as well."""
    x = history.column(x_name)
    first = max(int(np.searchsorted(x, lo)) - 1, 0)
    last = min(int(np.searchsorted(x, hi, side="right")) + 1, len(x))
    return slice(first, last) if last - first <= IN_VIEW_ROWS else None


def _thinned_rows(history, x_name: str, column: str, rows: slice) -> tuple[np.ndarray, np.ndarray]:
    """One column over ``rows``, thinned afresh: zoomed in far enough, every step shows."""
    envelope = Envelope()
    envelope.extend(history.column(x_name)[rows], history.column(column)[rows])
    return envelope.points()


def _with_newest(envelope: Envelope, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The envelope's points, then the history's provisional newest row (kept or not)."""
    px, py = envelope.points()
    if len(px) and x[-1] > px[-1] and np.isfinite(y[-1]):
        px, py = np.append(px, x[-1]), np.append(py, y[-1])
    return px, py
