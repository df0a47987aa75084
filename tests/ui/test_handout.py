"""The lesson handout: one PDF page per scene, each pictured at the end of its run."""

import re

from gdstudio.core.lesson import load_folder
from gdstudio.core.resources import resource
from gdstudio.core.run_setup import RunSetup
from gdstudio.ui.handout import HandoutRecorder


def pdf_pages(data: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![s\w])", data))


def test_the_handout_has_a_page_per_scene_and_gives_the_window_back(open_window, qtbot, tmp_path):
    w = open_window(RunSetup(problem="bowl", lr=0.1))
    scenes, _ = load_folder(resource("lessons"))
    chosen = [s for s in scenes if s.id[:2] in ("01", "06", "08")]
    path = tmp_path / "handout.pdf"
    recorder = HandoutRecorder(w, chosen, path, "Gradient descent")
    pictured = []
    recorder.progressed.connect(lambda done, total: pictured.append((done, total)))
    with qtbot.waitSignal(recorder.finished, timeout=240_000) as done:
        recorder.start()
    assert done.args == [path]
    assert pictured == [(1, 3), (2, 3), (3, 3)]
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and pdf_pages(data) == len(chosen)
    assert all(page.width() > 300 for page in recorder.pages)
    # The window is back on the set-up it had.
    qtbot.waitUntil(
        lambda: w.controller.frame is not None and len(w.controller.frame.runs) == 1 and not w.controller.is_loading
    )
    assert w.controller.state.setup == RunSetup(problem="bowl", lr=0.1)
