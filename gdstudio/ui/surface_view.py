"""The 3D loss surface with each run's path and ball. The only module that imports pyqtgraph.opengl."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QGuiApplication, QOffscreenSurface, QOpenGLContext, QVector3D
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ..controller import Frame, Landscape
from . import theme
from .color_legend import ColorLegend
from .loss_scale import LossScale

#: The surface is drawn in a box SIDE wide and HEIGHT tall, whatever the domain's units.
SIDE = 10.0
HEIGHT = 5.0
#: Paths and balls float this far above the surface so the mesh does not hide them.
LIFT = 0.06
#: At most this many points of a path are drawn (evenly thinned).
PATH_POINTS = 4000


def _gl_view_window_class():
    """pyqtgraph's 3D view behaviour on a QOpenGLWindow (it ships it for QOpenGLWidget only)."""
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtOpenGL import QOpenGLWindow

    class GLViewWindow(GLViewMixin, QOpenGLWindow):
        def __init__(self) -> None:
            super().__init__()
            # Keys stay with the main window, so its shortcuts work while the mouse rotates the view.
            self.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)

        def devicePixelRatioF(self) -> float:  # noqa: N802 (the mixin's name)
            return self.devicePixelRatio()

        def rect(self):  # QWidget has it; GLTextItem asks its view for it
            return QRect(0, 0, self.width(), self.height())

    return GLViewWindow


def gl_unavailable_reason() -> str | None:
    """Why a 3D view cannot work here, or ``None`` when it can."""
    try:
        import OpenGL.GL  # noqa: F401
        import pyqtgraph.opengl  # noqa: F401
    except Exception as exc:  # ImportError, or a broken driver found at import
        return f"OpenGL for Python could not be loaded ({exc.__class__.__name__}: {exc})."
    platform = QGuiApplication.platformName()
    if platform in ("offscreen", "minimal"):
        return f"Qt's '{platform}' display has no OpenGL."
    context = QOpenGLContext()
    if not context.create():
        return "no OpenGL context could be created on this display."
    surface = QOffscreenSurface()
    surface.create()
    if not context.makeCurrent(surface):
        return "the OpenGL context could not be made current."
    context.doneCurrent()
    return None


