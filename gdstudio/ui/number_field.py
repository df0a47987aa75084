"""A text field for one number: accepts what a person types (1e-3, -1.5), refuses the rest clearly."""

from __future__ import annotations

import math

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit

from ..core.errors import ConfigError
from ..core.typed_number import quoted, read_number, shortened


class NumberField(QLineEdit):
    """Commits on Enter or leaving the field; a bad value is refused and the old one restored.

    Emits :attr:`committed` with the number, or :attr:`refused` with a sentence
    naming the problem (for the message banner).
    """

    committed = Signal(float)
    refused = Signal(str)

    def __init__(self, name: str, low: float = -math.inf, high: float = math.inf, parent=None) -> None:
        super().__init__(parent)
        self.name = name
        self.low, self.high = low, high
        self._value: float | None = None
        self.setMinimumWidth(90)
        self.editingFinished.connect(self._on_edited)

    def value(self) -> float | None:
        return self._value

    def set_value(self, value: float | None) -> None:
        """Show ``value`` without emitting anything."""
        self._value = value
        self.setText("" if value is None else f"{value:.6g}")

    def _on_edited(self) -> None:
        text = self.text().strip()
        try:
            value = read_number(text)  # as the command line reads it: 0x10 and 1_000 too
        except ConfigError:
            value = math.nan
            reason = f"{self.name}: {quoted(text)} is not a number"
        else:
            if not math.isfinite(value):
                reason = f"{self.name} must be a finite number, got {shortened(text)}"
            else:
                reason = f"{self.name} must be between {self.low:g} and {self.high:g}, got {shortened(text)}"
        if not (math.isfinite(value) and self.low <= value <= self.high):
            self.set_value(self._value)
            self.refused.emit(reason)
            return
        if value != self._value:
            self._value = value
            self.committed.emit(value)
