"""The 3D loss surface with each run's path and ball. The only module that imports pyqtgraph.opengl."""

from __future__ import annotations

import numpy as np
from PySide6.QtGui import QColor, QGuiApplication, QImage, QOffscreenSurface, QOpenGLContext, QVector3D
from PySide6.QtWidgets import QHBoxLayout, QWidget

from ..controller import Frame, LossGrid
from . import theme
from .color_legend import ColorLegend
from .loss_scale import LossScale
from .path_clip import frame_paths

#: The surface is drawn in a box HEIGHT tall whose longer side is SIDE; its two sides keep the
#: domain's proportions (equal scales on both weights, as on the map).
SIDE = 10.0
HEIGHT = 5.0
#: Heights drawn, in units of the colour scale: the surface and the paths are cut there.
Z_LIMITS = (-0.2, 1.2)
#: Paths follow the surface: a short step is drawn along the ground between its ends, every
#: this many box units, rather than as a chord cutting through a curved surface.
DRAPE_STEP = 0.12
#: Paths and balls float this far above the surface so the mesh does not hide them.
LIFT = 0.06
#: A step longer than this fraction of the box's diagonal is a jump: drawn as a straight chord
#: between its two points, not laid over the ground between them (a diverging run's leaps
#: would otherwise look like a walk).
CHORD_FRACTION = 0.04
#: The camera's distance from the box, for views up to FRAMED_ASPECT times wider than high.
CAMERA_DISTANCE = 15.0
FRAMED_ASPECT = 1.2


