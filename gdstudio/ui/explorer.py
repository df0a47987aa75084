"""Many runs at once for the current set-up: the learning-rate sweep, basins, the gradient cloud.

Installed into the main window with one line; it brings its own docks and
Explore menu, and ends its background jobs when the window closes.
"""

from __future__ import annotations

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QAction, QKeySequence

from .basin_key import BasinKey
from .basin_overlay import BasinOverlay
from .dock import add_dock
from .gradient_cloud_view import GradientCloudView
from .sweep_panel import SweepPanel

#: Share of the window's height the sweep's dock takes under the views.
SWEEP_HEIGHT = 0.45


class Explorer(QObject):
    """The three explorers of issue 12, in docks below the views (each opened from the menu)."""

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        c = window.controller
        self.sweep = SweepPanel(c)
        self.basins = BasinOverlay(c, window.map_view)
        self.cloud = GradientCloudView(c, window.map_view)
        bottom, left = Qt.DockWidgetArea.BottomDockWidgetArea, Qt.DockWidgetArea.LeftDockWidgetArea
        self.sweep_dock = add_dock(window, "Learning-rate sweep", self.sweep, bottom)
        self.basin_dock = add_dock(window, "Basins of attraction", self.basins, left)
        self.cloud_dock = add_dock(window, "Mini-batch gradient noise", self.cloud, left)
        for dock in (self.basin_dock, self.cloud_dock):
            window.tabifyDockWidget(window.setup_dock, dock)
        for dock in (self.sweep_dock, self.basin_dock, self.cloud_dock):
            dock.hide()
        #: The basins' key above the views, while the basin panel is out of sight (presentation view).
        self.basin_key = BasinKey(self.basins, self.basin_dock)
        window.view_area.add_key(self.basin_key)
        window.presentation.toggled.connect(lambda _: self.basin_key.follow())
        for panel in (self.sweep, self.basins, self.cloud):
            panel.refused.connect(window.show_error)
        menu = window.menuBar().addMenu("E&xplore")
        self.actions = {}
        for name, text, key, slot in (
            ("sweep", "Learning-rate sweep…", "Ctrl+Shift+W", self.open_sweep),
            ("basins", "Basins of attraction…", "Ctrl+Shift+B", self.open_basins),
            ("cloud", "Mini-batch gradient noise", "Ctrl+Shift+G", self.toggle_cloud),
        ):
            action = QAction(text, window)
            action.setShortcut(QKeySequence(key))
            action.triggered.connect(slot)
            menu.addAction(action)
            window.addAction(action)  # works with the menu bar hidden (presentation view)
            self.actions[name] = action
        self.actions["cloud"].setCheckable(True)
        self.cloud.enabled.toggled.connect(self.actions["cloud"].setChecked)

    def open_sweep(self) -> None:
        """Show the sweep panel and sweep the current set-up."""
        self._bring(self.sweep_dock)
        height = round(SWEEP_HEIGHT * self.window.height())
        self.window.resizeDocks([self.sweep_dock], [height], Qt.Orientation.Vertical)
        self.sweep.run()

    def open_basins(self) -> None:
        """Show the basin panel and compute the basins of the current set-up."""
        self._bring(self.basin_dock)
        self.basins.run()

    def toggle_cloud(self) -> None:
        """The gradient cloud on or off, with its numbers in view."""
        on = not self.cloud.enabled.isChecked()
        self.cloud.set_enabled(on)
        if on:
            self._bring(self.cloud_dock)

    def cloud_shown(self) -> bool:
        """The mini-batch gradients are drawn on the map (the cloud is on, over a dataset): a
        saved scene or experiment keeps that."""
        landscape = self.window.controller.landscape
        return self.cloud.enabled.isChecked() and landscape is not None and landscape.problem.is_dataset

    def _bring(self, dock) -> None:
        dock.show()
        dock.raise_()

    def restyle_text(self) -> None:
        """The sweep's plots at the current text scale (widgets follow the window's)."""
        self.sweep.restyle_text()

    def close(self) -> None:
        """End every background job (the window is closing)."""
        for panel in (self.sweep, self.basins, self.cloud):
            panel.job.close()
