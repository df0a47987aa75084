"""A lesson on a laptop's 1366x768 screen, as a lecturer projects it: the Runs dock (no use
while the scene owns the runs) stands aside and comes back as it was, the readouts and the
map have the room, and every scene's title shows whole in the lesson list."""

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtWidgets import QApplication, QStyle

from gdstudio.ui import screen_fit

LAPTOP = QRect(0, 0, 1366, 768)


@pytest.fixture
def laptop(monkeypatch):
    """A laptop's screen (text at its usual size: see ``usual_look``)."""
    monkeypatch.setattr(screen_fit, "screen_geometry", lambda _w: LAPTOP)
    monkeypatch.setattr(screen_fit, "available_geometry", lambda _w: LAPTOP)


def on_laptop(qtbot, w) -> None:
    w.showNormal()
    w.setGeometry(LAPTOP)
    qtbot.waitUntil(lambda: w.size().toTuple() == LAPTOP.size().toTuple(), timeout=5_000)
    QApplication.processEvents()


def loaded(qtbot, w) -> None:
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame is not None, timeout=30_000)
    QApplication.processEvents()


def runs_shown(w) -> bool:
    return w.race_dock.isVisibleTo(w)


def test_the_runs_dock_stands_aside_in_a_lesson_and_comes_back_as_it_was(open_window, qtbot, laptop):
    w = open_window()
    on_laptop(qtbot, w)
    w.resizeDocks([w.race_dock], [220], Qt.Orientation.Vertical)
    QApplication.processEvents()
    area, height = w.dockWidgetArea(w.race_dock), w.race_dock.height()
    assert runs_shown(w)

    w.lesson.open("10")
    loaded(qtbot, w)
    assert not runs_shown(w)
    # The step's readouts have the column: every line of them in view, no scroll bar.
    readouts = w.readouts.parentWidget().parentWidget()  # the dock's scroll area
    assert not readouts.verticalScrollBar().isVisible() and not readouts.horizontalScrollBar().isVisible()
    # ... and the map beside the loss curve is a map to read from the back (it was 250 px wide).
    qtbot.waitUntil(lambda: w.map_view.getViewBox().sceneBoundingRect().width() >= 300, timeout=5_000)

    w.lesson.leave()
    loaded(qtbot, w)
    assert runs_shown(w) and w.dockWidgetArea(w.race_dock) == area
    assert abs(w.race_dock.height() - height) <= 2  # where and as tall as the user had it

    # A window closed mid-lecture keeps its layout with the Runs dock, as the user has it outside.
    w.lesson.open("10")
    kept = w.saveState()
    assert not runs_shown(w)  # saving did not bring it back into the lesson
    w.lesson.leave()
    w.race_dock.hide()  # as a fresh window restoring a state with the dock hidden would be
    w.restoreState(kept)
    assert runs_shown(w)

    # A dock the user had hidden stays hidden after a lesson.
    w.race_dock.hide()
    w.lesson.open("10")
    w.lesson.leave()
    assert not runs_shown(w)
    w.race_dock.show()

    # In the presentation view the dock waits for the view to be left, lesson or not.
    w.presentation.enter()
    w.lesson.open("10")
    w.presentation.leave()
    assert not runs_shown(w)  # the lesson is still open
    w.presentation.enter()
    w.lesson.leave()
    assert not runs_shown(w)  # still presenting
    w.presentation.leave()
    assert runs_shown(w)


def whole(scenes, item) -> bool:
    """``item``'s text shows whole: its row is in view and tall and wide enough for it wrapped."""
    rect = scenes.visualItemRect(item)
    if not scenes.viewport().rect().contains(rect):
        return False
    margin = scenes.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, scenes) + 1
    text = rect.adjusted(margin, 0, -margin, 0)
    need = scenes.fontMetrics().boundingRect(QRect(0, 0, text.width(), 10_000), Qt.TextFlag.TextWordWrap, item.text())
    return need.width() <= text.width() and need.height() <= rect.height()


def test_no_lesson_title_is_cut_on_a_laptop(open_window, qtbot, laptop):
    w = open_window()
    on_laptop(qtbot, w)
    w.lesson.open("10")  # the longest title but one, with the longest caption under the list
    loaded(qtbot, w)
    scenes = w.lesson.panel.list
    assert scenes.height() < 200  # the caption leaves the list a few rows: it must scroll
    assert whole(scenes, scenes.currentItem()), "the scene being shown is cut in the list"
    for i in range(scenes.count()):
        item = scenes.item(i)
        scenes.scrollToItem(item)
        assert whole(scenes, item), item.text()
        assert item.toolTip() == item.text()  # and on hover, whatever the width
    w.zoom_text(1.5)  # larger text (Ctrl+): the titles wrap again, whole
    QApplication.processEvents()
    for i in range(scenes.count()):
        scenes.scrollToItem(scenes.item(i))
        assert whole(scenes, scenes.item(i)), scenes.item(i).text()
