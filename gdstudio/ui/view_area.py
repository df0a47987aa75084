"""The window's middle: a message banner, the scene's caption, the runs' key and the views."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from ..controller import Frame, LossGrid
from . import theme
from .aspect_box import AspectBox
from .data_view import DataFitView
from .label_placement import declutter
from .loss_curve_view import LossCurveView
from .loss_scale import LossScale
from .map_view import MapView
from .message_banner import MessageBanner
from .run_legend import RunLegend
from .run_look import RunLook, looked
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
        self.map_box = AspectBox(self.map_view)
        self.loss_view = LossCurveView()
        self.fit_view = DataFitView()
        self.slice_view = SliceView()
        self.slice_view.hide()
        for moved in (self.slice_view.getViewBox().sigRangeChanged, self.slice_view.getViewBox().sigResized):
            moved.connect(lambda *_: declutter(self.slice_view))
        self.top = top = QSplitter(Qt.Orientation.Horizontal)
        top.addWidget(surface_widget)
        top.addWidget(self.map_box)
        top.setSizes([600, 400])
        self.bottom = bottom = QSplitter(Qt.Orientation.Horizontal)
        bottom.addWidget(self.loss_view)
        bottom.addWidget(self.fit_view)
        bottom.addWidget(self.slice_view)
        bottom.setSizes([620, 380, 500])
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(top)
        self.splitter.addWidget(bottom)
        self.splitter.setSizes([560, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.banner)
        layout.addWidget(self.caption)
        layout.addWidget(self.run_legend)
        layout.addWidget(self.splitter, 1)
        self._views: tuple[str, ...] = EXPLORE_VIEWS
        self._has_data = False
        self._aspect = 1.0
        self._looks: tuple[RunLook, ...] | None = None

    def add_key(self, key: QWidget) -> None:
        """Put ``key`` (an explorer's colour key) above the views, under the runs' colours."""
        layout = self.layout()
        layout.insertWidget(layout.indexOf(self.run_legend) + 1, key)

    def widgets(self) -> dict[str, QWidget]:
        return {
            "surface": self.surface_widget,
            "map": self.map_box,
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
        # Without the 3D view, the slice takes its place beside the map, and the loss curve
        # the whole bottom row: no row is left with one narrow view and wide empty bands.
        beside_map = "slice" in self._views and "surface" not in self._views
        row = self.top if beside_map else self.bottom
        if self.slice_view.parent() is not row:
            row.addWidget(self.slice_view)
        for name, widget in self.widgets().items():
            widget.setVisible(name in self._views and (name != "data" or self._has_data))
        # A map alone on its row would leave wide bands beside it: the rows go side by side.
        alone = _shown(self.top) == [self.map_box] and bool(_shown(self.bottom))
        orientation = Qt.Orientation.Horizontal if alone else Qt.Orientation.Vertical
        if orientation != self.splitter.orientation():
            self.splitter.setOrientation(orientation)
            # ... and the other views share their column one above the other.
            self.bottom.setOrientation(Qt.Orientation.Vertical if alone else Qt.Orientation.Horizontal)
            if not alone:
                height = self.splitter.height()
                self.splitter.setSizes([int(0.58 * height), height - int(0.58 * height)])
        self.fit_map()

    def set_landscape(self, landscape: LossGrid) -> None:
        scale = LossScale(landscape.Z)
        if self.surface_view is not None:
            self.surface_view.set_landscape(landscape, scale)
        self.map_view.set_landscape(landscape, scale)
        self.loss_view.set_landscape(landscape)
        self.fit_view.set_landscape(landscape)
        self.slice_view.set_landscape(landscape)
        self._has_data = landscape.problem.is_dataset
        (x0, x1), (y0, y1) = landscape.problem.domain
        self._aspect = (x1 - x0) / (y1 - y0)
        self.set_views(self._views)
        self.fit_map()

    def fit_map(self) -> None:
        """Give the map the width its domain needs at its height, and the 3D view the rest."""
        self.map_box.set_aspect(self._aspect)
        box = self.map_view.getViewBox().sceneBoundingRect()
        axes_w = self.map_view.width() - box.width()
        axes_h = self.map_view.height() - box.height()
        if self.splitter.orientation() == Qt.Orientation.Horizontal:  # the map, then the other views
            total = self.splitter.width()
            wanted = int(self._aspect * (self.splitter.height() - axes_h) + axes_w)
            wanted = min(max(wanted, int(0.3 * total)), int(0.6 * total))
            self.splitter.setSizes([wanted, total - wanted])
            return
        widgets = [self.top.widget(i) for i in range(self.top.count())]
        shown = _shown(self.top)
        if self.map_box not in shown or len(shown) < 2:
            return
        total = sum(w.width() for w in shown)
        wanted = int(self._aspect * (self.top.height() - axes_h) + axes_w)
        wanted = min(max(wanted, int(0.3 * total)), int(0.65 * total))
        sizes = [0 if w.isHidden() else (wanted if w is self.map_box else total - wanted) for w in widgets]
        self.top.setSizes(sizes)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.fit_map()

    def set_run_looks(self, looks: tuple[RunLook, ...] | None) -> None:
        """Draw the runs of a race as the user chose (names, colours, hidden ones left out);
        ``None``: as the frames say, in the usual colours (a lesson's runs)."""
        self._looks = looks
        theme.set_run_colors([look.color for look in looks if look.visible] if looks else ())

    def draw(self, frame: Frame) -> None:
        """Show ``frame`` in the plots (the live one, or one replayed for an animation)."""
        frame = looked(frame, self._looks)
        if self.surface_view is not None:
            self.surface_view.show_frame(frame)
        self.map_view.show_frame(frame)
        self.loss_view.show_frame(frame)
        self.fit_view.show_frame(frame)
        self.run_legend.show_frame(frame)
        if self.slice_view.isVisible():
            self.draw_slice(frame)

    def draw_slice(self, frame: Frame) -> None:
        self.slice_view.show_frame(looked(frame, self._looks))
        declutter(self.slice_view)

    def restyle_text(self) -> None:
        """Every text of the views at the current text scale."""
        theme.restyle_widgets(self)
        for plot in self.plots():
            theme.restyle_plot(plot)
        if self.surface_view is not None:
            self.surface_view.restyle_text()


def _shown(row: QSplitter) -> list[QWidget]:
    """The widgets of a splitter not hidden (whether or not the window is on screen yet)."""
    return [row.widget(i) for i in range(row.count()) if not row.widget(i).isHidden()]
