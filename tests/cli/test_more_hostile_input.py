"""Hostile input not listed in issue 11, found by probing its siblings: one line, exit 2, no traceback."""

import warnings

import numpy as np
import pytest

from gdstudio.cli import main
from gdstudio.core.errors import ConfigError
from gdstudio.core.problems.formula import formula_surface


def one_error_line(capsys) -> str:
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("gdstudio: error: "), err
    return err[0]


@pytest.mark.parametrize("tol", ["1e308", "1e200", "1e155"])
def test_a_tolerance_whose_square_overflows_is_refused_in_one_line(capsys, tol):
    assert main(["run", "--problem", "bowl", "--steps", "5", "--tol", tol]) == 2
    assert "tolerance" in one_error_line(capsys)


@pytest.mark.parametrize("text", ["0.0^-1 + x", "0^-1 + x", "(1-1)^-2 + y", "(0.0)^(-0.5)*x"])
def test_a_number_divided_by_zero_through_a_power_is_refused(capsys, text):
    assert main(["run", "--function", text, "--steps", "5"]) == 2
    assert "infinite or undefined" in one_error_line(capsys)


@pytest.mark.parametrize("text", ["(-2)^x + y^2", "(-1)^y + x^2", "x^2 + y^2 + (-3)^(x/2)"])
def test_a_formula_that_turns_complex_between_points_gives_no_warning(capsys, text):
    """(-2)^x is real at x = -4 and complex at x = -3.9: the run says it left the real surface,
    NumPy prints no ComplexWarning, and no imaginary part is silently dropped."""
    surface = formula_surface(text)
    P = np.array([[-3.9, 0.3], [-4.0, 2.0]])
    with warnings.catch_warnings(), np.errstate(all="ignore"):  # the engine ignores NumPy's own
        warnings.simplefilter("error")
        loss = surface.loss(P)
        grad = surface.grad(P)
    assert loss.dtype == grad.dtype == np.float64
    assert np.isnan(grad[0]).any() and np.isfinite(loss[1])  # off the real surface, and on it
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        code = main(["run", "--function", text, "--steps", "5"])
    if code == 2:  # (-1)^3.5 at the start point
        assert "not finite at the start point" in one_error_line(capsys)
    else:
        assert code == 0 and "Warning" not in capsys.readouterr().err


@pytest.mark.parametrize(
    ("option", "value"),
    [("--function", "-x"), ("--function", "-x^2 + y^2"), ("--function", "-(x^2) + y^2"), ("--data", "-data.csv")],
)
def test_a_value_starting_with_a_minus_sign_is_read_as_the_value(tmp_path, capsys, monkeypatch, option, value):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "-data.csv").write_text("x,y\n1,2\n2,4\n3,6.5\n")
    setup = ["--problem", "linear-regression"] if option == "--data" else []
    assert main(["run", *setup, option, value, "--steps", "3"]) == 0
    assert "expected one argument" not in capsys.readouterr().err


def test_formula_errors_are_config_errors():
    with pytest.raises(ConfigError):
        formula_surface("0.0^-1 + x")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--screenshot", "keep.csv"], "--screenshot saves a PNG: give a file name ending in .png, got 'keep.csv'"),
        (["--screenshot", "shot"], "--screenshot saves a PNG"),
        (["--screenshot", "shot.jpg"], "--screenshot saves a PNG"),
        (["--animation", "anim.png", "--steps", "3"], "--animation saves a GIF: give a file name ending in .gif"),
        (["--animation", "keep.csv", "--steps", "3"], "--animation saves a GIF"),
    ],
)
def test_a_picture_is_only_written_under_its_own_kind_of_name(tmp_path, capsys, monkeypatch, args, message):
    """A PNG written over keep.csv would replace the user's CSV with a picture under its name."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.csv").write_text("x,y\n1,2\n")
    monkeypatch.setattr("gdstudio.app.main", lambda *a, **k: pytest.fail("the window opened"))
    assert main(["--problem", "bowl", *args]) == 2
    assert message in one_error_line(capsys)
    assert (tmp_path / "keep.csv").read_text() == "x,y\n1,2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv"]


def test_a_picture_name_in_capitals_is_fine(monkeypatch):
    opened = []
    monkeypatch.setattr("gdstudio.app.main", lambda *a, **k: opened.append(k) or 0)
    assert main(["--problem", "bowl", "--screenshot", "SHOT.PNG"]) == 0
    assert main(["--problem", "bowl", "--animation", "ANIM.GIF", "--steps", "3"]) == 0
    assert len(opened) == 2


@pytest.mark.parametrize("name", ["", "   "])
def test_a_blank_scene_name_is_refused_not_ignored(capsys, monkeypatch, name):
    monkeypatch.setattr("gdstudio.app.main", lambda *a, **k: pytest.fail("the window opened"))
    assert main(["--scene", name]) == 2
    assert "no lesson scene called" in one_error_line(capsys)


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--problem", "bowl", "--steps", "3", "--out", "keep.csv/"],
        ["sweep", "--problem", "bowl", "--steps", "3", "--lrs", "0.01:1:3", "--out", "keep.csv/"],
        ["basins", "--problem", "bowl", "--steps", "3", "--grid", "2", "--out", "keep.csv/"],
        ["--problem", "bowl", "--screenshot", "shot.png/"],
    ],
)
def test_a_file_name_ending_in_a_slash_names_a_folder_and_replaces_no_file(tmp_path, capsys, monkeypatch, args):
    """``--out keep.csv/`` once wrote over keep.csv: Path() drops the slash the user typed."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "keep.csv").write_text("x,y\n1,2\n")
    (tmp_path / "shot.png").write_bytes(b"old picture")
    monkeypatch.setattr("gdstudio.app.main", lambda *a, **k: pytest.fail("the window opened"))
    assert main(args) == 2
    assert "names a folder" in one_error_line(capsys)
    assert (tmp_path / "keep.csv").read_text() == "x,y\n1,2\n"
    assert (tmp_path / "shot.png").read_bytes() == b"old picture"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["run", "--problem", "bowl", "--steps", "5", "--out", ""], "argument --out: give a file name, got ''"),
        (["run", "--config", "", "--steps", "5"], "argument --config: give a file name, got ''"),
        (["--screenshot", ""], "argument --screenshot: give a file name, got ''"),
        (["run", "--problem", "wave-fit", "--data", "", "--steps", "5"], "argument --data: no dataset called ''"),
        (["run", "--problem", "", "--steps", "5"], "unknown problem ''"),  # once ran linear regression
    ],
)
def test_an_empty_name_is_refused_not_read_as_the_current_folder_or_a_default(
    tmp_path, capsys, monkeypatch, args, message
):
    monkeypatch.chdir(tmp_path)
    assert main(args) == 2
    assert message in one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []
