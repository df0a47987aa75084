"""Walk through every shipped scene: it loads, runs to its end, and ends as it teaches."""

import json
import re

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontMetrics

from gdstudio.core import RunStatus
from gdstudio.core.lesson import load_folder
from gdstudio.ui import theme
from gdstudio.ui.lesson_panel import SHIPPED

from .keys import press
from .test_lecture_hall import check_lecture_hall

SCENES = [s.id for s in load_folder(SHIPPED)[0]]


def starting(runs, prefix):
    (run,) = [r for r in runs if r.label.startswith(prefix)]
    return run


def check_scene(scene_id, w, runs, qtbot):
    """What each scene shows at its end, as a user would see it (its numbers: tests/core/test_scene_claims.py)."""
    if scene_id == "01-loss-surface":
        assert runs[0].status is RunStatus.CONVERGED and runs[0].detail == "global minimum"
    elif scene_id == "02-gradient-as-slope":
        labels = [t.toPlainText() for t in w.slice_view._labels]
        # Each slope is written beside its letter, as the caption says: on two lines where one has no room.
        assert re.fullmatch(r"A(: |\n)−\d\.\d\d", labels[0]) and re.fullmatch(r"B(: |\n)\+\d\.\d\d", labels[1])
        assert re.fullmatch(r"C(: |\n)0", labels[2]) and labels[3] == "global minimum"
        # The three tangents stay once the run is over, each at its own slope.
        tangents = [t.getData() for t in w.slice_view._mark_tangents]
        assert len(tangents) == 3 and all(t.isVisible() for t in w.slice_view._mark_tangents)
        slopes = [np.diff(y)[0] / np.diff(x)[0] for x, y in tangents]
        assert slopes[0] < 0 < slopes[1] and abs(slopes[2]) < 0.05
        view = w.slice_view.getPlotItem()
        assert view.sceneBoundingRect().width() <= w.slice_view.width() + 1  # the title does not widen it

        def inside():  # every label inside the plot, none cut off (once the last layout is drawn)
            area = view.getViewBox().sceneBoundingRect()
            return all(area.contains(text.sceneBoundingRect()) for text in w.slice_view._labels)

        qtbot.waitUntil(inside, timeout=5_000)
        boxes = [text.sceneBoundingRect() for text in w.slice_view._labels]
        for i, a in enumerate(boxes):  # and none on another
            assert not any(a.intersects(b) for b in boxes[i + 1 :]), labels[i]
        assert runs[0].status is RunStatus.CONVERGED
    elif scene_id == "03-follow-the-gradient":
        loss = runs[0].history.column("loss")
        assert len(loss) == 13 and np.all(np.diff(loss) < 0)  # every step lowered the loss
    elif scene_id == "04-stuck-in-a-valley":
        assert runs[0].status is RunStatus.STUCK and runs[0].detail == "local minimum"
        assert runs[0].loss > w.controller.landscape.problem.global_min_value + 0.5
    elif scene_id == "05-local-and-global-minima":
        assert sorted(r.status for r in runs) == [RunStatus.CONVERGED, RunStatus.STUCK]
    elif scene_id == "06-step-size":
        statuses = [starting(runs, p).status for p in ("tiny", "larger", "too large")]
        assert statuses == [RunStatus.STUCK, RunStatus.CONVERGED, RunStatus.DIVERGED]
        # The planned divergence is the lesson, not an error.
        assert w.banner.kind == "info" and "as this scene means to show" in w.banner.text()
        check_top_tick_labels_fit(w)
    elif scene_id == "07-learning-rates":
        statuses = [r.status for r in runs]
        assert statuses.count(RunStatus.DIVERGED) == 1 and statuses[3] is RunStatus.DIVERGED
        assert runs[0].loss > runs[1].loss  # too small is still on its way
        assert "2 / L = 0.356" in w.lesson.panel.current.formula
        assert w.banner.kind == "info" and "Try a smaller" not in w.banner.text()
        check_run_colors(w, runs, ordered=True)
    elif scene_id in ("08-batch-methods", "09-batch-sizes"):
        assert w.loss_view.x_axis.currentText() == "Epochs"
        epochs = {float(r.history.column("epoch")[-1]) for r in runs}
        assert len(epochs) == 1  # every run had the same budget
        # Compared on the full-data loss, drawn for every run; no batch loss to read as a run winning.
        assert all(c.isVisible() for c in w.loss_view._full) and not any(c.isVisible() for c in w.loss_view._batch)
        check_run_colors(w, runs, ordered=scene_id == "09-batch-sizes")
    elif scene_id == "10-mini-batch-noise":
        view = w.explorer.cloud
        # The cloud follows the run to where it ended, near the bottom ...
        qtbot.waitUntil(lambda: view.cloud is not None and tuple(view.cloud.point) == tuple(runs[0].params))
        assert view.dots.isVisible() and len(view.dots.getData()[0]) == 200 and view.ellipse.isVisible()
        title = w.map_view.getPlotItem().titleLabel
        assert title.isVisible() and f"B = {view.cloud.batch_size}:" in title.text
        # ... where the scatter is wider than the arrow is long, as the caption says; all of it on the map.
        assert view.cloud.spread > 3 * np.hypot(*view.cloud.full_gradient)
        (x0, x1), (y0, y1) = w.map_view.getViewBox().viewRange()
        x, y = view.dots.getData()
        assert np.all((x0 < x) & (x < x1) & (y0 < y) & (y < y1))
    elif scene_id == "11-optimisers-on-a-ravine":
        y = starting(runs, "gradient descent").history.params[:40, 1]
        assert np.all(np.sign(y[1:]) == -np.sign(y[:-1]))  # bounces from wall to wall
        check_loss_axis_covers_every_run(w, runs)
        check_run_colors(w, runs, ordered=False)
    elif scene_id == "12-optimisers-on-rosenbrock":
        check_loss_axis_covers_every_run(w, runs)
        assert np.linalg.norm(starting(runs, "gradient descent").params - [1, 1]) > 0.3
        assert np.linalg.norm(starting(runs, "momentum").params - [1, 1]) < 0.05
        ends = [r.params for r in runs]  # every ball apart from every other: each run can be found
        assert min(np.linalg.norm(a - b) for i, a in enumerate(ends) for b in ends[i + 1 :]) > 0.25
    else:  # pragma: no cover - a new scene needs its check here
        pytest.fail(f"no check written for scene {scene_id}")


def check_top_tick_labels_fit(w):
    """Each plot leaves half a tick label's height above its top edge, where the top tick's
    label (centred on the tick) reaches: the map's "4", the loss axis's "100" show whole."""
    half = QFontMetrics(theme.font(theme.SMALLEST)).height() / 2
    for name in ("map_view", "loss_view", "slice_view"):
        widget = getattr(w, name)
        plot = widget.plot if name == "loss_view" else widget
        if not plot.isVisible():
            continue
        vb = plot.getPlotItem().getViewBox()
        assert vb.sceneBoundingRect().top() >= half, name


def check_run_colors(w, runs, ordered: bool):
    """Runs in an order get an ordered ramp (lightest first), others colour-blind-safe
    distinct colours; each run has the same colour in every view and in the run key."""
    loss = [c.opts["pen"].color().name().lower() for c in w.loss_view._full[: len(runs)]]
    paths = [p.opts["pen"].color().name().lower() for p in w.map_view._paths[: len(runs)]]
    assert loss == paths
    key = w.view_area.run_legend.text().lower()
    assert all(f"color:{c}" in key for c in loss)
    if ordered:
        assert all(c in [r.lower() for r in theme.ORDERED_RAMP] for c in loss)
        lightness = [QColor(c).lightness() for c in loss]
        assert lightness == sorted(lightness, reverse=True) and len(set(loss)) == len(loss)
    else:
        assert loss == [theme.RUN_COLORS[i].lower() for i in range(len(runs))]


