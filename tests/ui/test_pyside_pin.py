"""PySide6 6.12.0 drops a reference to None on every processEvents() and aborts Python 3.11.

The pin ``PySide6-Essentials<6.12`` keeps that release out. This test fails on a
release with the bug, so the pin can be lifted safely once a fixed one exists.
"""

import sys


def test_process_events_keeps_none_alive(qapp):
    before = sys.getrefcount(None)
    for _ in range(2000):
        qapp.processEvents()
    assert sys.getrefcount(None) >= before - 50
