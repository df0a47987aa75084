import pytest


@pytest.fixture
def open_window(qapp, qtbot, tmp_path):
    """Open the main window as a user would; ``gl=True`` builds the real 3D view.

    The user's own lessons live in a fresh folder for each test.
    """
    windows = []

    def open_(setup=None, gl=False):
        from gdstudio.ui.main_window import MainWindow

        reason = None if gl else "it is switched off for this test."
        window = MainWindow(setup, gl_reason=reason, user_lessons=tmp_path / "lessons")
        qtbot.addWidget(window)
        window.show()
        window.activateWindow()  # shortcuts act in the active window, as on a real desktop
        qtbot.waitActive(window)
        qtbot.waitUntil(lambda: window.controller.frame is not None, timeout=30_000)
        windows.append(window)
        return window

    yield open_
    from PySide6.QtCore import QCoreApplication, QEvent

    for window in windows:
        window.close()
        window.deleteLater()
    # Delete them now, while the application lives: a window left for the application's own
    # teardown crashes it there (its 3D view's container finds its OpenGL window gone).
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
