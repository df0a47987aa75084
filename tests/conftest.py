"""Shared test set-up: a display for Qt, the GL decision, and the no-leftover-threads rule."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import threading

import pytest

_GL_PROBE = """
from gdstudio.app import create_application
app = create_application()
from gdstudio.ui.surface_view import gl_unavailable_reason
print(gl_unavailable_reason() or "OK")
"""


@pytest.hookimpl(trylast=True)
def pytest_configure(config):
    # pytest-xvfb has set DISPLAY by now where Xvfb exists; elsewhere run Qt offscreen (no GL).
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


def _gl_reason() -> str | None:
    """Why GL tests cannot run here (asked in a child process, so a GL crash cannot kill the run)."""
    try:
        out = subprocess.run([sys.executable, "-c", _GL_PROBE], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "probing OpenGL timed out"
    lines = out.stdout.strip().splitlines()
    if out.returncode != 0 or not lines:
        return f"probing OpenGL failed: {out.stderr.strip()[-300:]}"
    return None if lines[-1] == "OK" else lines[-1]


def pytest_collection_modifyitems(config, items):
    gl_items = [item for item in items if "gl" in item.keywords]
    if not gl_items:
        return
    reason = _gl_reason()
    config.gl_available = reason is None
    if reason is not None:
        skip = pytest.mark.skip(reason=f"no OpenGL here: {reason}")
        for item in gl_items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def qapp():
    """The application as GD Studio makes it (surface format first), shared by all Qt tests."""
    from gdstudio.app import create_application

    return create_application()


@pytest.fixture(autouse=True)
def no_qt_leftovers():
    """Fail a test that leaves a thread running or a QTimer active.

    If you see this error, a test started a thread or timer and did not stop it:
    close the window (or call ``SessionController.shutdown``) in the test.
    """
    before = set(threading.enumerate())
    yield
    # Python threads too (a GIF encoder, say); Qt's own threads show up only as dummies.
    started = [t.name for t in threading.enumerate() if t not in before and not isinstance(t, threading._DummyThread)]
    if started:
        pytest.fail(f"test left threads running: {started}")
    if "PySide6.QtCore" not in sys.modules:
        return
    from PySide6.QtCore import QCoreApplication, QThread, QTimer

    app = QCoreApplication.instance()
    if app is None:
        return
    app.processEvents()
    main = app.thread()
    gc.collect()
    threads, timers = [], []
    for obj in gc.get_objects():
        try:
            if isinstance(obj, QThread) and obj is not main and obj.isRunning():
                threads.append(obj.objectName() or repr(obj))
            elif isinstance(obj, QTimer) and obj.isActive():
                timers.append(f"{obj!r} (interval {obj.interval()} ms)")
        except RuntimeError:  # the C++ object is already gone
            continue
    if threads or timers:
        pytest.fail(f"test left Qt work running: threads {threads}, timers {timers}")
