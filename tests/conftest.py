"""Shared test set-up: a display for Qt, the GL decision, and the no-leftover-threads rule."""

from __future__ import annotations

import multiprocessing
import os
import subprocess
import sys
import tempfile
import threading
import traceback
import weakref

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
    # Under pytest-xdist the controller runs no tests and starts no Xvfb: its workers (which
    # inherit its environment) each start their own, so the controller must not choose offscreen.
    if _xdist_controller(config):
        return
    if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")
    # The window's settings (QSettings) go to a throwaway folder, for this process and the
    # windows tests start, so no test reads or changes the user's own.
    os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="gdstudio-test-config-")
    # Asked now, answered while the test modules are collected (it takes a second or two).
    config.gl_probe = subprocess.Popen(
        [sys.executable, "-c", _GL_PROBE], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def _xdist_controller(config) -> bool:
    """Is this the pytest-xdist process that hands tests to workers (and runs none itself)?"""
    return config.getoption("numprocesses", None) not in (None, 0) and "PYTEST_XDIST_WORKER" not in os.environ


def _gl_reason(probe: subprocess.Popen) -> str | None:
    """Why GL tests cannot run here (asked in a child process, so a GL crash cannot kill the run)."""
    try:
        out, err = probe.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        probe.kill()
        probe.communicate()
        return "probing OpenGL timed out"
    lines = out.strip().splitlines()
    if probe.returncode != 0 or not lines:
        return f"probing OpenGL failed: {err.strip()[-300:]}"
    return None if lines[-1] == "OK" else lines[-1]


def pytest_collection_modifyitems(config, items):
    probe = getattr(config, "gl_probe", None)
    if probe is None:  # the xdist controller: its workers ask
        return
    gl_items = [item for item in items if "gl" in item.keywords]
    if not gl_items:
        probe.kill()
        probe.communicate()
        return
    reason = _gl_reason(probe)
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


_QT_FIXTURES = {"qapp", "qtbot", "open_window"}


def _watch_starts(monkeypatch, cls, started: weakref.WeakKeyDictionary) -> None:
    """Wrap ``cls.start`` so that every object started during the test is remembered, with where."""
    original = cls.start

    def start(self, *args, **kwargs):
        caller = traceback.extract_stack(limit=2)[0]
        started[self] = f"{caller.filename}:{caller.lineno}"
        return original(self, *args, **kwargs)

    monkeypatch.setattr(cls, "start", start)


@pytest.fixture(autouse=True)
def no_leftovers(request, monkeypatch):
    """Fail a test that leaves a thread, a started QThread or QTimer, or an engine process running.

    Only what the test started is checked (``QThread.start`` and ``QTimer.start`` are wrapped, as
    napari does), and only in tests that use Qt. If you see this error, a test started something and
    did not stop it: close the window (or call ``SessionController.shutdown``) in the test.
    """
    before = set(threading.enumerate())
    children_before = set(multiprocessing.active_children())
    threads, timers = weakref.WeakKeyDictionary(), weakref.WeakKeyDictionary()
    uses_qt = not _QT_FIXTURES.isdisjoint(request.fixturenames)
    if uses_qt:
        from PySide6.QtCore import QThread, QTimer

        _watch_starts(monkeypatch, QThread, threads)
        _watch_starts(monkeypatch, QTimer, timers)
    yield
    # Python threads too (a GIF encoder, say); Qt's own threads show up only as dummies.
    started = [t.name for t in threading.enumerate() if t not in before and not isinstance(t, threading._DummyThread)]
    if started:
        pytest.fail(f"test left threads running: {started}")
    processes = [p.name for p in multiprocessing.active_children() if p not in children_before]
    if processes:
        pytest.fail(f"test left processes running: {processes}")
    if not uses_qt:
        return
    from PySide6.QtCore import QCoreApplication

    if (app := QCoreApplication.instance()) is not None:
        app.processEvents()
    running = [f"QThread from {where}" for thread, where in list(threads.items()) if _alive(thread.isRunning)]
    active = [f"QTimer from {where}" for timer, where in list(timers.items()) if _alive(timer.isActive)]
    if running or active:
        pytest.fail(f"test left Qt work running: {running + active}")


def _alive(is_running) -> bool:
    try:
        return bool(is_running())
    except RuntimeError:  # the C++ object is already gone
        return False
