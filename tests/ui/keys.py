"""Keys as a user presses them: into the window in front, to the widget with focus."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier):
    """Press ``key`` in ``window``. A shortcut works only in the active window: one that lost
    activation meanwhile (the display server's focus moves late on a busy machine, and CI saw
    Space start nothing) is brought to the front first, as the user's click on it would."""
    if QApplication.activeWindow() is not window:
        window.activateWindow()
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)
