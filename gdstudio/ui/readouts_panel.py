"""The numbers of the current step, large enough to read from the back row."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from ..controller import Frame, LossGrid
from ..core import RunStatus
from . import theme

#: Significant digits of the step's numbers: few enough to read from the back row in a lesson
#: (the exact value is on hover), more in the explorer.
LESSON_DIGITS, EXPLORER_DIGITS = 4, 6


class StatusBadge(QLabel):
    """Running / converged / stuck / diverged, in colour."""

    def __init__(self) -> None:
        super().__init__()
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        theme.set_font(self, 1.15, bold=True)
        self.setMinimumHeight(36)
        self.setWordWrap(True)
        self._shown: tuple[str, str] | None = None
        self.set_status(RunStatus.RUNNING, "")

    def set_status(self, status: RunStatus, detail: str, moving: bool = True) -> None:
        word = "paused" if status is RunStatus.RUNNING and not moving else status.label
        if (word, detail) == self._shown:
            return  # restyling a widget costs more than the rest of a frame's numbers together
        self._shown = (word, detail)
        self.setText(f"{word}\n{detail}" if detail else word)
        self.setProperty("status", status.label)
        color = theme.STATUS_COLORS["paused" if word == "paused" else status.label]
        self.setStyleSheet(f"background: {color}; color: white; border-radius: 6px; padding: 4px 10px;")
        self.setToolTip(
            {
                RunStatus.RUNNING: "Still descending.",
                RunStatus.CONVERGED: "The gradient vanished at the lowest point: the optimal weights.",
                RunStatus.STUCK: "The gradient vanished, but not at the lowest point: small moves no longer "
                "change the loss, so descent cannot go on.",
                RunStatus.DIVERGED: "The steps grew until the loss blew up: the learning rate is too large.",
            }[status]
        )


class ReadoutsPanel(QWidget):
    """Step, epoch, samples, weights, loss, gradient and last update of the (first) run."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.badge = StatusBadge()
        self.values: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setLabelAlignment(Qt.AlignmentFlag.AlignRight)
        form.setVerticalSpacing(6)
        tips = {
            "step": "Updates of the weights so far.",
            "epoch": "Passes through the whole dataset so far.",
            "samples": "Samples the gradients have been computed on so far: the work done.",
            "loss": "The loss over all the data at the current weights.",
            "batch loss": "The loss on the batch the last step used.",
            "gradient norm": "Length of the gradient: how steep the slope is here. Zero at a flat spot.",
            "d0": "How much the last step changed this weight: −λ × its gradient, for plain GD.",
            "d1": "How much the last step changed this weight: −λ × its gradient, for plain GD.",
        }
        for key in ("step", "epoch", "samples", "p0", "p1", "loss", "batch loss", "g0", "g1", "gradient norm",
                    "d0", "d1"):  # fmt: skip
            value = QLabel("–")
            theme.set_font(value, 1.2, bold=key in ("loss", "step"))
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label = QLabel(key)
            theme.set_font(label, 1.0)
            label.setToolTip(tips.get(key, ""))
            value.setToolTip(tips.get(key, ""))
            form.addRow(label, value)
            self.values[key] = value
        self._form = form
        self._tips = tips
        #: Significant digits shown (a lesson sets :data:`LESSON_DIGITS`).
        self.digits = EXPLORER_DIGITS
        self._labels = {k: form.labelForField(self.values[k]) for k in ("p0", "p1", "g0", "g1", "d0", "d1")}
        self.which = QLabel()
        theme.set_font(self.which, 1.0, bold=True)
        self.which.setWordWrap(True)
        self.which.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.which)
        layout.addWidget(self.badge)
        layout.addLayout(form)
        layout.addStretch(1)
        self._dataset = False

    def set_landscape(self, landscape: LossGrid) -> None:
        a, b = landscape.problem.param_names
        self._dataset = landscape.problem.is_dataset
        for key, text in (
            ("p0", a), ("p1", b), ("g0", f"∂L/∂{a}"), ("g1", f"∂L/∂{b}"), ("d0", f"last Δ{a}"), ("d1", f"last Δ{b}")
        ):  # fmt: skip
            self._labels[key].setText(text)
        for key in ("epoch", "samples", "batch loss"):
            self.values[key].setVisible(self._dataset)
            self._form.labelForField(self.values[key]).setVisible(self._dataset)

    def show_frame(self, frame: Frame, moving: bool = True, index: int = 0) -> None:
        """Run ``index``'s numbers (the run the set-up panels edit)."""
        run = frame.runs[min(index, len(frame.runs) - 1)]
        h = run.history
        v = self.values
        # The run's own counts: with several runs, each may have stopped at its own step.
        v["step"].setText(f"{int(h.column('step')[-1]):,}")
        self._show("epoch", h.column("epoch")[-1], self.digits)
        v["samples"].setText(f"{int(h.column('samples')[-1]):,}")
        self.which.setText(f"showing: {run.label}" if len(frame.runs) > 1 else "")
        self.which.setVisible(len(frame.runs) > 1)
        n, short = self.digits, min(self.digits, 4)
        started = int(h.column("step")[-1]) > 0  # the run's own: the last step's numbers, once there is one
        for key, value, digits in (
            ("p0", run.params[0], n), ("p1", run.params[1], n), ("loss", run.loss, n),
            ("batch loss", run.batch_loss if started else None, n),
            ("g0", run.grad[0], short), ("g1", run.grad[1], short),
            ("gradient norm", math.hypot(*run.grad), short),  # no overflow for a gradient of 1e200
            ("d0", run.update[0] if started else None, short), ("d1", run.update[1] if started else None, short),
        ):  # fmt: skip
            self._show(key, value, digits, signed=key in ("d0", "d1"))
        self.badge.set_status(run.status, run.detail, moving)

    def _show(self, key: str, value: float | None, digits: int, signed: bool = False) -> None:
        """``value`` to ``digits`` significant digits ("–" before there is one; never "-0"), and
        exactly on hover."""
        label = self.values[key]
        if value is None:
            label.setText("–")
            label.setToolTip(self._tips.get(key, ""))
            return
        value = float(value) + 0.0  # -0.0 becomes 0.0
        label.setText(f"{value:{'+' if signed and value else ''}.{digits}g}")
        label.setToolTip(f"{self._tips.get(key, '')}\nExactly {value!r}".strip())
