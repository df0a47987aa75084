"""Scenes that load but cannot run (not listed in issue 11): Run scene gives a message, the window works on."""

import json

FUNCTIONS = [
    ("sin(x, y)", [-1, 0.5]),  # sympy cannot read it
    ("0.0^-1 + x", [-1, 0.5]),  # a division by zero inside mpmath
    ("1/(x - x)", [-1, 0.5]),  # undefined everywhere
    ("log(x) + y", [-1, 0.5]),  # undefined at the start
    ("(-2)^x + y^2", [-1, 0.5]),  # real at the start, its gradient complex (NaN) there
    ("sqrt(x^2 + y^2)", [0, 0]),  # a cone's tip: the loss is 0, the gradient 0/0
    ("(" * 240 + "x" + ")" * 240, [-1, 0.5]),  # deep, within the length limit
]


def test_running_a_scene_whose_formula_cannot_run_gives_a_message(open_window, qtbot, tmp_path):
    """The engine and the views survive each; a NaN gradient at a running point once raised in
    the map's arrow on every frame (a NumPy bool handed to Qt's setVisible).

    One window runs them all, one after another, as a user trying each would: a new engine
    for each would import sympy again (1.5 s) to show the same thing.
    """
    folder = tmp_path / "lessons"
    folder.mkdir()
    for i, (formula, start) in enumerate(FUNCTIONS):
        scene = {
            "title": f"Bad formula {i}",
            "caption": "c",
            "landscape": {"problem": "function", "function": formula},
            "runs": [{"optimizer": "gd", "lr": 0.1, "start": start}],
            "steps": 20,
        }
        (folder / f"bad-{i}.json").write_text(json.dumps(scene))
    w = open_window()
    errors, finished = [], []
    w.controller.error_raised.connect(errors.append)
    w.controller.run_finished.connect(finished.append)
    for i, (formula, _start) in enumerate(FUNCTIONS):
        errors.clear(), finished.clear()
        w.lesson.open(f"bad-{i}")
        w.lesson.run_scene()
        qtbot.waitUntil(lambda: bool(errors or finished), timeout=30_000)
        assert w.controller.engine_running, formula
        w.lesson.leave()
        w.problem_panel.choose("bowl")  # the app still works
        qtbot.waitUntil(
            lambda: not w.controller.is_loading and w.controller.landscape.problem.name == "bowl", timeout=30_000
        )
