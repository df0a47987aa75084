"""How to descend: full batch, stochastic or mini-batch; which optimiser; its learning rate."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..controller import LossGrid, SessionController, SessionState
from ..core.optimizers import OPTIMIZERS
from .learning_rate_field import LearningRateField
from .number_field import NumberField
from .spin_value import show_value

BATCH_PRESETS = (8, 16, 32, 64, 128, 256)
FULL, STOCHASTIC, MINI = 0, 1, 2


class MethodPanel(QWidget):
    """Descent method and batch size, optimiser and its hyperparameters, learning rate."""

    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self._n_samples: int | None = None

        box = QGroupBox("Descent method")
        self.methods = QButtonGroup(self)
        texts = (
            (
                "Full batch (naive)",
                "Naive gradient descent: every step uses the whole dataset. Smooth but costly.",
            ),
            ("Stochastic (1 sample)", "SGD: every step uses one sample. Cheap steps, noisy path."),
            ("Mini-batch", "Every step uses a batch of B samples: a middle way, usually 8 to 256."),
        )
        method_layout = QVBoxLayout(box)
        for i, (text, tip) in enumerate(texts):
            button = QRadioButton(text)
            button.setToolTip(tip)
            self.methods.addButton(button, i)
            method_layout.addWidget(button)
        self.batch_size = QSpinBox()
        self.batch_size.setRange(2, 2)
        self.batch_size.setToolTip("Samples per step for mini-batch descent (any value from 2 to the dataset size).")
        self.presets = QComboBox()
        self.presets.addItem("presets")
        self.presets.addItems([str(b) for b in BATCH_PRESETS])
        self.presets.setToolTip("Common mini-batch sizes.")
        row = QHBoxLayout()
        row.addWidget(QLabel("Batch size"))
        row.addWidget(self.batch_size, 1)
        row.addWidget(self.presets)
        method_layout.addLayout(row)
        self.batch_note = QLabel(
            "Batch size does not apply here: an analytic surface has no data, so every step uses the exact gradient."
        )
        self.batch_note.setWordWrap(True)
        self.batch_note.setStyleSheet("color: #6c6c70;")
        method_layout.addWidget(self.batch_note)

        opt_box = QGroupBox("Optimiser")
        self.optimizer = QComboBox()
        for name, cls in OPTIMIZERS.items():
            self.optimizer.addItem(cls.title, name)
        self.optimizer.setToolTip("The update rule that turns gradients into steps.")
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.lr = LearningRateField()
        self.hyper_form = QFormLayout()
        self.hyper_fields: dict[str, NumberField] = {}
        opt_layout = QVBoxLayout(opt_box)
        opt_layout.addWidget(self.optimizer)
        opt_layout.addWidget(self.summary)
        opt_layout.addWidget(QLabel("Learning rate λ"))
        opt_layout.addWidget(self.lr)
        opt_layout.addLayout(self.hyper_form)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(box)
        layout.addWidget(opt_box)

        self.methods.idClicked.connect(self._on_method)
        self.batch_size.editingFinished.connect(self._on_batch_size)
        self.presets.activated.connect(self._on_preset)
        self.optimizer.activated.connect(lambda i: controller.update_setup(optimizer=self.optimizer.itemData(i)))
        self.lr.changed.connect(controller.set_learning_rate)
        self.lr.refused.connect(self.refused)
        controller.state_changed.connect(self.show_state)
        controller.landscape_changed.connect(self.set_landscape)

    # --- user actions -------------------------------------------------------------------

    def _on_method(self, method: int) -> None:
        if self._n_samples is None:
            return
        if method == FULL:
            self.controller.update_setup(batch_size=None)
        elif method == STOCHASTIC:
            self.controller.update_setup(batch_size=1)
        else:
            self.controller.update_setup(batch_size=min(self.batch_size.value() or 32, self._n_samples))

    def _on_batch_size(self) -> None:
        if self.methods.checkedId() == MINI:
            self.controller.update_setup(batch_size=self.batch_size.value())

    def _on_preset(self, index: int) -> None:
        if index == 0 or self._n_samples is None:
            return
        size = BATCH_PRESETS[index - 1]
        self.presets.setCurrentIndex(0)
        if size > self._n_samples:
            self.refused.emit(f"batch size {size} is larger than the {self._n_samples} samples")
            return
        self.controller.update_setup(batch_size=size)

    def _on_hyper(self, name: str, value: float) -> None:
        self.controller.set_hyperparameter(name, value)

    # --- showing the state ---------------------------------------------------------------

    def set_landscape(self, landscape: LossGrid) -> None:
        problem = landscape.problem
        self._n_samples = problem.n_samples
        dataset = problem.is_dataset
        for button in self.methods.buttons():
            button.setEnabled(dataset)
        self.batch_size.setEnabled(dataset)
        self.presets.setEnabled(dataset)
        self.batch_note.setVisible(not dataset)
        if dataset:
            self.batch_size.setRange(2, max(2, problem.n_samples))
        self.lr.set_stability_limit(problem.hessian_max_eig)
        self.show_state(self.controller.state)

    def show_state(self, state: SessionState) -> None:
        setup = state.setup
        n = self._n_samples
        if n is None or setup.batch_size is None or setup.batch_size >= n:
            method = FULL
        elif setup.batch_size == 1:
            method = STOCHASTIC
        else:
            method = MINI
            show_value(self.batch_size, setup.batch_size)
        self.methods.button(method).setChecked(n is not None)
        if n is None:
            checked = self.methods.checkedButton()
            if checked:
                self.methods.setExclusive(False)
                checked.setChecked(False)
                self.methods.setExclusive(True)
        self.optimizer.setCurrentIndex(self.optimizer.findData(setup.optimizer))
        cls = OPTIMIZERS[setup.optimizer]
        self.summary.setText(cls.summary)
        landscape = self.controller.landscape
        lr = setup.lr if setup.lr is not None else (landscape.problem.suggested_lr if landscape else None)
        if lr is not None:
            self.lr.set_value(lr)
        self._show_hyperparameters(setup.optimizer, setup.hyper)

    def _show_hyperparameters(self, name: str, values: dict[str, float]) -> None:
        cls = OPTIMIZERS[name]
        specs = cls.hyperparameters()
        if list(self.hyper_fields) != list(specs):
            while self.hyper_form.rowCount():
                self.hyper_form.removeRow(0)
            self.hyper_fields = {}
            for key, spec in specs.items():
                field = NumberField(spec.label.lower(), spec.low, spec.high)
                field.setToolTip(spec.help)
                field.committed.connect(lambda v, k=key: self._on_hyper(k, v))
                field.refused.connect(self.refused)
                label = QLabel(spec.label)
                label.setToolTip(spec.help)
                self.hyper_form.addRow(label, field)
                self.hyper_fields[key] = field
        defaults = cls.defaults()
        for key, field in self.hyper_fields.items():
            field.set_value(values.get(key, defaults[key]))
