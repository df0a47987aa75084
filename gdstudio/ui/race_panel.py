"""The runs of a race in the explorer: a list to add, copy, remove, rename, recolour and hide runs.

The engine already steps several runs in lockstep and lessons show prepared
races; this panel lets a lecturer build one on the spot. The selected run is the
one the set-up panels edit (:meth:`SessionController.select_run`). Names,
colours and what is hidden are the window's alone: they reach the views as
:class:`RunLook` s, so changing them never restarts the runs.
"""

from __future__ import annotations

import re
import time
from dataclasses import replace

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..controller import Frame
from ..core import ConfigError, RunStatus, describe_method
from ..core.optimizers import OPTIMIZERS
from ..core.race_presets import MAX_RUNS, PRESETS, Race, run_rate
from ..core.run_setup import RunSetup
from . import theme
from .lesson_mode import LOSS_AXIS_INDEX
from .run_look import RunLook

#: Colours a run of a race can take: the theme's Okabe-Ito run colours, then its yellow (edged
#: in black where it is drawn as a dot), so that eight runs never share a colour.
RACE_COLORS = (*theme.RUN_COLORS, "#F0E442")
COLOR_NAMES = dict(zip(RACE_COLORS, ("vermillion", "sky blue", "bluish green", "orange", "reddish purple",
                                     "blue", "black", "yellow")))  # fmt: skip
NAME, STATUS = 0, 1
#: While the runs go, their step counts in the list are brought up to date this often (seconds):
#: each costs the list a fresh measure of its column; a status that changes shows at once.
STEPS_EVERY = 0.25
#: The λ a scene's name ends with (", λ 0.02"): the legends give the run's λ as it is now.
_RATE_SUFFIX = re.compile(r",\s*λ\s*[-+0-9.eE]+$")


