"""The learning rate: a logarithmic slider for feel, a number field for exact values."""

from __future__ import annotations

import math

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from .number_field import NumberField

LR_MIN, LR_MAX = 1e-5, 10.0
_TICKS_PER_DECADE = 100


class LearningRateField(QWidget):
    """Learning rate λ from 1e-5 to 10, with the plain-GD stability limit where it is known."""

    changed = Signal(float)
    refused = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setRange(0, round(math.log10(LR_MAX / LR_MIN) * _TICKS_PER_DECADE))
        self.field = NumberField("learning rate", LR_MIN, LR_MAX)
        self.field.setMaximumWidth(110)
        self.limit = QLabel()
        self.limit.setWordWrap(True)
        tip = (
            "λ, the size of each step: W ← W − λ·dE/dW. Too small and descent crawls; too large and it "
            "jumps over the minimum or blows up. The slider is logarithmic: each notch multiplies λ."
        )
        for w in (self.slider, self.field):
            w.setToolTip(tip)
        self.limit.setToolTip(
            "On a quadratic loss, plain gradient descent converges only while λ < 2 / (largest curvature)."
        )
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.slider, 1)
        row.addWidget(self.field)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.limit)
        self._stable_below: float | None = None
        self.slider.valueChanged.connect(self._on_slider)
        self.slider.sliderReleased.connect(lambda: self._emit(self._slider_value()))
        self.field.committed.connect(self._on_field)
        self.field.refused.connect(self.refused)

    def value(self) -> float | None:
        return self.field.value()

    def set_value(self, lr: float) -> None:
        """Show ``lr`` in both controls without emitting."""
        self.field.set_value(lr)
        self.slider.blockSignals(True)
        self.slider.setValue(self._to_tick(lr))
        self.slider.blockSignals(False)
        self._update_limit()

    def set_stability_limit(self, hessian_max_eig: float | None) -> None:
        """Show ``2 / L`` for quadratic losses; hide the note otherwise."""
        self._stable_below = 2 / hessian_max_eig if hessian_max_eig else None
        self._update_limit()

    def _update_limit(self) -> None:
        limit, lr = self._stable_below, self.field.value()
        self.limit.setVisible(limit is not None)
        if limit is None or lr is None:
            return
        unstable = lr >= limit
        self.limit.setText(
            f"Plain GD is stable for λ < 2/L = {limit:.3g}"
            + ("  —  λ is past it: expect divergence" if unstable else "")
        )
        self.limit.setStyleSheet("color: #d70015; font-weight: bold;" if unstable else "color: #3a3a3c;")

    def _to_tick(self, lr: float) -> int:
        lr = min(max(lr, LR_MIN), LR_MAX)
        return round(math.log10(lr / LR_MIN) * _TICKS_PER_DECADE)

    def _slider_value(self) -> float:
        return float(f"{LR_MIN * 10 ** (self.slider.value() / _TICKS_PER_DECADE):.3g}")

    def _on_slider(self, _tick: int) -> None:
        self.field.set_value(self._slider_value())
        self._update_limit()
        if not self.slider.isSliderDown():  # keyboard or click: commit now; drags commit on release
            self._emit(self._slider_value())

    def _on_field(self, lr: float) -> None:
        self.set_value(lr)
        self._emit(lr)

    def _emit(self, lr: float) -> None:
        self.field.set_value(lr)
        self._update_limit()
        self.changed.emit(lr)
