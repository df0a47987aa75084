"""A window's process that is killed (no chance to say stop) leaves no engine behind.

The window's side is played by a controller in a child Python process; the test kills that
process at a given moment and checks that its engine process ends by itself.
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

import pytest

pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs POSIX signals and process ids")

#: A controller that prints ``<moment> <engine pid>`` once it reaches the moment to be killed at.
WINDOW = """
import multiprocessing, sys
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from gdstudio.controller import SessionController
from gdstudio.core.problems.data import MAX_SAMPLES
from gdstudio.core.run_setup import RunSetup

moment = sys.argv[1]
app = QCoreApplication([])
if moment == "running":
    c = SessionController(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-7))
    c.set_max_steps(10**8)
    c.loaded.connect(c.play)
elif moment == "making-data":  # the biggest dataset there is: its data take a while to make
    c = SessionController(RunSetup(problem="wave-fit", samples=MAX_SAMPLES))
elif moment == "reading-data":  # a data file read in many blocks
    c = SessionController(RunSetup(problem="wave-fit", data=Path(sys.argv[2])))
else:  # a big dataset, whose landscape then takes a long while to compute
    c = SessionController(RunSetup(problem="wave-fit", samples=1_000_000))
[engine] = [p for p in multiprocessing.active_children() if p.name == "gdstudio-engine"]

def report(*_):
    print(moment, engine.pid, flush=True)

if moment == "making-data":
    c.load_progressed.connect(lambda stage, percent: stage == "making the data" and report())
elif moment == "reading-data":
    c.load_progressed.connect(lambda stage, percent: stage.startswith("reading") and report())
elif moment == "computing-landscape":
    c.load_progressed.connect(lambda stage, percent: stage == "computing the landscape" and report())
else:
    c.frame_ready.connect(lambda frame: frame.step > 0 and report())
app.exec()
"""


def is_gone(pid: int) -> bool:
    """True once ``pid`` has ended (a zombie waiting to be reaped has ended too)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    state = subprocess.run(["ps", "-o", "stat=", "-p", str(pid)], capture_output=True, text=True).stdout
    return state.strip().startswith("Z") or not state.strip()


@pytest.mark.parametrize("moment", ["making-data", "reading-data", "computing-landscape", "running"])
def test_a_killed_window_leaves_no_engine_behind(moment, tmp_path):
    data = tmp_path / "big.csv"
    if moment == "reading-data":  # about 20 MB: a second or so of reading left when the window is killed
        data.write_text("x,y\n" + "".join(f"{i / 1000:.6f},{i % 7 / 7:.6f}\n" for i in range(1000)) * 1000)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(sys.path)}
    window = subprocess.Popen(
        [sys.executable, "-c", WINDOW, moment, str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    engine = None
    try:
        line = window.stdout.readline().split()  # blocks until the window reaches the moment
        assert line[:1] == [moment], window.stderr.read()[-2000:]
        engine = int(line[1])
        window.kill()
        window.wait(10)
        deadline = time.monotonic() + 5
        while not is_gone(engine) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert is_gone(engine), f"the engine (pid {engine}) outlived its killed window"
    finally:
        window.kill()
        window.wait(10)
        window.stdout.close()
        window.stderr.close()
        if engine is not None and not is_gone(engine):
            with contextlib.suppress(ProcessLookupError):
                os.kill(engine, signal.SIGKILL)
