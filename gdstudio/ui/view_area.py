"""The window's middle: a message banner, the scene's caption, the runs' key and the views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ..controller import Frame, LossGrid
from . import theme
from .data_view import DataFitView
from .loss_curve_view import LossCurveView
from .loss_scale import LossScale
from .map_view import MapView
from .message_banner import MessageBanner
from .run_legend import RunLegend
from .scene_caption import SceneCaption
from .slice_view import SliceView

#: The views shown outside a lesson.
EXPLORE_VIEWS = ("surface", "map", "loss", "data")


class ViewArea(QWidget):
    """Builds the views in splitters and shows the ones a scene names.

    ``gl_reason`` says why there is no 3D view (``None``: there is one); the
    decision is made before any GL widget exists.
    """

    def __init__(self, gl_reason: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.banner = MessageBanner()
        self.caption = SceneCaption()
        self.caption.hide()
        self.run_legend = RunLegend()
        if gl_reason is None:
            from .surface_view import SurfaceView

            self.surface_view: SurfaceView | None = SurfaceView()
            surface_widget: QWidget = self.surface_view
        else:
            self.surface_view = None
            surface_widget = QLabel(
                f"The 3D view is not available: {gl_reason}\n\nThe 2D map and the loss curve show the same run."
            )
            surface_widget.setWordWrap(True)
            surface_widget.setAlignment(Qt.AlignmentFlag.AlignCenter)
            surface_widget.setObjectName("no-3d")
        #: The 3D view, or the sentence saying why there is none.
        self.surface_widget = surface_widget
        self.map_view = MapView()
        self.loss_view = LossCurveView()
        self.fit_view = DataFitView()
        self.slice_view = SliceView()
        self.slice_view.hide()
        top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(surface_widget)
        top.addWidget(self.map_view)
        top.setSizes([600, 400])
        bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.loss_view)
        bottom.addWidget(self.fit_view)
        bottom.addWidget(self.slice_view)
        bottom.setSizes([620, 380, 500])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([600, 340])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.caption)
        layout.addWidget(self.run_legend)
        layout.addWidget(self.splitter, 1)
        self._views: tuple[str, ...] = EXPLORE_VIEWS
        self._has_data = False

    def widgets(self) -> dict[str, QWidget]:
        return {
            "surface": self.surface_widget,
            "map": self.map_view,
            "loss": self.loss_view,
            "slice": self.slice_view,
            "data": self.fit_view,
        }

    def plots(self) -> list:
        """The pyqtgraph plot items, whose texts are sized apart from the widgets'."""
        return [v.getPlotItem() for v in (self.map_view, self.loss_view.plot, self.fit_view, self.slice_view)]

    @property
    def views(self) -> tuple[str, ...]:
        return self._views

    def set_views(self, names) -> None:
        """Show just these views (the data view only where there is data)."""
        self._views = tuple(names)
        for name, widget in self.widgets().items():
            widget.setVisible(name in self._views and (name != "data" or self._has_data))

    def set_landscape(self, landscape: LossGrid) -> None:
        scale = LossScale(landscape.Z)
        if self.surface_view is not None:
            self.surface_view.set_landscape(landscape, scale)
        self.map_view.set_landscape(landscape, scale)
        self.loss_view.set_landscape(landscape)
        self.fit_view.set_landscape(landscape)
        self.slice_view.set_landscape(landscape)
        self._has_data = landscape.problem.is_dataset
        self.set_views(self._views)

    def draw(self, frame: Frame) -> None:
        """Show ``frame`` in the plots (the live one, or one replayed for an animation)."""
        if self.surface_view is not None:
            self.surface_view.show_frame(frame)
        self.map_view.show_frame(frame)
        self.loss_view.show_frame(frame)
        self.fit_view.show_frame(frame)
        self.run_legend.show_frame(frame)
        if self.slice_view.isVisible():
            self.slice_view.show_frame(frame)

    def restyle_text(self) -> None:
        """Every text of the views at the current text scale."""
        theme.restyle_widgets(self)
        for plot in self.plots():
            theme.restyle_plot(plot)
        if self.surface_view is not None:
            self.surface_view.restyle_text()
