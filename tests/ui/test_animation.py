"""File > Export animation: the run replayed into a GIF, the window left as it was."""

import numpy as np
import pytest
from PIL import Image

from gdstudio.core.run_setup import RunSetup
from gdstudio.ui import theme

from .pixels import count_near, distinct_colors


def finished_run(open_window, qtbot, gl=False):
    w = open_window(RunSetup(problem="himmelblau", lr=0.01), gl=gl)
    if gl:
        qtbot.waitUntil(w.surface_view.view.isValid, timeout=10_000)
    w.controller.set_max_steps(400)
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    return w


def gif_frames(path):
    with Image.open(path) as gif:
        frames, durations = [], []
        for i in range(gif.n_frames):
            gif.seek(i)
            frames.append(np.asarray(gif.convert("RGB")))
            durations.append(gif.info["duration"])
    return frames, durations


def test_a_run_replays_into_a_gif_from_its_start_to_its_end(open_window, qtbot, tmp_path):
    w = finished_run(open_window, qtbot, gl=True)
    path_before = w.map_view._paths[0].getData()[0].copy()
    out = tmp_path / "descent.gif"
    with qtbot.waitSignal(w.statusBar().messageChanged, timeout=60_000, check_params_cb=lambda m: "Saved" in m):
        recorder = w.export_animation(out, frames=6)
    qtbot.waitUntil(lambda: not recorder.busy, timeout=10_000)
    frames, durations = gif_frames(out)
    assert len(frames) == 6 and frames[0].shape[1] <= 800
    assert durations[:-1] == [100] * 5 and durations[-1] == 2_000  # the end stays up a moment
    path_color = theme.run_color(0)
    drawn = [count_near(f, path_color) for f in frames]
    assert drawn[0] < drawn[-1] and drawn[len(drawn) // 2] < drawn[-1]  # the path grows frame by frame
    left = frames[-1][:, : frames[-1].shape[1] // 2]
    assert distinct_colors(left) > 60  # the 3D surface is in the picture, not a blank window
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".gif" or ".part" in p.name) == ["descent.gif"]
    # Afterwards the window shows the whole run again, and takes input.
    np.testing.assert_array_equal(w.map_view._paths[0].getData()[0], path_before)
    assert not w._recording


def test_cancelling_writes_nothing_and_restores_the_window(open_window, qtbot, tmp_path):
    w = finished_run(open_window, qtbot)
    path_before = w.map_view._paths[0].getData()[0].copy()
    out = tmp_path / "never.gif"
    recorder = w.export_animation(out, frames=40)
    qtbot.waitUntil(lambda: recorder.frame_count > 0 and len(recorder._images) >= 3, timeout=10_000)
    recorder.cancel()
    assert not recorder.busy and not out.exists() and list(tmp_path.glob("*.part")) == []
    np.testing.assert_array_equal(w.map_view._paths[0].getData()[0], path_before)


def test_nothing_to_animate_and_unwritable_places_get_one_message(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    w.ask_animation()  # before any step
    assert "Run some steps first" in w.banner.text()
    w.controller.set_max_steps(20)
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    recorder = w.export_animation(tmp_path / "missing" / "a.gif", frames=4)
    # The encoder thread's failure reaches the window as a queued signal, after the thread ends.
    qtbot.waitUntil(lambda: "Could not save the animation" in w.banner.text(), timeout=20_000)
    assert "missing" in w.banner.text()
    qtbot.waitUntil(lambda: not recorder.busy, timeout=20_000)  # and the thread ends


@pytest.mark.parametrize("frames", [2, 5])
def test_short_runs_give_as_many_frames_as_asked(open_window, qtbot, tmp_path, frames):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    w.controller.set_max_steps(30)
    with qtbot.waitSignal(w.controller.run_finished, timeout=10_000):
        w.controller.play()
    recorder = w.export_animation(tmp_path / "a.gif", frames=frames)
    qtbot.waitUntil(lambda: not recorder.busy, timeout=20_000)
    assert len(gif_frames(tmp_path / "a.gif")[0]) == frames


def test_a_scene_gif_carries_its_title_and_caption_without_banding(open_window, qtbot, tmp_path):
    w = open_window()
    w.lesson.open("03")
    scene = w.lesson.panel.current
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame.runs[0].label == scene.labels[0],
                    timeout=10_000)  # fmt: skip
    w.controller.set_speed(None)  # the scene steps slowly for a lecture; the end is the same
    with qtbot.waitSignal(w.controller.run_finished, timeout=20_000):
        w.controller.play()
    shown = []
    recorder = w.export_animation(tmp_path / "scene.gif", frames=3)
    recorder.progressed.connect(lambda *_: shown.append(w.view_area.caption.isVisible()))
    recorder.progressed.connect(lambda *_: shown.append(w.view_area.caption.title.text() == scene.title))
    qtbot.waitUntil(lambda: not recorder.busy and (tmp_path / "scene.gif").exists(), timeout=30_000)
    assert shown and all(shown)  # the caption was in every frame
    assert not w.view_area.caption.isVisible()  # and leaves the window afterwards
    with Image.open(tmp_path / "scene.gif") as gif:
        palettes = set()
        for i in range(gif.n_frames):
            gif.seek(i)
            palettes.add(bytes(gif.getpalette() or b""))
    assert len(palettes) > 1  # each frame has colours of its own
