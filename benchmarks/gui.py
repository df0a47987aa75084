"""GUI speed under Xvfb: prints the figures issue 3 budgets.

Run: ``python benchmarks/gui.py`` (it starts itself under ``xvfb-run`` when there
is no display). With the 3D surface at 128x128 and a run going as fast as the
engine can, it measures for ``--seconds``:

* frames drawn per second (frames the views redrew, and paints of the 3D view);
* GUI event-loop stalls: how late a 5 ms timer fires, 99th percentile and worst;
* time from starting a process to its first painted window (median of 5).

Then the same figures for a race of 8 runs (the most the explorer's run list holds), each its
own optimiser and λ, all drawn in every view, going flat out for ``--seconds``: on Rosenbrock,
and on linear regression, where each run also has its own batch size and the data view draws
each run's fitted line.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

XVFB = ["xvfb-run", "-a", "-s", "-screen 0 1600x1000x24 +extension GLX +render"]

FIRST_PAINT = r"""
import time
from PySide6.QtCore import QEvent, QObject
from gdstudio.app import create_application, build_window
app = create_application()
window = build_window()

class FirstPaint(QObject):
    def eventFilter(self, obj, event):
        if event.type() == QEvent.Type.Paint:
            print(f"PAINTED {time.time():.6f}", flush=True)
            app.exit(0)
        return False

spy = FirstPaint()
window.installEventFilter(spy)
window.show()
app.exec()
window.close()
"""


def first_paint_seconds() -> float:
    t0 = time.time()
    out = subprocess.run([sys.executable, "-c", FIRST_PAINT], capture_output=True, text=True, timeout=60)
    stamps = [line.split()[1] for line in out.stdout.splitlines() if line.startswith("PAINTED")]
    if not stamps:
        raise RuntimeError(f"the window never painted: {out.stderr[-500:]}")
    return float(stamps[0]) - t0


#: An 8-run race on Rosenbrock, every optimiser, with rates small enough that no run stops
#: before the measurement ends (a stopped run costs nothing to draw).
RACE = (("gd", 1e-5), ("momentum", 1e-6), ("nesterov", 1e-6), ("adagrad", 1e-4), ("rmsprop", 1e-6),
        ("adam", 1e-6), ("gd", 5e-6), ("gd", 2e-5))  # fmt: skip


#: The same on a dataset: every method (full batch, stochastic, mini-batches) among them.
DATA_RACE = (("gd", 1e-3, None), ("momentum", 1e-3, 1), ("nesterov", 1e-3, 32), ("adagrad", 1e-2, None),
             ("rmsprop", 1e-4, 8), ("adam", 1e-4, 16), ("gd", 1e-3, 4), ("gd", 1e-3, 64))  # fmt: skip


def live_run(seconds: float, race: str | None = None) -> dict:
    from PySide6.QtCore import QElapsedTimer, QTimer

    from gdstudio.app import build_window, create_application
    from gdstudio.core.loss_grid import SURFACE_RESOLUTION
    from gdstudio.core.run_setup import RunSetup

    app = create_application()
    window = build_window(RunSetup(problem="rosenbrock", optimizer="gd", lr=1e-5))
    window.show()
    c = window.controller
    if race == "rosenbrock":
        setups = [RunSetup(problem="rosenbrock", optimizer=name, lr=lr) for name, lr in RACE]
    elif race == "linear-regression":
        setups = [RunSetup(problem=race, optimizer=name, lr=lr, batch_size=b) for name, lr, b in DATA_RACE]
    else:
        setups = None
    if window.surface_view is None:
        raise RuntimeError("no 3D view: run this under Xvfb with GLX")

    class Counter:
        paints = 0

    gl_paints = Counter()
    view_class = type(window.surface_view.view)
    paint_gl = view_class.paintGL

    def counted_paint_gl(view):
        gl_paints.paints += 1
        paint_gl(view)

    view_class.paintGL = counted_paint_gl
    frames = []
    lateness = []
    clock = QElapsedTimer()
    probe = QTimer()
    probe.setTimerType(probe.timerType().PreciseTimer)
    last = [0]

    def on_probe():
        now = clock.nsecsElapsed()
        lateness.append((now - last[0]) / 1e6 - 5.0)
        last[0] = now

    probe.timeout.connect(on_probe)
    done = QTimer()
    done.setSingleShot(True)
    done.timeout.connect(app.quit)

    def start(_landscape=None):
        if setups is not None and len(c.setups) != len(setups):
            c.loaded.connect(start)  # again once the race is loaded
            c.set_runs(setups)
            return
        if setups is not None:
            if c.is_loading:
                return
            c.loaded.disconnect(start)
        c.set_max_steps(100_000_000)
        c.frame_ready.connect(lambda f: frames.append((time.perf_counter(), f.step)))
        clock.start()
        probe.start(5)
        gl_paints.paints = 0
        c.play()
        done.start(int(seconds * 1000))

    if c.landscape is None:
        c.landscape_changed.connect(start)
    else:
        start(c.landscape)
    app.exec()
    probe.stop()
    view_class.paintGL = paint_gl
    running = sum(r.status.label == "running" for r in c.frame.runs)
    steps = frames[-1][1] - frames[0][1] if len(frames) > 1 else 0
    span = frames[-1][0] - frames[0][0] if len(frames) > 1 else seconds
    window.close()
    return {
        "resolution": SURFACE_RESOLUTION,
        "frames_per_second": (len(frames) - 1) / span,
        "gl_paints_per_second": gl_paints.paints / seconds,
        "steps_per_second": steps / span,
        "stall_p99_ms": statistics.quantiles(lateness, n=100, method="inclusive")[98],
        "stall_max_ms": max(lateness),
        "history_rows": steps,
        "runs": len(c.frame.runs),
        "still_running": running,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args()
    if not os.environ.get("DISPLAY") and shutil.which("xvfb-run") and "GDSTUDIO_BENCH_CHILD" not in os.environ:
        env = {**os.environ, "GDSTUDIO_BENCH_CHILD": "1"}
        sys.exit(subprocess.call([*XVFB, sys.executable, *sys.argv], env=env))
    for race in (None, "rosenbrock", "linear-regression"):
        r = live_run(args.seconds, race)
        running = f"{r['still_running']} still running at the end"
        what = f"a race of {r['runs']} runs on {race} ({running})" if race else "one run"
        print(f"3D surface {r['resolution']}x{r['resolution']}, {what} flat out for {args.seconds:g} s "
              f"({r['steps_per_second']:,.0f} steps/s, {r['history_rows']:,} rows drawn at the end)")  # fmt: skip
        print(f"frames drawn per second:          {r['frames_per_second']:7.1f}   (budget >= 30)")
        print(f"  3D view paints per second:      {r['gl_paints_per_second']:7.1f}")
        print(f"GUI stall, 99th percentile:       {r['stall_p99_ms']:7.1f} ms (budget <= 50)")
        print(f"GUI stall, worst:                 {r['stall_max_ms']:7.1f} ms")
    paints = [first_paint_seconds() for _ in range(5)]
    print(f"process start to first paint:     {statistics.median(paints):7.2f} s  (budget <= 2; median of 5)")


if __name__ == "__main__":
    main()
