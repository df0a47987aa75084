"""The main window's menus and the keys that work wherever the focus is."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence

#: Each press of Ctrl+ / Ctrl− multiplies the text size by this (or divides it).
TEXT_STEP = 1.15


def _action(window, text: str, slot, keys=()) -> QAction:
    action = QAction(text, window)
    action.setShortcuts([QKeySequence(k) for k in keys])
    action.triggered.connect(slot)
    return action


def build_menus(window) -> None:
    """File, Lesson and View menus of ``window`` (a :class:`MainWindow`)."""
    bar = window.menuBar()
    file = bar.addMenu("&File")
    for text, keys, slot in (
        ("Load data CSV…", ("Ctrl+O",), window.problem_panel.choose_csv),
        ("Export run as CSV…", ("Ctrl+E",), lambda: window.ask_export("csv")),
        ("Export run as JSON…", (), lambda: window.ask_export("json")),
        ("Save screenshot…", ("Ctrl+Shift+S",), window.ask_screenshot),
        ("Export animation (GIF)…", (), window.ask_animation),
        ("Quit", ("Ctrl+Q",), window.close),
    ):
        file.addAction(_action(window, text, slot, keys))
    lesson = bar.addMenu("&Lesson")
    for text, keys, slot in (
        ("Open lesson", ("Ctrl+L",), lambda: window.lesson.open()),
        ("Run scene", ("Ctrl+R",), lambda: window.lesson.run_scene()),
        ("Leave lesson and explore", ("Ctrl+Shift+L",), lambda: window.lesson.leave()),
        ("Save setup as scene…", (), lambda: window.lesson.ask_save()),
    ):
        lesson.addAction(_action(window, text, slot, keys))
    for action in (window.lesson.next_action, window.lesson.previous_action):
        lesson.addAction(action)
    view = bar.addMenu("&View")
    for text, keys, factor in (
        ("Larger text", ("Ctrl++", "Ctrl+="), TEXT_STEP),
        ("Smaller text", ("Ctrl+-",), 1 / TEXT_STEP),
    ):
        action = _action(window, text, lambda _=False, f=factor: window.zoom_text(f), keys)
        view.addAction(action)
    present = _action(window, "Presentation view", window.presentation.enter, (Qt.Key.Key_F5,))
    present.setToolTip("Only the views and the scene's caption, full screen, in large type (Esc leaves).")
    leave = _action(window, "Leave the presentation view", window.presentation.leave, (Qt.Key.Key_Escape,))
    view.addAction(present)
    view.addAction(leave)
    slice_action = QAction("1-D slice", window)
    slice_action.setCheckable(True)
    slice_action.toggled.connect(window.view_area.slice_view.setVisible)
    view.addAction(slice_action)
    view.addAction(_action(window, "Full screen", window.toggle_full_screen, (Qt.Key.Key_F11,)))
    if window.surface_view is not None:
        view.addAction(_action(window, "Reset 3D camera", window.surface_view.reset_camera))
    # Shortcuts work wherever the focus is, and with the menu bar hidden (presentation view).
    for menu in (file, lesson, view):
        window.addActions(menu.actions())
    for action in window.toolbar.actions():
        if action.shortcut():
            window.addAction(action)
