"""Run/Pause, Step, Reset, speed and the step limit: the lecturer's transport controls."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QSlider, QSpinBox, QToolBar, QWidget

from ..controller import SessionController, SessionState
from ..core.run_setup import MAX_WINDOW_STEPS
from .spin_value import show_value

#: Speeds on the slider, in steps per second; ``None`` is as fast as the engine goes.
SPEEDS: tuple[float | None, ...] = (0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, None)


class RunToolbar(QToolBar):
    """Transport controls. Their actions carry the keyboard shortcuts (Space, → or N, R)."""

    def __init__(self, controller: SessionController, parent: QWidget | None = None) -> None:
        super().__init__("Run", parent)
        self.controller = controller
        self.setMovable(False)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.run_action = QAction("Run", self)
        self.run_action.setShortcut(QKeySequence(Qt.Key.Key_Space))
        self.run_action.setToolTip("Run or pause the descent (Space).")
        self.step_action = QAction("Step", self)
        self.step_action.setShortcuts([QKeySequence(Qt.Key.Key_Right), QKeySequence(Qt.Key.Key_N)])
        self.step_action.setToolTip("Take exactly one step, to follow W ← W − λ·dE/dW by hand (→ or N).")
        self.reset_action = QAction("Reset", self)
        self.reset_action.setShortcut(QKeySequence(Qt.Key.Key_R))
        self.reset_action.setToolTip("Start again from the start point (R).")
        for action in (self.run_action, self.step_action, self.reset_action):
            self.addAction(action)
            self.widgetForAction(action).setMinimumWidth(80)
        self.addSeparator()
        self.speed = QSlider(Qt.Orientation.Horizontal)
        self.speed.setRange(0, len(SPEEDS) - 1)
        self.speed.setValue(len(SPEEDS) - 1)
        self.speed.setFixedWidth(200)
        self.speed.setToolTip("Steps per second: slow motion to follow each step, or as fast as possible.")
        self.speed_label = QLabel()
        self.speed_label.setMinimumWidth(150)
        self.addWidget(QLabel(" Speed "))
        self.addWidget(self.speed)
        self.addWidget(self.speed_label)
        self.addSeparator()
        self.max_steps = QSpinBox()
        self.max_steps.setRange(1, MAX_WINDOW_STEPS)
        self.max_steps.setSingleStep(1000)
        self.max_steps.setGroupSeparatorShown(True)
        self.max_steps.setToolTip("The run pauses by itself after this many steps.")
        self.addWidget(QLabel(" Max steps "))
        self.addWidget(self.max_steps)

        self.run_action.triggered.connect(controller.toggle_running)
        self.step_action.triggered.connect(controller.step)
        self.reset_action.triggered.connect(controller.reset)
        self.speed.valueChanged.connect(self._on_speed)
        self.max_steps.editingFinished.connect(lambda: controller.set_max_steps(self.max_steps.value()))
        controller.state_changed.connect(self.show_state)
        self.show_state(controller.state)

    def _on_speed(self, index: int) -> None:
        self.controller.set_speed(SPEEDS[index])

    def show_state(self, state: SessionState) -> None:
        self.run_action.setText("Pause" if state.running else "Run")
        speed = state.speed
        self.speed_label.setText("as fast as possible" if speed is None else f"{speed:g} steps/s")
        index = SPEEDS.index(speed) if speed in SPEEDS else len(SPEEDS) - 1
        self.speed.blockSignals(True)
        self.speed.setValue(index)
        self.speed.blockSignals(False)
        show_value(self.max_steps, state.max_steps)
