"""Which loss landscape: a dataset's loss (with its data) or an analytic surface."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..controller import LossGrid, SessionController, SessionState
from ..core import ConfigError
from ..core.problems import DATASET_PROBLEMS, SURFACE_PROBLEMS
from ..core.problems.data import MAX_SAMPLES
from ..core.problems.formula import CONSTANTS, EXAMPLE, FUNCTIONS, check_formula
from ..core.problems.formula import NAME as FUNCTION
from ..core.problems.shipped_data import shipped_datasets
from ..core.run_setup import MAX_SEED
from .spin_value import show_value

FORMULA_HELP = (
    "Type a loss in x and y, then press Enter. Use numbers, + − * / ^, brackets, "
    f"{', '.join(CONSTANTS)} and {', '.join(f.lower() for f in FUNCTIONS)}. "
    "The exact gradient is worked out for you."
)


class ProblemPanel(QWidget):
    """Landscape chooser (datasets and surfaces) and, for datasets, where the data comes from."""

    #: A sentence for the message banner.
    refused = Signal(str)

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.choice = QComboBox()
        self.choice.setToolTip(
            "The loss to descend. Datasets: the loss of a model (weights w, b) on data, where batch size "
            "matters. Surfaces: classic shapes with peaks, valleys, saddles and plateaus."
        )
        model = QStandardItemModel(self.choice)
        groups = (("Datasets", DATASET_PROBLEMS), ("Surfaces", SURFACE_PROBLEMS), ("Your own", {FUNCTION: None}))
        for header, names in groups:
            head = QStandardItem(f"— {header} —")
            head.setEnabled(False)
            model.appendRow(head)
            for name in names:
                item = QStandardItem(_title(name))
                item.setData(name)
                model.appendRow(item)
        self.choice.setModel(model)
        self.description = QLabel()
        self.description.setWordWrap(True)

        self.formula = QLineEdit()
        self.formula.setPlaceholderText(EXAMPLE)
        self.formula.setToolTip(FORMULA_HELP)
        self.formula_form = QWidget()
        formula_rows = QVBoxLayout(self.formula_form)  # the field gets the panel's whole width
        formula_rows.setContentsMargins(0, 0, 0, 0)
        formula_rows.addWidget(QLabel("f(x, y) ="))
        formula_rows.addWidget(self.formula)

        self.samples = QSpinBox()
        self.samples.setRange(2, MAX_SAMPLES)
        self.samples.setSingleStep(100)
        self.samples.setToolTip("How many data points to generate. More data: a smoother, costlier full-batch step.")
        self.noise = QDoubleSpinBox()
        self.noise.setRange(0, 10)
        self.noise.setSingleStep(0.1)
        self.noise.setDecimals(2)
        self.noise.setToolTip("How much the generated points scatter around the true curve.")
        self.seed = QSpinBox()
        self.seed.setRange(0, MAX_SEED)
        self.seed.setToolTip("Seed of the random data and of the batch shuffling: the same seed replays the same run.")
        self.load_csv = QPushButton("Load CSV…")
        self.load_csv.setToolTip("Fit your own data: a CSV file with two columns, x and y (a header line is optional).")
        self.generated = QPushButton("Generated data")
        self.generated.setToolTip("Go back to generated data.")
        self.source = QLabel()
        self.source.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_csv)
        buttons.addWidget(self.generated)
        self.data_form = QWidget()
        form = QFormLayout(self.data_form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("Samples", self.samples)
        form.addRow("Noise", self.noise)
        form.addRow("Seed", self.seed)
        form.addRow(buttons)
        form.addRow(self.source)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.choice)
        layout.addWidget(self.description)
        layout.addWidget(self.formula_form)
        layout.addWidget(self.data_form)

        self.choice.activated.connect(self._on_choice)
        self.samples.editingFinished.connect(lambda: self._update(samples=self.samples.value()))
        self.noise.editingFinished.connect(lambda: self._update(noise=self.noise.value()))
        self.seed.editingFinished.connect(lambda: self._update(seed=self.seed.value()))
        self.formula.editingFinished.connect(self._on_formula)
        self.load_csv.clicked.connect(self.choose_csv)
        self.generated.clicked.connect(lambda: self._update(data=None))
        controller.state_changed.connect(self.show_state)
        controller.landscape_changed.connect(self.set_landscape)

    def _update(self, **changes) -> None:
        if self.controller.state.setup.problem in DATASET_PROBLEMS:
            self.controller.update_setup(**changes)

    def _on_choice(self, index: int) -> None:
        name = self.choice.itemData(index, 257)  # Qt.UserRole + 1, where QStandardItem.setData puts it
        if name == FUNCTION:
            self._apply_formula(self.formula.text().strip() or EXAMPLE)
        elif name:
            self.controller.update_setup(problem=name, function=None)

    def _on_formula(self) -> None:
        text = self.formula.text().strip()
        if self.controller.state.setup.problem == FUNCTION and text != self.controller.state.setup.function:
            self._apply_formula(text)

    def _apply_formula(self, text: str) -> None:
        """Load the typed surface; a formula that cannot be read is refused here, keeping the text."""
        try:
            check_formula(text)
        except ConfigError as exc:
            self.refused.emit(str(exc))
            return
        self.controller.update_setup(problem=FUNCTION, function=text)

    def choose(self, name: str) -> None:
        """Select a problem by name, as the user would."""
        index = self.choice.findData(name, 257)
        self.choice.setCurrentIndex(index)
        self._on_choice(index)

    def choose_csv(self) -> None:
        """Ask for a two-column CSV of data and load it (the file in use again: read it again,
        as the user has likely just edited it)."""
        path, _ = QFileDialog.getOpenFileName(self, "Load data", "", "CSV files (*.csv *.txt);;All files (*)")
        if path and Path(path) == self.controller.state.setup.data:
            self.controller.reset()
        elif path:
            self.controller.update_setup(data=Path(path))

    def choose_dataset(self, name: str) -> None:
        """Fit a shipped dataset (File → Real data), on the landscape it was chosen for."""
        d = shipped_datasets()[name]
        self.controller.update_setup(problem=d.problem, function=None, data=d.path)

    def show_state(self, state: SessionState) -> None:
        setup = state.setup
        self.choice.setCurrentIndex(self.choice.findData(setup.problem, 257))
        self.formula_form.setVisible(setup.problem == FUNCTION)
        if setup.function is not None and not self.formula.hasFocus():  # never undo what is being typed
            self.formula.setText(setup.function)
        is_dataset = setup.problem in DATASET_PROBLEMS
        self.data_form.setVisible(is_dataset)
        if is_dataset:
            for box, value in (
                (self.samples, 500 if setup.samples is None else setup.samples),
                (self.noise, DATASET_PROBLEMS[setup.problem].default_noise if setup.noise is None else setup.noise),
                (self.seed, setup.seed),
            ):
                show_value(box, value)
            generated = setup.data is None
            self.samples.setEnabled(generated)
            self.noise.setEnabled(generated)
            self.generated.setEnabled(not generated)

    def set_landscape(self, landscape: LossGrid) -> None:
        problem = landscape.problem
        # A typed surface's description would only repeat the field below it: say what may be typed.
        self.description.setText(FORMULA_HELP if problem.name == FUNCTION else problem.description)
        self.source.setText(f"Data: {problem.data.source}" if problem.is_dataset else "")


def _title(name: str) -> str:
    if name == FUNCTION:
        return "Your own function"
    if name in DATASET_PROBLEMS:
        return DATASET_PROBLEMS[name].title
    return SURFACE_PROBLEMS[name].title
