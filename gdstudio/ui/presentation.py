"""The presentation view: only the scene's views and caption, full screen, text for a hall.

Set-up panels, menus, toolbar and status bar go; the views and the scene's title and caption
fill the screen; every text grows so that the smallest is 24 px on a 1080-line screen (in
proportion on others) and Ctrl+ / Ctrl− still scale it from there. The lecturer drives it with
keys: Space runs, → or N steps, R resets, Page Down / Page Up (a clicker) change scene,
Esc leaves.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, QRect, Qt, Signal
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMenuBar, QStatusBar, QToolBar, QWidget

from . import screen_fit, theme

#: The smallest text in the presentation view, in pixels on a screen 1080 pixels high.
SMALLEST_PX = 24
REFERENCE_HEIGHT = 1080
#: What the presentation view hides: everything around the views.
CHROME = (QDockWidget, QToolBar, QMenuBar, QStatusBar)


def presentation_scale(screen_height: int) -> float:
    """The text scale that draws the smallest text :data:`SMALLEST_PX` high (per 1080 lines)."""
    return SMALLEST_PX / (theme.BASE_PX * theme.SMALLEST) * screen_height / REFERENCE_HEIGHT


class Presentation(QObject):
    """Enters and leaves the presentation view of ``window``, restoring it as it was."""

    #: The view was entered (True) or left (False).
    toggled = Signal(bool)

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.active = False
        self._hidden: list[QWidget] = []
        self._geometry = QRect()
        self._was_full_screen = False

    def scale(self) -> float:
        """The factor the presentation view puts on the window's own text scale (1 outside it)."""
        return presentation_scale(screen_fit.screen_geometry(self._window).height()) if self.active else 1.0

    def enter(self) -> None:
        if self.active:
            return
        w = self._window
        self._geometry, self._was_full_screen = w.geometry(), w.isFullScreen()
        children = w.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        self._hidden = [c for c in children if c.isVisibleTo(w) and isinstance(c, CHROME)]
        for widget in self._hidden:
            widget.hide()
        self.active = True
        screen_fit.fill_screen(w)
        self.toggled.emit(True)

    def hide_until_left(self, widget: QWidget) -> None:
        """While the view is on, keep ``widget`` (a panel just opened) hidden until it is left."""
        if self.active and widget.isVisibleTo(self._window):
            widget.hide()
            self._hidden.append(widget)

    def release(self, widget: QWidget) -> bool:
        """Leave ``widget`` hidden when the view is left (another owner hides it now); True if
        the view had hidden it, to show again."""
        if widget in self._hidden:
            self._hidden.remove(widget)
            return True
        return False

    def show_when_left(self, widget: QWidget) -> None:
        """Show ``widget`` now, or, while the view is on, once it is left."""
        if not self.active:
            widget.show()
        elif widget not in self._hidden:
            self._hidden.append(widget)

    def set_aside(self) -> list[QWidget]:
        """What the view hides for the while: it comes back when the view is left."""
        return list(self._hidden)

    def leave(self) -> None:
        if not self.active:
            return
        w = self._window
        self.active = False
        for widget in self._hidden:
            widget.show()
        self._hidden = []
        if not self._was_full_screen:
            w.showNormal()
            w.setGeometry(self._geometry)
        self.toggled.emit(False)
