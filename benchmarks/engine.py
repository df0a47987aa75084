"""Engine speed on this machine: prints the figures issue 2 budgets.

Run: ``python benchmarks/engine.py``. Each figure is the median of several
repeats (these machines are shared and noisy). For scale, it also times a bare
NumPy Adam-on-Rosenbrock loop with no bookkeeping: the ratio between the two
says what the engine's status checks and recording cost.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from gdstudio.core.optimizers import Adam
from gdstudio.core.problems import DataSettings, make_problem
from gdstudio.core.simulation import Simulation


def median_time(fn, repeats: int) -> float:
    """Median wall time of ``fn()`` over ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def bare_numpy_adam(starts: np.ndarray, steps: int) -> None:
    """Adam on Rosenbrock with no status checks or recording: the floor."""
    P = starts.copy()
    m = np.zeros_like(P)
    v = np.zeros_like(P)
    for t in range(1, steps + 1):
        x, y = P[:, 0], P[:, 1]
        a, b = 1 - x, y - x * x
        G = np.stack([-2 * a - 400 * x * b, 200 * b], 1)
        m = 0.9 * m + 0.1 * G
        v = 0.999 * v + 0.001 * G * G
        P = P - 0.001 / (1 - 0.9**t) * m / (np.sqrt(v) / np.sqrt(1 - 0.999**t) + 1e-8)


def main() -> None:
    rosenbrock = make_problem("rosenbrock")
    starts = np.random.default_rng(0).uniform(-2, 2, (10_000, 2))

    def one_run():
        Simulation(rosenbrock, Adam(lr=1e-3), [[-1.5, 2.0]]).advance(5_000)

    per_step = median_time(one_run, 7) / 5_000 * 1e6
    print(f"one run, Adam on rosenbrock:           {per_step:8.1f} us/step   (budget 25)")

    chunk = 100

    def many_runs():
        sim = Simulation(rosenbrock, Adam(lr=1e-3), starts)
        for _ in range(1_000 // chunk):
            sim.advance(chunk)

    def many_runs_final_rows():
        sim = Simulation(rosenbrock, Adam(lr=1e-3), starts)
        sim.advance(1_000, every_row=False)

    many = median_time(many_runs, 5)
    final = median_time(many_runs_final_rows, 5)
    bare = median_time(lambda: bare_numpy_adam(starts, 1_000), 5)
    print(f"10,000 runs x 1,000 Adam steps:        {final:8.3f} s         (budget 0.3; final rows kept)")
    print(f"  the same, every row kept:            {many:8.3f} s         (chunks of {chunk}: 48 MB each)")
    print(f"  bare NumPy loop, no checks:          {bare:8.3f} s         (engine/bare = {final / bare:.2f})")

    linear = make_problem("linear-regression", DataSettings(samples=1_000_000))

    def epoch():
        sim = Simulation(linear, Adam(lr=1e-2), [[0.0, 0.0]], batch_size=32, seed=1)
        sim.advance(-(-1_000_000 // 32))
        assert sim.epoch == 1.0

    print(f"epoch of 1,000,000 samples, batch 32:  {median_time(epoch, 3):8.3f} s         (budget 1.5)")

    surface_problem = make_problem("linear-regression", DataSettings(samples=100_000))
    surface = median_time(lambda: surface_problem.surface(256), 9) * 1e3
    print(f"256x256 surface, 100,000 samples:      {surface:8.1f} ms        (budget 100)")


if __name__ == "__main__":
    main()