def check_loss_axis_covers_every_run(w, runs):
    """On the log axis each run's lowest loss is inside the plot, not at a floor above it."""
    view = w.loss_view
    assert view.log_scale.isChecked()
    lo, hi = view.plot.getPlotItem().getViewBox().viewRange()[1]  # decades
    for run in runs:
        above = run.history.column("loss") - view._offset
        lowest = float(above[above > 0].min())
        assert lo <= np.log10(lowest) <= hi, (run.label, lowest, 10**lo)


def test_the_lesson_walked_scene_by_scene_ends_each_as_it_teaches(open_window, qtbot, monkeypatch):
    """The whole lesson in one window, as a lecturer walks it: each scene loads, runs to its
    end, ends as it teaches and lays out for the hall, whatever the scene before it left."""
    w = open_window()
    for scene_id in SCENES:
        try:
            walk_scene(w, qtbot, monkeypatch, scene_id)
        except AssertionError as exc:
            raise AssertionError(f"scene {scene_id}: {exc}") from exc


def walk_scene(w, qtbot, monkeypatch, scene_id: str) -> None:
    w.lesson.open(scene_id)
    scene = w.lesson.panel.current
    assert scene.id == scene_id
    qtbot.waitUntil(lambda: w.controller.frame is not None and len(w.controller.frame.runs) == len(scene.runs)
                    and not w.controller.is_loading, timeout=20_000)  # fmt: skip
    assert w.lesson.panel.caption.text() == scene.caption
    for name, widget in w.view_widgets().items():
        if name != "data":
            assert widget.isVisibleTo(w) == (name in scene.views), name
    w.controller.set_speed(None)  # the end state is the same at any speed
    with qtbot.waitSignal(w.controller.run_finished, timeout=60_000):
        w.controller.play()
    runs = w.controller.frame.runs
    assert [r.label for r in runs] == list(scene.labels)
    # The step's numbers to 4 significant digits, read from the back row; exactly on hover.
    loss = w.readouts.values["loss"]
    run = runs[w.controller.selected_run]
    assert loss.text() == f"{run.loss + 0.0:.4g}" and f"Exactly {float(run.loss)!r}" in loss.toolTip()
    check_scene(scene_id, w, runs, qtbot)
    check_lecture_hall(qtbot, w, monkeypatch, scene_id)


def test_clicker_keys_move_between_scenes_and_no_other_key_leaves_one(open_window, qtbot):
    w = open_window()
    w.lesson.open("01")
    panel = w.lesson.panel
    for key, expected in ((Qt.Key.Key_PageDown, 1), (Qt.Key.Key_PageDown, 2), (Qt.Key.Key_PageUp, 1)):
        press(qtbot, w, key)
        assert panel.index == expected
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame.step == 0, timeout=10_000)
    press(qtbot, w, Qt.Key.Key_Right)  # a caption's "press → or N" takes a step, in the same scene
    qtbot.waitUntil(lambda: w.controller.frame.step == 1, timeout=5_000)
    press(qtbot, w, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: w.controller.frame.step == 2, timeout=5_000)
    press(qtbot, w, Qt.Key.Key_Left)
    assert panel.index == 1 and w.controller.frame.step == 2
    w.lesson.leave()
    assert not w.lesson.dock.isVisible()
    qtbot.waitUntil(lambda: not w.controller.is_loading and len(w.controller.frame.runs) == 1, timeout=10_000)
    press(qtbot, w, Qt.Key.Key_PageDown)  # outside the lesson the clicker changes nothing
    press(qtbot, w, Qt.Key.Key_Right)
    qtbot.waitUntil(lambda: w.controller.frame.step == 1, timeout=5_000)
    assert panel.index == 1


def test_leaving_keeps_the_scene_setup_to_explore(open_window, qtbot):
    w = open_window()
    w.lesson.open("04")
    qtbot.waitUntil(
        lambda: w.controller.state.setup.start == (4.2, 3.6) and not w.controller.is_loading, timeout=10_000
    )
    w.lesson.leave()
    qtbot.waitUntil(lambda: not w.controller.is_loading and len(w.controller.frame.runs) == 1, timeout=10_000)
    assert w.controller.state.setup.problem == "rough-bowl" and w.controller.state.setup.start == (4.2, 3.6)
    assert w.problem_panel.choice.currentText() == "Rough bowl"