class SurfaceView(QWidget):
    """Rotatable, zoomable 3D surface of the loss over the two parameters.

    The surface mesh is built once per landscape (it is the costly part); each
    frame moves only the paths and balls.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        import pyqtgraph.opengl as gl

        self._gl = gl
        self.view = _gl_view_window_class()()
        self.view.setBackgroundColor(QColor("#262a31"))
        # A native GL window in a container: only this area goes through OpenGL. A
        # QOpenGLWidget would make Qt composite the whole main window with OpenGL on
        # every repaint, which cost two thirds of the frame rate on software GL.
        self.container = QWidget.createWindowContainer(self.view, self)
        self.container.setMinimumSize(320, 260)
        self.container.setToolTip(
            "The loss over both weights as a landscape: the ball is the current weights, the line "
            "the way it came. Drag to rotate, scroll to zoom."
        )
        self.legend = ColorLegend()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.container, 1)
        layout.addWidget(self.legend)
        self._landscape: Landscape | None = None
        self._scale: LossScale | None = None
        self._static: list = []
        self._paths: list = []
        self._balls: list = []
        self.reset_camera()

    def reset_camera(self) -> None:
        self.view.opts["center"] = QVector3D(0, 0, HEIGHT * 0.35)
        self.view.setCameraPosition(distance=15, elevation=28, azimuth=-125)

    def _to_box(self, params: np.ndarray, loss: np.ndarray) -> np.ndarray:
        (x0, x1), (y0, y1) = self._landscape.problem.domain
        pts = np.empty((len(params), 3), dtype=np.float32)
        pts[:, 0] = (params[:, 0] - x0) / (x1 - x0) * SIDE - SIDE / 2
        pts[:, 1] = (params[:, 1] - y0) / (y1 - y0) * SIDE - SIDE / 2
        pts[:, 2] = self._scale(loss) * HEIGHT + LIFT
        return pts

    def set_landscape(self, landscape: Landscape, scale: LossScale) -> None:
        gl = self._gl
        for item in self._static + self._paths + self._balls:
            self.view.removeItem(item)
        self._static, self._paths, self._balls = [], [], []
        self._landscape, self._scale = landscape, scale
        problem = landscape.problem
        t = scale(landscape.Z)
        xs = np.linspace(-SIDE / 2, SIDE / 2, len(landscape.xs))
        ys = np.linspace(-SIDE / 2, SIDE / 2, len(landscape.ys))
        colors = theme.colormap().map(np.clip(t, 0, 1).ravel(), mode="float")  # one row per vertex
        surface = gl.GLSurfacePlotItem(
            x=xs, y=ys, z=np.clip(t, -0.2, 1.2) * HEIGHT, colors=colors,
            shader="shaded", computeNormals=True, smooth=False, glOptions="opaque",
        )  # fmt: skip
        grid = gl.GLGridItem(color=(255, 255, 255, 60))
        grid.setSize(SIDE, SIDE)
        grid.setSpacing(SIDE / 10, SIDE / 10)
        grid.translate(0, 0, -0.02)
        self._static = [surface, grid]
        minima = landscape.minima
        if minima:
            pos = self._to_box(np.array([m.location for m in minima]), np.array([m.value for m in minima]))
            color = [QColor(theme.GLOBAL_MIN_COLOR if m.is_global else theme.LOCAL_MIN_COLOR).getRgbF() for m in minima]
            sizes = [16 if m.is_global else 10 for m in minima]
            self._static.append(gl.GLScatterPlotItem(pos=pos, color=np.array(color), size=np.array(sizes), pxMode=True))
        self._static += self._axis_labels(problem)
        for item in self._static:
            self.view.addItem(item)
        self.legend.set_scale(scale)

    def _axis_labels(self, problem) -> list:
        """The axes' names only: each GL text item costs a QPainter pass per frame, and the
        2D map beside this view carries the exact coordinates."""
        gl = self._gl
        a, b = problem.param_names
        f = theme.font(1.05, bold=True)
        white = QColor("#e5e5ea")
        return [
            gl.GLTextItem(pos=(0, -SIDE / 2 - 1.4, 0), text=a, color=white, font=f),
            gl.GLTextItem(pos=(-SIDE / 2 - 1.4, 0, 0), text=b, color=white, font=f),
            gl.GLTextItem(pos=(-SIDE / 2, SIDE / 2, HEIGHT + 0.6), text="loss", color=white, font=f),
        ]

    def show_frame(self, frame: Frame) -> None:
        if self._landscape is None:
            return
        gl = self._gl
        while len(self._paths) < len(frame.runs):
            color = QColor(theme.run_color(len(self._paths))).getRgbF()
            path = gl.GLLinePlotItem(color=color, width=3, antialias=True, mode="line_strip")
            ball = gl.GLScatterPlotItem(color=color, size=18, pxMode=True)
            path.setDepthValue(10)
            ball.setDepthValue(11)
            self._paths.append(path)
            self._balls.append(ball)
            self.view.addItem(path)
            self.view.addItem(ball)
        for run, path, ball in zip(frame.runs, self._paths, self._balls):
            history = run.history
            stride = max(1, len(history) // PATH_POINTS)
            params = history.params[::stride]
            loss = history.column("loss")[::stride]
            pos = self._to_box(np.vstack([params, run.params]), np.append(loss, run.loss))
            path.setData(pos=pos)
            ball.setData(pos=pos[-1:])

    def grab_image(self):
        """What the 3D view shows now, as a QImage (for screenshots and tests)."""
        return self.view.grabFramebuffer()
