"""Where descent starts: two number fields (the map's cross can be clicked or dragged too)."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QWidget

from ..controller import LossGrid, SessionController, SessionState
from .number_field import NumberField


class StartPanel(QWidget):
    """The start point's two coordinates, in the problem's own parameter names."""

    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.fields = [NumberField("start"), NumberField("start")]
        self.labels = [QLabel("x"), QLabel("y")]
        self.default = QPushButton("Default start")
        self.default.setToolTip("Go back to this landscape's suggested start point.")
        form = QFormLayout(self)
        for label, field in zip(self.labels, self.fields):
            field.setToolTip("Where descent starts. You can also click the 2D map, or drag its white cross.")
            field.committed.connect(self._on_committed)
            field.refused.connect(self.refused)
            form.addRow(label, field)
        form.addRow(self.default)
        self.default.clicked.connect(lambda: controller.update_setup(start=None))
        controller.state_changed.connect(self.show_state)
        controller.landscape_changed.connect(self.set_landscape)

    def _on_committed(self, _value: float) -> None:
        x, y = (f.value() for f in self.fields)
        if x is not None and y is not None:
            self.controller.set_start(x, y)

    def set_landscape(self, landscape: LossGrid) -> None:
        names = landscape.problem.param_names
        for label, field, name in zip(self.labels, self.fields, names):
            label.setText(f"Start {name}")
            field.name = f"start {name}"
        self.show_state(self.controller.state)

    def show_state(self, state: SessionState) -> None:
        landscape = self.controller.landscape
        start = state.setup.start
        if start is None and landscape is not None:
            start = landscape.problem.default_start
        if start is not None:
            for field, v in zip(self.fields, start):
                field.set_value(v)
