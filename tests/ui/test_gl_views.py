"""The 3D view under a real OpenGL context (Xvfb + Mesa): it draws the surface and the path."""

import pytest
from PySide6.QtGui import QImage

from gdstudio.core.run_setup import RunSetup
from gdstudio.ui import theme

from .pixels import count_near, distinct_colors, share_unlike, to_array

pytestmark = pytest.mark.gl


def test_the_3d_view_draws_surface_path_and_ball(open_window, qtbot):
    w = open_window(RunSetup(problem="himmelblau", lr=0.01), gl=True)
    view = w.surface_view.view
    qtbot.waitUntil(view.isValid, timeout=10_000)
    w.controller.set_max_steps(150)
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    # The finished frame reaches the 3D view through the event loop: wait until the path shows.
    qtbot.waitUntil(lambda: count_near(to_array(w.surface_view.grab_image()), theme.run_color(0)) > 30)
    rgb = to_array(w.surface_view.grab_image())
    assert rgb.shape[0] > 200 and rgb.shape[1] > 200
    assert share_unlike(rgb, "#262a31") > 0.1  # the surface fills a good part of the view
    assert distinct_colors(rgb) > 60  # a colour map, not a flat fill
    assert count_near(rgb, theme.run_color(0)) > 30  # the path and the ball are visible


def test_cached_surface_looks_as_drawn_live_and_follows_the_camera(open_window, qtbot):
    """The surface is drawn once and reused each frame: the picture must be the one a full
    redraw gives, paths in front of it included, and turning the camera must redraw it."""
    import numpy as np

    w = open_window(RunSetup(problem="himmelblau", lr=0.01), gl=True)
    sv = w.surface_view
    qtbot.waitUntil(sv.view.isValid, timeout=10_000)
    w.controller.set_max_steps(100)
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    view = sv.view

    def drawn(change):
        with qtbot.waitSignal(view.frameSwapped, timeout=10_000):
            change()
            view.update()
        return to_array(sv.grab_image()).astype(int)

    cached = drawn(lambda: None)
    assert view.caching  # copying framebuffers works on this OpenGL
    live = drawn(lambda: setattr(view, "caching", False))
    assert (np.abs(cached - live).sum(axis=2) > 40).mean() < 0.01
    assert count_near(cached.astype(np.uint8), theme.run_color(0)) > 30
    view.caching = True
    turned = drawn(lambda: view.setCameraPosition(azimuth=-35))
    assert (np.abs(turned - cached).sum(axis=2) > 40).mean() > 0.1
    turned_live = drawn(lambda: setattr(view, "caching", False))
    assert (np.abs(turned - turned_live).sum(axis=2) > 40).mean() < 0.01


def test_the_legend_matches_the_map(open_window, qtbot):
    w = open_window(RunSetup(problem="rosenbrock"), gl=True)
    legend = to_array(w.surface_view.legend.grab().toImage())
    assert distinct_colors(legend) > 20


def test_screenshot_command_saves_the_whole_window(gdstudio_command, tmp_path):
    out = tmp_path / "shot.png"
    code, err = gdstudio_command("--screenshot", out, "--problem", "wave-fit", "--batch-size", "16", "--steps", "120")
    assert code == 0, err
    image = QImage(str(out))
    assert image.width() >= 1200 and image.height() >= 700
    rgb = to_array(image)
    assert distinct_colors(rgb) > 100
    assert count_near(rgb, theme.run_color(0)) > 100
    assert list(tmp_path.iterdir()) == [out]  # no temporary file left behind


def test_animation_command_saves_a_gif_of_the_run(gdstudio_command, tmp_path):
    from PIL import Image

    out = tmp_path / "run.gif"
    code, err = gdstudio_command("--animation", out, "--problem", "bowl", "--lr", "0.05", "--steps", "10")
    assert code == 0, err
    with Image.open(out) as gif:
        assert gif.n_frames == 11 and gif.width <= 800  # steps 0 to 10: fewer steps than frames
    assert list(tmp_path.iterdir()) == [out]


def test_without_framebuffer_copies_the_3d_view_draws_everything_live(open_window, qtbot):
    from OpenGL import GL

    w = open_window(RunSetup(problem="himmelblau", lr=0.01), gl=True)
    view = w.surface_view.view
    qtbot.waitUntil(view.isValid, timeout=10_000)

    def unsupported(region):
        raise GL.GLError(GL.GL_INVALID_OPERATION, "glBlitFramebuffer")

    view._paint_over_static = unsupported  # as an OpenGL whose framebuffers cannot be copied
    with qtbot.waitSignal(view.frameSwapped, timeout=10_000):
        view.update()
    assert not view.caching
    rgb = to_array(w.surface_view.grab_image())
    assert share_unlike(rgb, "#262a31") > 0.1 and distinct_colors(rgb) > 60  # the surface is there
