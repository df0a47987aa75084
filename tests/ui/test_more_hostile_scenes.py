"""Scenes that load but cannot run (not listed in issue 11): Run scene gives a message, the window works on."""

import json

import pytest

FUNCTIONS = [
    ("sin(x, y)", [-1, 0.5]),  # sympy cannot read it
    ("0.0^-1 + x", [-1, 0.5]),  # a division by zero inside mpmath
    ("1/(x - x)", [-1, 0.5]),  # undefined everywhere
    ("log(x) + y", [-1, 0.5]),  # undefined at the start
    ("(-2)^x + y^2", [-1, 0.5]),  # real at the start, its gradient complex (NaN) there
    ("sqrt(x^2 + y^2)", [0, 0]),  # a cone's tip: the loss is 0, the gradient 0/0
    ("(" * 240 + "x" + ")" * 240, [-1, 0.5]),  # deep, within the length limit
]


@pytest.mark.parametrize(("formula", "start"), FUNCTIONS)
def test_running_a_scene_whose_formula_cannot_run_gives_a_message(open_window, qtbot, tmp_path, formula, start):
    """The engine and the views survive; a NaN gradient at a running point once raised in
    the map's arrow on every frame (a NumPy bool handed to Qt's setVisible)."""
    folder = tmp_path / "lessons"
    folder.mkdir()
    scene = {
        "title": "Bad formula",
        "caption": "c",
        "landscape": {"problem": "function", "function": formula},
        "runs": [{"optimizer": "gd", "lr": 0.1, "start": start}],
        "steps": 20,
    }
    (folder / "bad.json").write_text(json.dumps(scene))
    w = open_window()
    w.lesson.open("bad")
    errors, finished = [], []
    w.controller.error_raised.connect(errors.append)
    w.controller.run_finished.connect(finished.append)
    w.lesson.run_scene()
    qtbot.waitUntil(lambda: bool(errors or finished), timeout=30_000)
    assert w.controller.engine_running
    w.lesson.leave()
    w.problem_panel.choose("bowl")  # the app still works
    qtbot.waitUntil(
        lambda: not w.controller.is_loading and w.controller.landscape.problem.name == "bowl", timeout=30_000
    )