def test_larger_and_smaller_text(open_window, qtbot):
    w = open_window()
    before = w.lesson.panel.caption.font().pixelSize()
    press(qtbot, w, Qt.Key.Key_Equal, Qt.KeyboardModifier.ControlModifier)
    assert w.lesson.panel.caption.font().pixelSize() == round(before * 1.15)
    press(qtbot, w, Qt.Key.Key_Minus, Qt.KeyboardModifier.ControlModifier)
    assert w.lesson.panel.caption.font().pixelSize() == before


def test_save_current_setup_as_a_scene(open_window, qtbot, tmp_path):
    w = open_window()
    w.lesson.open("07")
    qtbot.waitUntil(lambda: not w.controller.is_loading and len(w.controller.frame.runs) == 4, timeout=10_000)
    path = w.lesson.save_current("My learning rates")
    assert path.parent == tmp_path / "lessons"
    saved = json.loads(path.read_text())
    assert [r["lr"] for r in saved["runs"]] == [0.002, 0.15, 0.34, 0.4]
    assert w.lesson.panel.current.id == "my-learning-rates"
    assert w.lesson.panel.list.currentItem().text().endswith("(yours)")
    assert "gradient_cloud" not in saved
    # A scene with the gradient cloud on keeps it.
    w.lesson.open("10")
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame.runs[0].label.startswith("mini-batch"))
    saved = json.loads(w.lesson.save_current("My noise").read_text())
    assert saved["gradient_cloud"] is True and w.lesson.panel.current.gradient_cloud


def test_broken_scene_files_are_listed_with_the_reason(open_window, qtbot, tmp_path):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "zz-broken.json").write_text(json.dumps({"title": "x", "caption": "y", "runs": []}))
    w = open_window()
    w.lesson.open()
    texts = [w.lesson.panel.list.item(i).text() for i in range(w.lesson.panel.list.count())]
    assert any(t.startswith("⚠ zz-broken.json: zz-broken.json: field 'landscape' is missing") for t in texts)
    assert len(w.lesson.panel.scenes) == len(SCENES)


def test_the_keys_scene_03_names_step_and_run_without_leaving_it(open_window, qtbot):
    w = open_window()
    w.lesson.open("03")
    index = w.lesson.panel.index
    assert "Press N" in w.lesson.panel.current.caption and "Space" in w.lesson.panel.current.caption
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame.step == 0, timeout=10_000)
    press(qtbot, w, Qt.Key.Key_N)
    qtbot.waitUntil(lambda: w.controller.frame.step == 1, timeout=5_000)
    press(qtbot, w, Qt.Key.Key_Space)
    qtbot.waitUntil(lambda: w.controller.frame.step > 1, timeout=10_000)
    assert w.lesson.panel.index == index and w.lesson.panel.current.id.startswith("03")


def test_slice_labels_stay_on_the_plot_at_a_laptop_size(open_window, qtbot):
    """Labels are a fixed height in pixels: the room under the curve follows the plot's height."""
    w = open_window()
    w.resize(1366, 768)
    w.lesson.open("02")
    qtbot.waitUntil(lambda: not w.controller.is_loading and w.controller.frame is not None, timeout=10_000)
    view = w.slice_view
    for height in (768, 600):
        w.resize(1366, height)

        def inside():
            area = view.getPlotItem().getViewBox().sceneBoundingRect()
            return len(view._labels) == 4 and all(area.contains(t.sceneBoundingRect()) for t in view._labels)

        qtbot.waitUntil(inside, timeout=5_000)


@pytest.mark.parametrize("scene", load_folder(SHIPPED)[0], ids=SCENES)
def test_captions_point_only_at_what_the_presentation_view_shows(scene):
    """The presentation view hides the docks (the numbers panel, the set-up): a caption read
    out in the lecture hall must not send the room to look at them."""
    words = scene.caption.lower()
    for hidden in ("numbers on the right", "numbers panel", "readout", "this step panel", "set-up panel"):
        assert hidden not in words, hidden
