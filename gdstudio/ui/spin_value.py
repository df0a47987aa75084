"""Showing a value in a spin box without letting it call back, and without overflowing it."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractSpinBox


def show_value(box: QAbstractSpinBox, value: float) -> None:
    """Show ``value`` in ``box`` (a QSpinBox or QDoubleSpinBox) as state, not as a user's edit.

    Signals are blocked, so showing it does not send it back as a change. A value
    beyond the box's range is shown at the range's end: a QSpinBox holds a 32-bit
    integer, and ``setValue(3_000_000_000)`` raises inside a slot, which stops the
    panels from updating at all.
    """
    shown = min(max(value, box.minimum()), box.maximum())
    box.blockSignals(True)
    box.setValue(shown if isinstance(box.value(), float) else int(shown))
    box.blockSignals(False)
