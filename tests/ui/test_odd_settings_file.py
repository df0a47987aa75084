"""A settings file that is a FIFO (or a link to a device) once hung the window's start for ever:
Qt opens it as the settings object is made. Now one line says so and the window goes on."""

import os
import subprocess
import sys

import pytest

READ = """
from PySide6.QtCore import QCoreApplication
app = QCoreApplication([])
from gdstudio.ui.app_settings import AppSettings
settings = AppSettings()
settings.set_last_setup({"a": 1})
print(settings.last_setup())
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
@pytest.mark.parametrize("where", ["application", "organisation"])
def test_a_settings_file_that_is_a_fifo_is_left_alone(tmp_path, where):
    folder = tmp_path / "GD Studio"
    folder.mkdir()
    fifo = folder / "GD Studio.ini" if where == "application" else tmp_path / "GD Studio.ini"
    os.mkfifo(fifo)
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path), "QT_QPA_PLATFORM": "offscreen",
           "PYTHONPATH": os.pathsep.join(sys.path)}  # fmt: skip
    proc = subprocess.run([sys.executable, "-c", READ], env=env, capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0 and proc.stdout.strip() == "{'a': 1}"  # this session's settings still work
    assert proc.stderr.strip() == (
        f"gdstudio: the settings file {fifo} is not a regular file; settings are not read or kept this time"
    )
