import pytest


@pytest.fixture(autouse=True)
def usual_look():
    """Each test starts with text at its usual size and runs in their usual colours: both are
    global (a zoom test left the next ones' text a third larger, and their layouts failed)."""
    from gdstudio.ui import theme

    yield
    theme.set_run_colors(())
    if theme.text_scale != 1.0:
        theme.set_text_scale(1.0)


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


@pytest.fixture
def gdstudio_command(qapp, qtbot, capsys):
    """Run ``gdstudio ARGS`` (the window's commands: ``--screenshot``, ``--animation``) in this
    process, as ``gdstudio.cli.main`` does for a script: returns the exit code and stderr.

    The same code path as the installed command, without starting Python, Qt and OpenGL
    again for each test; ``python -m gdstudio`` itself is run by the CLI tests.
    """
    from gdstudio.cli import main

    def run(*args) -> tuple[int, str]:
        code = main([str(a) for a in args])
        return code, capsys.readouterr().err

    return run
