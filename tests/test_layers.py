"""The layers hold: the core and the headless command line never load Qt."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
GUI_MODULES = ("PySide6", "pyqtgraph", "OpenGL")


def python(code: str, **env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "QT_QPA_PLATFORM", "WAYLAND_DISPLAY")}
    environ.update(env)
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=environ, timeout=60)


def loaded_after(statement: str) -> set[str]:
    code = f"import sys\n{statement}\nprint(' '.join(sorted(m.split('.')[0] for m in sys.modules)))"
    result = python(code)
    assert result.returncode == 0, result.stderr
    return set(result.stdout.split())


def test_core_loads_no_gui():
    assert not loaded_after("import gdstudio.core, gdstudio.core.simulation").intersection(GUI_MODULES)


def test_headless_run_loads_no_gui_and_needs_no_display(tmp_path):
    out = tmp_path / "r.csv"
    statement = (
        "from gdstudio.cli import main\n"
        f"assert main(['run', '--problem', 'rosenbrock', '--lr', '1e-3', '--steps', '20', '--out', r'{out}']) == 0"
    )
    assert not loaded_after(statement).intersection(GUI_MODULES)
    assert out.exists()


def test_the_console_script_runs_headless(tmp_path):
    out = tmp_path / "r.csv"
    result = subprocess.run(
        [sys.executable, "-m", "gdstudio", "run", "--problem", "himmelblau", "--steps", "10", "--start",
         "-1.5,2", "--out", str(out)],
        capture_output=True, text=True, timeout=60, env={k: v for k, v in os.environ.items() if k != "DISPLAY"},
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("\n") == 1 and "himmelblau" in result.stdout


def test_bad_input_prints_no_traceback():
    result = subprocess.run(
        [sys.executable, "-m", "gdstudio", "run", "--problem", "bowl", "--steps", "3", "--lr", "nan"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and result.stderr.count("\n") == 1


def test_controller_loads_no_widgets():
    pytest.importorskip("PySide6")
    modules = python(
        "import sys, gdstudio.controller\n"
        "print(' '.join(m for m in sys.modules if m.startswith(('PySide6', 'pyqtgraph'))))"
    )
    assert modules.returncode == 0, modules.stderr
    loaded = set(modules.stdout.split())
    assert "PySide6.QtWidgets" not in loaded and "pyqtgraph" not in loaded


def test_import_contracts_are_kept():
    # Through this interpreter, not PATH: the venv need not be activated.
    code = "import sys; from importlinter.cli import lint_imports_command as lint; sys.exit(lint())"
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="only X11 and Wayland have a display to lack")
def test_the_window_without_a_display_says_so():
    environ = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    result = subprocess.run([sys.executable, "-m", "gdstudio"], capture_output=True, text=True, env=environ, timeout=60)
    assert result.returncode == 2
    assert result.stderr.startswith("gdstudio: error: no display") and result.stderr.count("\n") == 1