class RacePanel(QWidget):
    """The list of runs with their status, buttons to change it, and the one-click races.

    Built on the main window: it edits through the window's controller, draws
    through its view area, and stands aside while a lesson is open (a scene's
    runs are the scene's).
    """

    #: A change was refused; a sentence for the user.
    refused = Signal(str)
    #: The user gave a run another colour (a saved file keeps it: the window has a change to save).
    recolored = Signal()

    def __init__(self, window) -> None:
        super().__init__()
        self.window = window
        self.controller = c = window.controller
        #: Per run: the name the user gave it (``None``: named after its optimiser and method).
        self._names: list[str | None] = []
        self._colors: list[str] = []
        self._visible: list[bool] = []
        self._lesson = False
        #: The statuses the list last showed, and when its step counts were last brought up to date.
        self._words: list | None = None
        self._steps_shown_at = 0.0

        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Run (tick: shown)", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked | QAbstractItemView.EditTrigger.EditKeyPressed
        )
        self.tree.header().setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(STATUS, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setToolTip(
            "The runs racing on this landscape, each in its colour. Select one to edit its method, "
            "optimiser and learning rate in the set-up panels; tick to show or hide it; double-click "
            "a name (or press F2) to rename it."
        )
        self.add_button = self._button("Add", "A new run: gradient descent at the landscape's suggested λ.", self.add)
        self.copy_button = self._button("Duplicate", "A copy of the selected run, to change one thing.", self.duplicate)
        self.remove_button = self._button("Remove", "Remove the selected run.", self.remove)
        self.rename_button = self._button("Rename", "Give the selected run a name of your own.", self.rename)
        self.color_button = QToolButton()
        self.color_button.setText("Colour")
        self.color_button.setToolTip("Draw the selected run in another colour.")
        self.color_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.color_button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        menu = QMenu(self.color_button)
        for color in RACE_COLORS:
            action = menu.addAction(_swatch(color), COLOR_NAMES[color])
            action.triggered.connect(lambda _=False, col=color: self.recolor(self.selected, col))
        self.color_button.setMenu(menu)
        self.save_button = self._button(
            "Save…", "Save these runs as a scene of your own (it appears in the lesson list).", self._save
        )
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        buttons = (self.add_button, self.copy_button, self.remove_button,
                   self.rename_button, self.color_button, self.save_button)  # fmt: skip
        for i, button in enumerate(buttons):
            grid.addWidget(button, i // 3, i % 3)
        self.color_button.setSizePolicy(self.add_button.sizePolicy())  # as wide as its row's buttons
        compare = QGroupBox("Compare")
        row = QHBoxLayout(compare)
        row.setContentsMargins(2, 2, 2, 2)
        self.preset_buttons = {}
        for name, text, tip in (
            ("compare methods", "methods", "Full batch, stochastic and mini-batch 32 from the selected run, "
             "on an equal budget of samples processed."),
            ("compare optimisers", "optimisers", "All six optimisers from the selected run's start."),
            ("compare learning rates", "λ", "The selected run at λ × 0.1, × 1 and × 10, and just under "
             "2/L (the stability limit of plain descent) where it is known."),
        ):  # fmt: skip
            button = self.preset_buttons[name] = self._button(text, tip, lambda _=False, n=name: self.apply_preset(n))
            row.addWidget(button)
        self.together = QCheckBox("Move shared starts together")
        self.together.setChecked(True)
        self.together.setToolTip(
            "Ticked: moving the start (on the map or in the start panel) moves every run that starts there. "
            "Unticked: the selected run's start alone moves."
        )

        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.addWidget(self.tree)
        layout.addLayout(grid)
        layout.addWidget(compare)
        layout.addWidget(self.together)
        layout.addStretch(1)

        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemChanged.connect(self._on_item_changed)
        self.together.toggled.connect(lambda on: setattr(c, "starts_together", on))
        c.loaded.connect(self._sync)
        c.state_changed.connect(self._on_state)
        c.frame_ready.connect(self.show_frame)

    def _button(self, text: str, tip: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setToolTip(tip)
        button.clicked.connect(slot)
        return button

    # --- what the list shows ----------------------------------------------------------

    @property
    def selected(self) -> int:
        return self.controller.selected_run

    @property
    def ordered(self) -> bool:
        """The runs wear the ordered ramp (λ small → large): a saved scene keeps that."""
        n = len(self._colors)
        return n > 1 and self._colors == [usual_color(i, n, ordered=True) for i in range(n)]

    def chosen_colors(self) -> list[str | None]:
        """Per run, the colour the user gave it, or ``None`` where it wears the one it would be
        given anyway (a saved scene or experiment keeps just those, and opens as it was saved)."""
        n, ordered = len(self._colors), self.ordered
        return [None if color == usual_color(i, n, ordered) else color for i, color in enumerate(self._colors)]

    def names(self) -> list[str]:
        """Each run's name, as the list and the legends show it."""
        setups = self.controller.setups
        return [name or self._auto_name(s) for name, s in zip(self._names, setups)]

    def looks(self) -> tuple[RunLook, ...]:
        """How the views draw each run: its name and λ, its colour, shown or not."""
        landscape = self.controller.landscape
        looks = []
        for name, setup, color, visible in zip(self.names(), self.controller.setups, self._colors, self._visible):
            rate = f"λ {run_rate(setup, landscape.problem):.3g}" if landscape is not None else ""
            if rate not in name:  # a scene's name may say it already, or say the λ it was saved with
                name = f"{_RATE_SUFFIX.sub('', name) or name}, {rate}"
            looks.append(RunLook(name, color, visible))
        return tuple(looks)

    def _auto_name(self, setup: RunSetup) -> str:
        name = OPTIMIZERS[setup.optimizer].title
        landscape = self.controller.landscape
        if landscape is not None and landscape.problem.is_dataset:
            name += f", {describe_method(setup.batch_size, landscape.problem.n_samples)}"
        return name

    def _sync(self) -> None:
        """After a load: follow runs loaded from elsewhere (a lesson, an experiment file), then redraw."""
        c = self.controller
        lesson = self.window.lesson.is_open
        n = len(c.setups)
        if len(self._names) != n or lesson != self._lesson:
            labels = [r.label for r in c.frame.runs] if c.frame is not None and len(c.frame.runs) == n else []
            # A lone run in the explorer is named after its settings; a scene's runs keep their names,
            # and the colours they were just given (a scene's, an experiment's).
            colors = self._colors if len(self._colors) == n else ()
            self.follow(labels if labels and (n > 1 or lesson) else [None] * n, colors)
        self._lesson = lesson
        for widget in (*self.findChildren(QPushButton), self.color_button, self.together):
            widget.setEnabled(not lesson)
        self.tree.setEnabled(not lesson)
        self._rebuild()

    def follow(self, labels, colors=(), ordered: bool = False) -> None:
        """Runs loaded from elsewhere (a scene, an experiment file): named as it says, in the
        colours it gives them (``None`` or none given: the usual ones, from the ordered ramp
        where it says ``ordered``), all shown (the list shows them once they are loaded)."""
        n = len(labels)
        colors = list(colors) + [None] * (n - len(colors))
        self._names = list(labels)
        self._colors = [color or usual_color(i, n, ordered) for i, color in enumerate(colors[:n])]
        self._visible = [True] * n

    def _rebuild(self) -> None:
        """The list's rows afresh, and the views' looks."""
        self.tree.blockSignals(True)
        self.tree.clear()
        self._words = None  # the new rows show their statuses at once
        for name, color, visible in zip(self.names(), self._colors, self._visible):
            item = QTreeWidgetItem([name, ""])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(NAME, Qt.CheckState.Checked if visible else Qt.CheckState.Unchecked)
            item.setIcon(NAME, _swatch(color))
            item.setToolTip(NAME, name)  # the whole name, where the column elides it
            self.tree.addTopLevelItem(item)
        self.tree.setCurrentItem(self.tree.topLevelItem(self.selected))
        self.tree.blockSignals(False)
        self.fit_tree()
        self._push_looks()
        if self.controller.frame is not None:
            self.show_frame(self.controller.frame)

    def _on_state(self, _state) -> None:
        self._refresh_names()
        if self.controller.frame is not None:  # running or paused
            self.show_frame(self.controller.frame)

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # Ctrl+ / Ctrl−, the presentation view
            self.fit_tree()

    def fit_tree(self) -> None:
        """Tall enough for every run (never a scroll bar hiding one), and no taller."""
        rows = max(self.tree.topLevelItemCount(), 3)
        row = self.tree.sizeHintForRow(0) if self.tree.topLevelItemCount() else self.fontMetrics().height() + 6
        self.tree.setFixedHeight(self.tree.header().sizeHint().height() + rows * row + 2 * self.tree.frameWidth() + 2)
        if (dock := getattr(self.window, "race_dock", None)) is not None:
            # The dock scrolls rather than clips, but a scroll bar here would hide runs and
            # buttons: the readouts below scroll instead.
            self.layout().activate()
            dock.widget().setMinimumHeight(self.sizeHint().height())

    def _refresh_names(self) -> None:
        """Names that follow their run's settings, and λ in the legends, after an edit."""
        if len(self._names) != len(self.controller.setups):
            return
        names = self.names()
        frame = self.controller.frame
        # The engine's frames say how a run ended, under its name (a scene's runs keep the scene's).
        if frame is not None and len(frame.runs) == len(names) and not self._lesson:
            for i, (run, name) in enumerate(zip(frame.runs, names)):
                if run.label != name:
                    self.controller.rename_run(i, name)
        self.tree.blockSignals(True)
        for i, name in enumerate(names):
            item = self.tree.topLevelItem(i)
            if item is not None and item.text(NAME) != name:
                item.setText(NAME, name)
                item.setToolTip(NAME, name)
        if (current := self.tree.topLevelItem(self.selected)) is not None:
            self.tree.setCurrentItem(current)
        self.tree.blockSignals(False)
        self._push_looks()

    def _push_looks(self) -> None:
        area = self.window.view_area
        if self._lesson:  # a scene's runs: its names as it words them, in its colours, all shown
            area.set_run_looks(tuple(RunLook(name, color) for name, color in zip(self.names(), self._colors)))
        else:
            area.set_run_looks(self.looks())
        if self.controller.frame is not None:  # paused runs too show the change at once
            area.draw(self.controller.frame)

    def show_frame(self, frame: Frame) -> None:
        """Each run's status and steps, in the status column."""
        running = self.controller.state.running
        words = [(r.status, running) for r in frame.runs]
        now = time.monotonic()
        if running and words == self._words and now - self._steps_shown_at < STEPS_EVERY:
            return
        self._words, self._steps_shown_at = words, now
        for i, run in enumerate(frame.runs):
            item = self.tree.topLevelItem(i)
            if item is None:
                return
            steps = int(run.history.column("step")[-1])
            if run.status is RunStatus.RUNNING:
                word = "running" if running else "paused"
                text = f"{word} {steps:,}"
            else:
                word = run.status.label
                text = f"{word} at {steps:,}"
            if item.text(STATUS) != text:
                item.setText(STATUS, text)
                color = QColor(theme.STATUS_COLORS[word])
                if item.foreground(STATUS).color() != color:  # each change redraws the row
                    item.setForeground(STATUS, QBrush(color))
                item.setToolTip(STATUS, f"{run.label}: {run.detail or word}, {steps:,} steps")

    # --- actions ----------------------------------------------------------------------

    def add(self) -> None:
        base = self.controller.setups[self.selected]
        self._insert(replace(base, optimizer="gd", lr=None, hyper={}, batch_size=None), None)

    def duplicate(self) -> None:
        i = self.selected
        name = self._names[i]
        self._insert(self.controller.setups[i], None if name is None else f"{name} (copy)")

    def _insert(self, setup: RunSetup, name: str | None) -> None:
        setups = self.controller.setups
        if len(setups) >= MAX_RUNS:
            self.refused.emit(f"a race has at most {MAX_RUNS} runs: remove one first")
            return
        free = [c for c in RACE_COLORS if c not in self._colors]
        self._names.append(name)
        self._colors.append(free[0])
        self._visible.append(True)
        self._load([*setups, setup], len(setups))

    def remove(self) -> None:
        i = self.selected
        setups = self.controller.setups
        if len(setups) < 2:
            self.refused.emit("the last run cannot be removed: a race needs one run at least")
            return
        for values in (self._names, self._colors, self._visible):
            del values[i]
        if not any(self._visible):
            self._visible[0] = True
        self._load(setups[:i] + setups[i + 1 :], min(i, len(setups) - 2))

    def rename(self) -> None:
        if (item := self.tree.topLevelItem(self.selected)) is not None:
            self.tree.editItem(item, NAME)

    def set_name(self, i: int, name: str) -> None:
        """Call run ``i`` ``name`` (blank: after its optimiser and method again)."""
        self._names[i] = name.strip() or None
        self._refresh_names()

    def recolor(self, i: int, color: str) -> None:
        self._colors[i] = color
        if (item := self.tree.topLevelItem(i)) is not None:
            item.setIcon(NAME, _swatch(color))
        self._push_looks()
        self.recolored.emit()

    def set_shown(self, i: int, shown: bool) -> None:
        """Show or hide run ``i`` in every view (one run stays shown)."""
        if not shown and sum(self._visible) == 1 and self._visible[i]:
            self.refused.emit("one run stays shown: show another before hiding this one")
            shown = True
        self._visible[i] = shown
        item = self.tree.topLevelItem(i)
        self.tree.blockSignals(True)
        item.setCheckState(NAME, Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)
        self.tree.blockSignals(False)
        self._push_looks()

    def apply_preset(self, name: str) -> None:
        """Replace the runs with one of the one-click races, built from the selected run."""
        c = self.controller
        if c.landscape is None:
            self.refused.emit("wait for the landscape to load before starting a race")
            return
        try:
            race: Race = PRESETS[name](c.setups[self.selected], c.landscape.problem)
        except ConfigError as exc:
            self.refused.emit(str(exc))
            return
        n = len(race.setups)
        self._names = list(race.labels)
        self._colors = [usual_color(i, n, race.ordered) for i in range(n)]
        self._visible = [True] * n
        self.window.loss_view.x_axis.setCurrentIndex(LOSS_AXIS_INDEX[race.loss_axis])
        self._load(list(race.setups), 0)

    def _load(self, setups: list[RunSetup], selected: int) -> None:
        self.controller.set_runs(setups, self.names_for(setups), selected=selected)

    def names_for(self, setups: list[RunSetup]) -> list[str]:
        return [name or self._auto_name(s) for name, s in zip(self._names, setups)]

    def _save(self) -> None:
        self.window.lesson.ask_save()

    # --- the list's own signals ---------------------------------------------------------

    def _on_current(self, current: QTreeWidgetItem | None, _previous) -> None:
        if current is not None:
            self.controller.select_run(self.tree.indexOfTopLevelItem(current))

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        if column != NAME:
            return
        i = self.tree.indexOfTopLevelItem(item)
        shown = item.checkState(NAME) == Qt.CheckState.Checked
        if shown != self._visible[i]:
            self.set_shown(i, shown)
        elif item.text(NAME) != self.names()[i]:
            self.set_name(i, item.text(NAME))


def usual_color(i: int, n: int, ordered: bool = False) -> str:
    """The colour run ``i`` of ``n`` wears unless the user picks another: from the ordered ramp
    (lightest first) when the runs are in an order, else the race's distinct colours in turn."""
    return theme.ordered_color(i, n) if ordered else RACE_COLORS[i % len(RACE_COLORS)]


def _swatch(color: str) -> QIcon:
    """A square of ``color`` edged in dark grey (so yellow shows on white)."""
    pixmap = QPixmap(16, 16)
    pixmap.fill(QColor("#1c1c1e"))
    inner = QPixmap(12, 12)
    inner.fill(QColor(color))
    painter = QPainter(pixmap)
    painter.drawPixmap(2, 2, inner)
    painter.end()
    icon = QIcon(pixmap)
    icon.addPixmap(pixmap, QIcon.Mode.Selected)  # the run's own colour in the selected row too, not tinted
    return icon