def _gl_view_window_class():
    """pyqtgraph's 3D view behaviour on a QOpenGLWindow (it ships it for QOpenGLWidget only)."""
    from OpenGL import GL
    from pyqtgraph.opengl import GLTextItem
    from pyqtgraph.opengl.GLViewWidget import GLViewMixin
    from PySide6.QtCore import QRect, Qt
    from PySide6.QtOpenGL import QOpenGLFramebufferObject, QOpenGLWindow

    class GLViewWindow(GLViewMixin, QOpenGLWindow):
        """Draws the static items once into an offscreen image, and each frame starts from a
        copy of it and draws only the moving items.

        The 128x128 surface alone takes several milliseconds of software rendering a frame;
        copying the image costs a fraction of that. Moving items are drawn into a copy that
        keeps the depth of the static ones, so hills still hide the paths behind them. The
        image is drawn again when the camera, the size or the static items change. Text is
        drawn with QPainter, which only paints on the window: it always draws live, last.
        """

        def __init__(self) -> None:
            super().__init__()
            # Keys stay with the main window, so its shortcuts work while the mouse rotates the view.
            self.setFlag(Qt.WindowType.WindowDoesNotAcceptFocus, True)
            self._static: list = []
            self._static_ids: set[int] = set()
            self._static_image: QOpenGLFramebufferObject | None = None
            self._frame_image: QOpenGLFramebufferObject | None = None
            self._static_key: tuple | None = None
            #: Off when this OpenGL cannot copy between images: then every item draws live.
            self.caching = True

        def devicePixelRatioF(self) -> float:  # noqa: N802 (the mixin's name)
            return self.devicePixelRatio()

        def rect(self):  # QWidget has it; GLTextItem asks its view for it
            return QRect(0, 0, self.width(), self.height())

        def set_static(self, items: list) -> None:
            """Items that change only with the landscape (added with :meth:`addItem` as usual)."""
            self._static = [i for i in items if not isinstance(i, GLTextItem)]
            self._static_ids = set(map(id, self._static))
            self._static_key = None  # draw the image again
            self.update()

        def paintGL(self) -> None:  # noqa: N802 (Qt's name)
            region = self.getViewport()
            if self.caching and self._static:
                try:
                    self._paint_over_static(region)
                    return
                except GL.GLError:
                    self.caching = False  # this OpenGL cannot copy the images: draw live from now on
                    GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, self.defaultFramebufferObject())
            self.paint(region=region, viewport=region)

        def _paint_over_static(self, region) -> None:
            w, h = region[2], region[3]
            camera = (self.opts["fov"], self.opts["distance"], tuple(self.viewMatrix().data()))
            key = (w, h, camera, tuple(self.opts["bgcolor"]))
            if self._static_image is None or self._static_image.size().toTuple() != (w, h):
                depth = QOpenGLFramebufferObject.Attachment.CombinedDepthStencil
                self._static_image = QOpenGLFramebufferObject(w, h, depth)
                self._frame_image = QOpenGLFramebufferObject(w, h, depth)
                self._static_key = None
            static, frame = self._static_image, self._frame_image
            if key != self._static_key:
                static.bind()
                self._draw(region, self._static, clear=True)
                self._static_key = key
            _copy(static.handle(), frame.handle(), w, h, GL.GL_COLOR_BUFFER_BIT | GL.GL_DEPTH_BUFFER_BIT)
            moving = [i for i in self.items if id(i) not in self._static_ids and not isinstance(i, GLTextItem)]
            self._draw(region, moving, clear=False)
            _copy(frame.handle(), self.defaultFramebufferObject(), w, h, GL.GL_COLOR_BUFFER_BIT)
            self._draw(region, [i for i in self.items if isinstance(i, GLTextItem)], clear=False)

        def _draw(self, region, items: list, clear: bool) -> None:
            """Draw ``items`` (top-level ones, with their children) as pyqtgraph's paint() does."""
            self.setProjection(region, region)
            self.setModelview()
            if clear:
                GL.glClearColor(*self.opts["bgcolor"])
                GL.glClear(GL.GL_DEPTH_BUFFER_BIT | GL.GL_COLOR_BUFFER_BIT)
            for item in sorted((i for i in items if i.parentItem() is None), key=lambda i: i.depthValue()):
                if item.visible():
                    self.drawItemTree(item)

    def _copy(source: int, target: int, w: int, h: int, bits: int) -> None:
        """Copy one framebuffer's ``bits`` into another and leave the target bound."""
        GL.glBindFramebuffer(GL.GL_READ_FRAMEBUFFER, source)
        GL.glBindFramebuffer(GL.GL_DRAW_FRAMEBUFFER, target)
        GL.glBlitFramebuffer(0, 0, w, h, 0, 0, w, h, bits, GL.GL_NEAREST)
        GL.glBindFramebuffer(GL.GL_FRAMEBUFFER, target)

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
        self.view.setBackgroundColor(QColor(theme.SURFACE_BACKGROUND))
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
        self._landscape: LossGrid | None = None
        self._scale: LossScale | None = None
        self._static: list = []
        #: The runs' paths, balls and exit marks (see :meth:`_moving_items`), once a frame came.
        self._moving: tuple | None = None
        self._labels: list = []
        self._box = (SIDE, SIDE)
        self._heights = np.zeros((2, 2))
        self.reset_camera()

    def reset_camera(self) -> None:
        self.view.opts["center"] = QVector3D(0, 0, HEIGHT * 0.35)
        self.view.setCameraPosition(distance=self._framing_distance(), elevation=28, azimuth=-125)

    def _framing_distance(self) -> float:
        """The camera's distance that keeps the whole box in view: the view's angle is
        horizontal, so a wide, short view must stand further back to show the box's height."""
        w, h = self.container.width(), self.container.height()
        return CAMERA_DISTANCE * max(1.0, (w / max(h, 1)) / FRAMED_ASPECT)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        self.view.setCameraPosition(distance=self._framing_distance())

    def _to_box(self, params: np.ndarray, loss: np.ndarray) -> np.ndarray:
        (x0, x1), (y0, y1) = self._landscape.problem.domain
        bx, by = self._box
        pts = np.empty((len(params), 3), dtype=np.float32)
        pts[:, 0] = (params[:, 0] - x0) / (x1 - x0) * bx - bx / 2
        pts[:, 1] = (params[:, 1] - y0) / (y1 - y0) * by - by / 2
        pts[:, 2] = np.clip(self._scale(loss), *Z_LIMITS) * HEIGHT + LIFT
        return pts

    def _draped(self, params: np.ndarray) -> np.ndarray:
        """The path through ``params`` (on the domain) in box coordinates, laid on the surface:
        each short segment sampled every :data:`DRAPE_STEP` and lifted to the surface's height
        there; a long one (:data:`CHORD_FRACTION`) is a straight chord between its two points."""
        return SurfaceView._draped_paths(self, [params])[0]  # reads only the landscape, box and heights

    def _draped_paths(self, paths: list[np.ndarray]) -> list[np.ndarray]:
        """:meth:`_draped` of each of ``paths`` (none empty), all in one go: a race's paths
        cost one path's NumPy calls, not one path's calls each."""
        params = np.concatenate(paths)
        (x0, x1), (y0, y1) = self._landscape.problem.domain
        bx, by = self._box
        u = np.column_stack([(params[:, 0] - x0) / (x1 - x0), (params[:, 1] - y0) / (y1 - y0)])
        ends = np.cumsum([len(p) for p in paths])  # one past each path's last point
        counts = np.ones(0, dtype=int)
        if len(u) > 1:
            step = np.diff(u, axis=0)
            length = np.hypot(step[:, 0] * bx, step[:, 1] * by)
            counts = np.ceil(length / DRAPE_STEP).astype(int).clip(1, 40)
            counts[length > CHORD_FRACTION * np.hypot(bx, by)] = 1
            # From one path's last point to the next path's first: that last point alone.
            step[ends[:-1] - 1] = 0
            counts[ends[:-1] - 1] = 1
            first = np.repeat(np.cumsum(counts) - counts, counts)
            t = (np.arange(counts.sum()) - first) / np.repeat(counts, counts)
            u = np.vstack([np.repeat(u[:-1], counts, axis=0) + np.repeat(step, counts, axis=0) * t[:, None], u[-1:]])
        heights = self._heights
        n, m = heights.shape
        fi = np.clip(u[:, 0], 0, 1) * (n - 1)
        fj = np.clip(u[:, 1], 0, 1) * (m - 1)
        i0 = np.minimum(fi.astype(int), n - 2)
        j0 = np.minimum(fj.astype(int), m - 2)
        a, b = fi - i0, fj - j0
        # The height of the mesh's own triangles (GLSurfacePlotItem cuts each cell along the
        # diagonal from (i, j+1) to (i+1, j)), so the path lies on the surface as drawn.
        z00, z10, z01, z11 = heights[i0, j0], heights[i0 + 1, j0], heights[i0, j0 + 1], heights[i0 + 1, j0 + 1]
        lower = a + b <= 1
        z = np.where(
            lower, z00 + a * (z10 - z00) + b * (z01 - z00), z11 + (1 - a) * (z01 - z11) + (1 - b) * (z10 - z11)
        )
        points = np.column_stack([u[:, 0] * bx - bx / 2, u[:, 1] * by - by / 2, z + LIFT]).astype(np.float32)
        # Each path's points end one past the samples of its last segment (its last point).
        return np.split(points, np.cumsum(counts)[ends[:-1] - 1])

    def set_landscape(self, landscape: LossGrid, scale: LossScale) -> None:
        gl = self._gl
        for item in self._static + list(self._moving or ()):
            self.view.removeItem(item)
        self._static, self._moving = [], None
        self._landscape, self._scale = landscape, scale
        problem = landscape.problem
        (x0, x1), (y0, y1) = problem.domain
        longer = max(x1 - x0, y1 - y0)
        self._box = bx, by = SIDE * (x1 - x0) / longer, SIDE * (y1 - y0) / longer
        t = scale(landscape.Z)
        self._heights = np.nan_to_num(np.clip(t, *Z_LIMITS), nan=Z_LIMITS[1]) * HEIGHT
        xs = np.linspace(-bx / 2, bx / 2, len(landscape.xs))
        ys = np.linspace(-by / 2, by / 2, len(landscape.ys))
        colors = theme.colormap().map(np.clip(t, 0, 1).ravel(), mode="float")  # one row per vertex
        surface = gl.GLSurfacePlotItem(
            x=xs, y=ys, z=self._heights, colors=colors,
            shader="shaded", computeNormals=True, smooth=False, glOptions="opaque",
        )  # fmt: skip
        grid = gl.GLGridItem(color=(255, 255, 255, 60))
        grid.setSize(bx, by)
        grid.setSpacing(SIDE / 10, SIDE / 10)
        grid.translate(0, 0, -0.02)
        self._static = [surface, grid]
        minima = landscape.minima
        if minima:
            pos = self._to_box(np.array([m.location for m in minima]), np.array([m.value for m in minima]))
            color = [QColor(theme.GLOBAL_MIN_COLOR if m.is_global else theme.LOCAL_MIN_COLOR).getRgbF() for m in minima]
            sizes = [16 if m.is_global else 10 for m in minima]
            self._static.append(gl.GLScatterPlotItem(pos=pos, color=np.array(color), size=np.array(sizes), pxMode=True))
        self._labels = self._axis_labels(problem)
        self._static += self._labels
        for item in self._static:
            self.view.addItem(item)
        self.view.set_static(self._static)
        self.legend.set_scale(scale)

    def _axis_labels(self, problem) -> list:
        """The axes' names only: each GL text item costs a QPainter pass per frame, and the
        2D map beside this view carries the exact coordinates."""
        gl = self._gl
        a, b = problem.param_names
        f = theme.font(theme.AXIS_TITLE, bold=True)
        white = QColor("#e5e5ea")
        bx, by = self._box
        return [
            gl.GLTextItem(pos=(0, -by / 2 - 1.4, 0), text=a, color=white, font=f),
            gl.GLTextItem(pos=(-bx / 2 - 1.4, 0, 0), text=b, color=white, font=f),
            gl.GLTextItem(pos=(-bx / 2, by / 2, HEIGHT + 0.6), text="loss", color=white, font=f),
        ]

    def restyle_text(self) -> None:
        """The axis names and the colour key at the current text scale."""
        for label in self._labels:
            label.setData(font=theme.font(theme.AXIS_TITLE, bold=True))
        self.legend.restyle_text()
        self.view.update()

    def show_frame(self, frame: Frame) -> None:
        if self._landscape is None:
            return
        if self._moving is None:
            self._moving = self._moving_items()
        lines, balls, exits = self._moving
        domain = self._landscape.problem.domain
        clipped = frame_paths(frame, domain)
        # Every path and exit mark draped in one go; the exit marks are one-point paths.
        to_drape = [p for p, _ in clipped if len(p)] + [e[None, :] for _, e in clipped if e is not None]
        draped = iter(self._draped_paths(to_drape) if to_drape else [])
        paths = [next(draped) if len(p) else None for p, _ in clipped]
        exit_points = [next(draped) if e is not None else None for _, e in clipped]
        colors = np.array([QColor(theme.run_color(i)).getRgbF() for i in range(len(frame.runs))], dtype=np.float32)
        # All runs' paths as one set of segments, each vertex in its run's colour: one item
        # draws a race in one OpenGL call, where an item per run cost a call each.
        segments = [(_segments(path), i) for i, path in enumerate(paths) if path is not None and len(path) > 1]
        _show(lines, [s for s, _ in segments], [np.repeat(colors[i : i + 1], len(s), axis=0) for s, i in segments])
        # Balls lifted a little more than the paths, so a ball resting on a minimum's marker shows.
        resting = [i for i, (p, left_at) in enumerate(clipped) if left_at is None and len(p)]
        at = self._to_box(np.array([frame.runs[i].params for i in resting]).reshape(-1, 2),
                          np.array([frame.runs[i].loss for i in resting]))  # fmt: skip
        at[:, 2] += 2 * LIFT
        _show(balls, [at] if resting else [], [colors[resting]])
        # Where a diverging run left the box: a large dot at the edge it crossed.
        gone = [i for i, e in enumerate(exit_points) if e is not None]
        _show(exits, [exit_points[i] for i in gone], [colors[gone]])

    def _moving_items(self) -> tuple:
        """The paths, the balls and the exit marks of every run: one item each."""
        gl = self._gl
        lines = gl.GLLinePlotItem(width=4, antialias=True, mode="lines")
        balls = gl.GLScatterPlotItem(size=18, pxMode=True, glOptions="translucent")
        exits = gl.GLScatterPlotItem(size=26, pxMode=True, glOptions="translucent")
        for item, depth in ((lines, 10), (balls, 11), (exits, 11)):
            item.setDepthValue(depth)
            item.setVisible(False)
            self.view.addItem(item)
        return lines, balls, exits

    def grab_image(self):
        """What the 3D view last put on screen, as a QImage (for tests)."""
        return self.view.grabFramebuffer()

    def render_image(self) -> QImage:
        """The 3D view drawn now, as it stands, as a QImage (for screenshots and animations).

        Draws at once instead of waiting for the window's next paint, so a
        picture taken straight after :meth:`show_frame` shows that frame.
        """
        view = self.view
        if not view.isValid():  # not shown yet: nothing to draw on
            image = QImage(self.container.size(), QImage.Format.Format_RGB32)
            image.fill(QColor(theme.SURFACE_BACKGROUND))
            return image
        view.makeCurrent()
        try:
            view.paintGL()
            return view.grabFramebuffer()
        finally:
            view.doneCurrent()


def _segments(path: np.ndarray) -> np.ndarray:
    """A path's points as the ends of its segments, two rows each, for a ``lines`` item."""
    return np.repeat(path, 2, axis=0)[1:-1]


def _show(item, parts: list[np.ndarray], colors: list[np.ndarray]) -> None:
    """Draw ``parts`` (points) joined in one item, each point in its colour; hidden when none."""
    item.setVisible(bool(parts))
    if parts:
        item.setData(pos=np.concatenate(parts), color=np.concatenate(colors))
