"""The learning-rate sweep: final loss and steps to converge against λ, for the current set-up."""

from __future__ import annotations

import math
from functools import partial

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QSpinBox, QVBoxLayout, QWidget

from ..controller import LossGrid, SessionController
from ..controller.background_job import BackgroundJob
from ..core import ConfigError, RunStatus
from ..core.lr_sweep import DEFAULT_RATES, LrSweep, default_rates, log_rates, run_sweep
from . import theme
from .job_controls import JobControls
from .learning_rate_field import LR_MAX, LR_MIN
from .number_field import NumberField

#: Marker and colour of each way a run of the sweep ended (Okabe-Ito: colour-blind safe; the
#: shapes differ too, so the kinds read on a washed-out projector and in grey).
STYLES = {
    RunStatus.CONVERGED: ("o", "#0072B2", "converged"),
    RunStatus.RUNNING: ("t1", "#E69F00", "not converged in {steps:,} steps"),
    RunStatus.STUCK: ("s", "#009E73", "stuck (not at the lowest loss)"),
    RunStatus.DIVERGED: ("x", "#D55E00", "diverged (along the top)"),
}
#: Steps each rate is given unless the user says otherwise.
DEFAULT_STEPS = 1_000
#: Most rates and steps a sweep in the window may ask for.
MAX_RATES, MAX_STEPS = 5_000, 100_000
MARKER_PX = 11


