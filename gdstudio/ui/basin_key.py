"""The basin map's key above the views, for when the basin panel (which has the key) is out of sight.

The presentation view hides every panel, so the hall would see the basins' colours with
nothing saying which minimum each one is, nor how many starts reach it. The key then goes
above the views, beside the runs' colours: outside the map, where it covers no basin, in
the views' text size (24 px or more in the presentation view).
"""

from __future__ import annotations

import re

from PySide6.QtWidgets import QDockWidget, QLabel, QWidget

from . import theme
from .basin_overlay import BasinOverlay

#: A space in an entry's text, not inside one of its tags.
_SPACE_IN_TEXT = re.compile(r" (?![^<]*>)")


class BasinKey(QLabel):
    """One line (wrapping as needed) naming each basin's colour and share of the starts.

    Shown while the basins are on the map and their panel is not in sight (the presentation
    view, the panel closed or behind another tab); hidden otherwise, so the key is never
    given twice.
    """

    def __init__(self, overlay: BasinOverlay, panel: QDockWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.overlay = overlay
        self.setWordWrap(True)
        theme.set_font(self, 1.0)
        self.panel = panel
        overlay.drawn.connect(self.follow)
        panel.visibilityChanged.connect(lambda _: self.follow())
        self.hide()

    def follow(self) -> None:
        """Show the key of the basins drawn, if they are drawn and their panel is out of sight.

        Called when the basins change and when the panel may have come or gone (its
        ``visibilityChanged`` is not sent when a hidden tabbed panel is shown again, so the
        presentation view calls this on leaving too).
        """
        overlay = self.overlay
        shown = overlay.basins is not None and overlay.shown.isChecked()
        if shown:
            # Lines break between entries, never inside one ("(3.58," on one line, "-1.85)" on the next).
            entries = [_SPACE_IN_TEXT.sub("&nbsp;", entry) for entry in overlay.key_entries()]
            self.setText("<b>Basins:</b>&nbsp; " + "&nbsp;&nbsp;&nbsp; ".join(entries))
        self.setVisible(shown and not self.panel.isVisible())
