"""Start the desktop app: surface format, QApplication, main window; or take a screenshot and exit."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from .core.resources import APP_ID, resource
from .core.run_setup import RunSetup


def app_icon():
    """The app's icon: the SVG for any size, with the rendered PNGs where Qt has no SVG plugin."""
    from PySide6.QtGui import QIcon

    icon = QIcon(str(resource("icons", f"{APP_ID}.svg")))
    for png in sorted(resource("icons").glob(f"*/{APP_ID}.png")):
        icon.addFile(str(png))
    return icon


def reset_settings() -> str:
    """Forget the window's saved settings (``gdstudio --reset-settings``); return where they were."""
    from PySide6.QtCore import QCoreApplication

    from .ui.app_settings import AppSettings

    app = QCoreApplication.instance() or QCoreApplication(sys.argv[:1])  # noqa: F841 - QSettings wants one
    settings = AppSettings()
    settings.reset()
    return settings.location


def create_application():
    """The QApplication, with the OpenGL surface format set before it exists (as Qt requires)."""
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    from PySide6.QtCore import QCoreApplication, Qt
    from PySide6.QtGui import QSurfaceFormat
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        # pyqtgraph compiles each shader once per process, so every GL view must share
        # one context family (pyqtgraph issues 2618 and 3455).
        QCoreApplication.setAttribute(Qt.ApplicationAttribute.AA_ShareOpenGLContexts)
        fmt = QSurfaceFormat()
        fmt.setDepthBufferSize(24)
        QSurfaceFormat.setDefaultFormat(fmt)
        app = QApplication(sys.argv[:1])
        app.setApplicationName("GD Studio")
        app.setDesktopFileName(APP_ID)  # Wayland and task bars match the window to its menu entry
        app.setWindowIcon(app_icon())  # every window and dialog shows it
    from .ui import theme

    theme.apply(app)
    return app


def no_display_reason() -> str | None:
    """Why no window can open here (Qt would abort), or ``None``."""
    if not sys.platform.startswith("linux") or os.environ.get("QT_QPA_PLATFORM"):
        return None
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        return None
    return (
        "no display to open a window on (DISPLAY is not set). Run it in a desktop session, "
        "under xvfb-run, or use 'gdstudio run' for a headless run"
    )


#: Fewest bits of colour per pixel Qt can paint widgets in: on an 8-bit (palette) X screen
#: every paint fails ("Paint device returned engine == 0") and the app crashes in exec().
MIN_SCREEN_DEPTH = 16


def screen_unusable_reason(app) -> str | None:
    """Why no window can be drawn on this application's screen, or ``None``."""
    screen = app.primaryScreen()
    if screen is None:
        return "the display has no screen to open a window on"
    depth = screen.depth()
    if depth < MIN_SCREEN_DEPTH:
        return (
            f"the screen has {depth}-bit colour; GD Studio needs at least {MIN_SCREEN_DEPTH}-bit colour "
            "(for Xvfb, give -screen 0 1280x1024x24)"
        )
    return None


def build_window(setup: RunSetup | None = None):
    """The main window, with or without the 3D view depending on what this display offers."""
    from .ui.main_window import MainWindow
    from .ui.surface_view import gl_unavailable_reason

    return MainWindow(setup, gl_reason=gl_unavailable_reason())


def main(
    setup: RunSetup | None = None,
    steps: int = 0,
    screenshot: Path | None = None,
    animation: Path | None = None,
    scene=None,
    full_screen: bool = False,
    present: bool = False,
    experiment=None,
    restore_last: bool = False,
) -> int:
    """Open the window (at a lesson ``scene``, or with an opened ``experiment`` file; full screen,
    or in the presentation view with ``present``); with ``screenshot`` (or ``animation``), run,
    save the PNG (or a GIF replaying the run) and exit.

    With a scene or an experiment, ``steps`` of 0 means its own number of steps. With
    ``restore_last``, the window opens on the set-up it was closed with.
    """
    reason = no_display_reason()
    if reason:
        print(f"gdstudio: error: {reason}", file=sys.stderr)
        return 2
    from PySide6.QtCore import QEvent

    app = create_application()
    reason = screen_unusable_reason(app)
    if reason:
        print(f"gdstudio: error: {reason}", file=sys.stderr)
        return 2
    window = build_window(scene.runs[0] if scene else setup)
    if scene is not None:
        window.lesson.open(scene.id)
        steps = steps or scene.steps
    interactive = screenshot is None and animation is None
    if interactive:  # a lecturer's window keeps its settings and asks before losing changes
        window.keeping.interactive = True
        window.keeping.restore(last_setup=scene is None and experiment is None and restore_last)
    if experiment is not None:
        window.keeping.files.apply(experiment)
        scene = experiment.scene
        steps = steps or scene.steps
    if present:
        window.presentation.enter()
    elif full_screen:
        window.toggle_full_screen()
    else:
        window.show()
    if screenshot is not None or animation is not None:
        from .ui.screenshot_session import ScreenshotSession

        runs = len(scene.runs) if scene else 1
        session = ScreenshotSession(window, steps, animation or screenshot, runs, animation=animation is not None)
        session.finished.connect(app.exit)
    code = app.exec()
    # Delete the window while the application lives: one left for the application's own
    # teardown can crash it there (the 3D view's container finds its OpenGL window gone).
    window.deleteLater()
    app.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return code