class SweepPanel(QWidget):
    """Runs the current set-up at many learning rates in a background job, and plots the outcome.

    Clicking a plot sets the learning rate to the swept rate nearest the click,
    through the controller, as typing it in the λ field does.
    """

    #: A sentence for the message banner (a bad range, a failed job).
    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.job = BackgroundJob("learning-rate sweep", self)
        self.low = NumberField("lowest learning rate", LR_MIN, LR_MAX)
        self.high = NumberField("highest learning rate", LR_MIN, LR_MAX)
        self.count = QSpinBox()
        self.count.setRange(2, MAX_RATES)
        self.count.setValue(DEFAULT_RATES)
        self.steps = QSpinBox()
        self.steps.setRange(1, MAX_STEPS)
        self.steps.setValue(DEFAULT_STEPS)
        self.steps.setGroupSeparatorShown(True)
        self.controls = JobControls(self.job, "Run sweep")
        self.summary = QLabel("Run a sweep to see which learning rates work for this set-up.")
        self.summary.setWordWrap(True)
        self.key = QLabel()
        self.key.setWordWrap(True)
        self.key.setToolTip(
            "Each point is one run of this set-up at that learning rate. 2/L (dashed) is where plain "
            "gradient descent stops converging on a quadratic loss; other optimisers have other limits."
        )
        form = QGridLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for row, (text, widget) in enumerate(
            (("λ from", self.low), ("to", self.high), ("rates", self.count), ("steps each", self.steps))
        ):
            form.addWidget(QLabel(text), row, 0)
            form.addWidget(widget, row, 1)
        side = QVBoxLayout()
        side.setContentsMargins(0, 0, 0, 0)
        side.addLayout(form)
        side.addWidget(self.controls)
        side.addStretch(1)
        column = QWidget()
        column.setLayout(side)
        column.setMaximumWidth(380)
        self.loss_plot = _plot()
        self.steps_plot = _plot()
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot, 1)
        plots.addWidget(self.steps_plot, 1)
        pictures = QVBoxLayout()
        pictures.setContentsMargins(0, 0, 0, 0)
        pictures.addWidget(self.key)
        pictures.addLayout(plots, 1)
        pictures.addWidget(self.summary)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(column)
        layout.addLayout(pictures, 1)
        self.setToolTip("Click a plot to use the learning rate nearest the click.")
        self._items: list[pg.GraphicsObject] = []
        self.limit_lines: list[pg.InfiniteLine] = []
        self.lr_lines = [_line(Qt.PenStyle.SolidLine) for _ in range(2)]
        for plot, line in zip(self.plots, self.lr_lines):
            plot.addItem(line)
            plot.scene().sigMouseClicked.connect(partial(self._on_clicked, plot))
        #: The sweep drawn, and what it was asked for (a set-up description).
        self.sweep: LrSweep | None = None
        self._asked = ""
        self._pending = ""
        self.controls.run_requested.connect(self.run)
        self.job.finished.connect(self._on_finished)
        self.job.failed.connect(self.refused)
        self.job.cancelled.connect(lambda: self.summary.setText(self._said_when_cancelled()))
        controller.landscape_changed.connect(self._on_landscape)
        controller.state_changed.connect(self._on_state)
        if controller.landscape is not None:
            self._on_landscape(controller.landscape)
        self._draw_axes()

    @property
    def plots(self) -> tuple[pg.PlotWidget, pg.PlotWidget]:
        return self.loss_plot, self.steps_plot

    # --- asking ------------------------------------------------------------------------

    def run(self) -> None:
        """Sweep the current set-up over the rates in the fields (replacing a sweep under way)."""
        c = self.controller
        if c.landscape is None or c.is_loading:
            self.refused.emit("the landscape is still loading: run the sweep once it is drawn")
            return
        try:
            rates = log_rates(self.low.value(), self.high.value(), self.count.value())
        except ConfigError as exc:
            self.refused.emit(str(exc))
            return
        setup = c.state.setup
        steps = self.steps.value()
        self.job.start(partial(run_sweep, setup, steps, rates, problem=c.landscape.problem))
        self.controls.show_busy()
        self._pending = f"{c.landscape.problem.name}, {setup.optimizer}, {c.method}"
        self.summary.setText(f"Sweeping {len(rates)} rates of {self._pending}, {steps:,} steps each…")

    # --- drawing -----------------------------------------------------------------------

    def show_sweep(self, sweep: LrSweep, asked: str = "") -> None:
        """Draw ``sweep``: one point per rate in each plot, by how the run ended."""
        self.sweep, self._asked = sweep, asked
        self._clear()
        o, rates = sweep.outcomes, sweep.rates
        finite = o.loss[np.isfinite(o.loss)]
        log_loss = bool(finite.size and finite.min() >= 0)
        positive = finite[finite > 0]
        floor = positive.min() / 10 if positive.size else 1e-12
        loss = np.where(np.isfinite(o.loss), np.maximum(o.loss, floor) if log_loss else o.loss, np.nan)
        if not finite.size:  # every rate diverged
            top_loss = 1.0
        else:  # diverged runs go along the top, above the highest finite loss
            top_loss = float(np.nanmax(loss)) * 10 if log_loss else float(np.nanmax(loss)) + 0.1 * np.ptp(finite) + 1e-9
        top_steps = sweep.budget * 1.08
        self.loss_plot.getPlotItem().setLogMode(x=True, y=log_loss)
        self.steps_plot.getPlotItem().setLogMode(x=True, y=False)
        for status, (symbol, color, _) in STYLES.items():
            pick = o.status == status
            if not pick.any():
                continue
            diverged = status is RunStatus.DIVERGED
            for plot, ys in (
                (self.loss_plot, np.full(pick.sum(), top_loss) if diverged else loss[pick]),
                (self.steps_plot, np.full(pick.sum(), top_steps) if diverged else o.steps[pick].astype(float)),
            ):
                item = pg.PlotDataItem(
                    rates[pick],
                    ys,
                    pen=None,
                    symbol=symbol,
                    symbolSize=MARKER_PX,
                    symbolBrush=pg.mkBrush(color),
                    symbolPen=pg.mkPen(color if diverged else "#1c1c1e", width=2.5 if diverged else 1),
                )
                item.setZValue(10)
                plot.addItem(item)
                self._items.append(item)
        best = sweep.fastest()
        if best is not None:
            ring = pg.PlotDataItem(
                [rates[best]], [o.steps[best]], pen=None, symbol="o", symbolSize=2 * MARKER_PX + 4,
                symbolBrush=None, symbolPen=pg.mkPen("#1c1c1e", width=2.5),
            )  # fmt: skip
            ring.setZValue(11)
            self.steps_plot.addItem(ring)
            self._items.append(ring)
        if sweep.stability_limit is not None:
            for plot in self.plots:
                line = _line(Qt.PenStyle.DashLine)
                line.setPos(math.log10(sweep.stability_limit))
                plot.addItem(line)
                self.limit_lines.append(line)
        span = math.log10(rates[-1] / rates[0]) if rates[-1] > rates[0] else 1.0
        margin = 0.03 * span
        for plot in self.plots:
            plot.setXRange(math.log10(rates[0]) - margin, math.log10(rates[-1]) + margin, padding=0)
        if finite.size:
            low = math.log10(np.nanmin(loss)) if log_loss else float(np.nanmin(loss))
            high = math.log10(top_loss) if log_loss else top_loss
            pad = 0.05 * max(high - low, 1e-9)
            self.loss_plot.setYRange(low - pad, high + pad, padding=0)
        self.steps_plot.setYRange(0, top_steps * 1.04, padding=0)
        self._draw_axes()
        self._draw_lr()
        self.summary.setText(self._said(sweep, asked))
        self.key.setText(self._key(sweep))
        for plot in self.plots:
            theme.restyle_plot(plot.getPlotItem())

    def _clear(self) -> None:
        """Take the drawn sweep's points and 2/L lines off both plots."""
        for plot in self.plots:
            for item in [*self._items, *self.limit_lines]:
                if item.scene() is plot.scene():
                    plot.removeItem(item)
        self._items, self.limit_lines = [], []

    def _draw_axes(self) -> None:
        # Short titles: the dock may be low; the key above says how many steps each run had.
        theme.style_plot(self.loss_plot.getPlotItem(), "final loss", "learning rate λ (log scale)")
        theme.style_plot(self.steps_plot.getPlotItem(), "steps taken", "learning rate λ (log scale)")

    def _lr(self) -> float | None:
        """The set-up's learning rate (the landscape's suggestion when it has none)."""
        lr = self.controller.state.setup.lr
        if lr is None and self.controller.landscape is not None:
            lr = self.controller.landscape.problem.suggested_lr
        return lr

    def _draw_lr(self) -> None:
        """The set-up's own learning rate, as a line across both plots and in the key."""
        lr = self._lr()
        if self.sweep is not None:
            self.key.setText(self._key(self.sweep))
        for line in self.lr_lines:
            line.setVisible(lr is not None and lr > 0)
            if lr is not None and lr > 0:
                line.setPos(math.log10(lr))

    def _said(self, sweep: LrSweep, asked: str) -> str:
        """One or two lines: what was swept and the fastest rate (the counts are in the key)."""
        o, r = sweep.outcomes, sweep.rates
        head = f"{asked}: " if asked else ""
        text = f"{head}{len(r):,} rates from {r[0]:.3g} to {r[-1]:.3g}."
        best = sweep.fastest()
        if best is not None:
            text += f" Fewest steps to converge: {o.steps[best]:,}, at λ = {r[best]:.3g} (ringed)."
        return text + " Click a plot to use that λ."

    def _key(self, sweep: LrSweep) -> str:
        entries = []
        for status, (symbol, color, words) in STYLES.items():
            if sweep.outcomes.count(status):
                glyph = {"o": "●", "t1": "▲", "s": "■", "x": "✕"}[symbol]
                count = sweep.outcomes.count(status)
                text = f"{words.format(steps=sweep.budget)}: {count:,}"
                entries.append(f"<span style='color:{color}'>{glyph}</span>&nbsp;{text}")
        lr = self._lr()
        if lr is not None:
            entries.append(f"<b>│</b>&nbsp;your λ = {lr:.3g}")
        if sweep.stability_limit is not None:
            entries.append(f"<b>┆</b>&nbsp;2/L = {sweep.stability_limit:.3g}")
        return "&nbsp;&nbsp;&nbsp; ".join(entries)

    def _said_when_cancelled(self) -> str:
        if self.sweep is None:
            return "Sweep cancelled."
        return "Sweep cancelled; shown: the last finished one. " + self._said(self.sweep, self._asked)

    # --- controller signals ------------------------------------------------------------

    def _on_finished(self, sweep: LrSweep) -> None:
        self.show_sweep(sweep, self._pending)

    def _on_landscape(self, landscape: LossGrid) -> None:
        """A new landscape: a sweep of the old one no longer applies; the range centres on the new λ."""
        self.job.cancel()
        self._clear()
        self.sweep = None
        lr = self.controller.state.setup.lr or landscape.problem.suggested_lr
        rates = np.clip(default_rates(lr)[[0, -1]], LR_MIN, LR_MAX)
        self.low.set_value(float(rates[0]))
        self.high.set_value(float(rates[1]))
        self.summary.setText("Run a sweep to see which learning rates work for this set-up.")
        self.key.setText("")
        self._draw_lr()

    def _on_state(self, state) -> None:
        self._draw_lr()

    def _on_clicked(self, plot: pg.PlotWidget, event) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.sweep is None:
            return
        vb = plot.getViewBox()
        if not vb.sceneBoundingRect().contains(event.scenePos()):
            return
        event.accept()
        self.choose(10 ** vb.mapSceneToView(event.scenePos()).x())

    def choose(self, lr: float) -> None:
        """Use the swept rate nearest ``lr`` (on the log axis) as the learning rate."""
        rates = self.sweep.rates
        nearest = float(rates[np.argmin(np.abs(np.log(rates) - math.log(lr)))])
        self.controller.set_learning_rate(nearest)

    def restyle_text(self) -> None:
        for plot in self.plots:
            theme.restyle_plot(plot.getPlotItem())


def _plot() -> pg.PlotWidget:
    plot = pg.PlotWidget()
    theme.quiet_plot(plot.getPlotItem())
    plot.getPlotItem().showGrid(x=True, y=True, alpha=0.25)
    plot.setMinimumSize(260, 120)
    # Take the height the dock has: the wrapped labels beside make the panel size itself by its
    # parts' preferred heights, and a plot's (480 px) would push it into a scrolled area.
    plot.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored)
    return plot


def _line(style: Qt.PenStyle) -> pg.InfiniteLine:
    """A vertical line across a plot, named in the key above the plots (no label on the data)."""
    line = pg.InfiniteLine(angle=90, pen=pg.mkPen("#1c1c1e", width=3, style=style))
    line.setZValue(5)
    return line
