"""Engine speed on this machine: prints the figures issues 2, 11 and 12 budget.

Run: ``python benchmarks/engine.py``. Each figure is the median of several
repeats, with the best repeat beside it: these machines are shared, and the
same loop takes either time, depending on what else runs on the host. For
scale, it also times a bare NumPy Adam-on-Rosenbrock loop with no bookkeeping:
the ratio between the two says what the engine's status checks and recording cost.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from gdstudio.core.basins import grid_starts, run_basins
from gdstudio.core.gradient_cloud import gradient_cloud
from gdstudio.core.heap import keep_freed_memory
from gdstudio.core.lr_sweep import run_sweep
from gdstudio.core.optimizers import GD, Adam
from gdstudio.core.problems import DataSettings, make_problem
from gdstudio.core.run_setup import RunSetup
from gdstudio.core.simulation import Simulation


def timed(fn, repeats: int) -> tuple[float, float]:
    """Median and best wall time of ``fn()`` over ``repeats`` calls, in seconds."""
    times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times), min(times)


def report(what: str, times: tuple[float, float], scale: float, unit: str, budget: str) -> None:
    median, best = (t * scale for t in times)
    print(f"{what:<40} {median:8.3g} {unit:<6} (best {best:.3g}; budget {budget})")


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
    keep_freed_memory()  # as the engine process does
    rosenbrock = make_problem("rosenbrock")
    starts = np.random.default_rng(0).uniform(-2, 2, (10_000, 2))

    def one_run():
        Simulation(rosenbrock, Adam(lr=1e-3), [[-1.5, 2.0]]).advance(5_000)

    report("one run, Adam on rosenbrock:", timed(one_run, 9), 1e6 / 5_000, "us/step", "25")

    def many_runs(every_row: bool):
        sim = Simulation(rosenbrock, Adam(lr=1e-3), starts)
        if every_row:
            for _ in range(10):
                sim.advance(100)
        else:
            sim.advance(1_000, every_row=False)

    final = timed(lambda: many_runs(False), 7)
    bare = timed(lambda: bare_numpy_adam(starts, 1_000), 7)
    report("10,000 runs x 1,000 Adam steps:", final, 1, "s", "0.3; final rows kept")
    report("  the same, every row kept:", timed(lambda: many_runs(True), 5), 1, "s", "none; chunks of 100, 48 MB each")
    report("  bare NumPy loop, no checks:", bare, 1, "s", f"none; engine/bare {final[0] / bare[0]:.2f}")

    linear = make_problem("linear-regression", DataSettings(samples=1_000_000))

    def epoch():
        sim = Simulation(linear, Adam(lr=1e-2), [[0.0, 0.0]], batch_size=32, seed=1)
        sim.advance(-(-1_000_000 // 32))
        assert sim.epoch == 1.0

    report("epoch of 1,000,000 samples, batch 32:", timed(epoch, 5), 1, "s", "1.5")

    surface_problem = make_problem("linear-regression", DataSettings(samples=100_000))
    report("256x256 surface, 100,000 samples:", timed(lambda: surface_problem.surface(256), 9), 1e3, "ms", "100")


def big_data() -> None:
    """Small batches on 10 million samples (issue 11): a step costs the same as on 500.

    Budgets (an idle machine of this kind reads 10 million samples for a full loss in
    about 0.3 s; a loaded one, several times that, so each figure is also given in
    full losses, which loads scale alike):

    * one SGD step, 0.5 ms: a batch-1 step reads one sample; what is left is the
      engine's per-call bookkeeping (about 0.1 ms on 500 samples). Before, every step
      took the full-data loss: 0.3 s or more, a thousand times the budget.
    * 1,000 batch-1 steps from a new simulation, 3 s, or 6 full losses: they read
      all the data only for the loss at the start, the epoch's shuffle (a permutation
      of 10 million: about two full losses' worth) and one full loss, at step 611
      (see ``DatasetProblem.full_loss_every``); the 1,000 steps themselves take a few
      milliseconds. Before, this did not finish in 200 s.
    """
    for name in ("wave-fit", "logistic-regression"):
        problem = make_problem(name, DataSettings(samples=10_000_000, seed=1))
        P = np.array([problem.default_start])
        full = timed(lambda problem=problem, P=P: problem.loss(P), 3)
        report(f"full loss, 10M samples, {name}:", full, 1, "s", "none; the unit below")

        sim = Simulation(problem, GD(lr=0.01), P, batch_size=1, seed=1)
        sim.advance(1)  # the epoch's shuffle
        report("  one SGD step on them:", timed(lambda sim=sim: sim.advance(1), 21), 1e3, "ms", "0.5")

        def run_1000(problem=problem, P=P):
            Simulation(problem, GD(lr=0.01), P, batch_size=1, seed=1).advance(1_000)

        steps = timed(run_1000, 3)
        ratio = f"{steps[0] / full[0]:.1f} full losses"
        report("  1,000 batch-1 steps from the start:", steps, 1, "s", f"3 or 6 full losses; took {ratio}")


def explore() -> None:
    """Issue 12: a basin map, a learning-rate sweep and a gradient cloud, each in one go.

    Each figure is also given as a multiple of the 10,000 x 1,000 Adam steps above, timed
    alongside: on a busy host both slow down alike, so the multiple says what the figure
    would be on a quiet one (where that reference takes about 0.23 s).
    """
    print("\nExplore (issue 12):")
    keep_freed_memory()  # as the engine process does
    rosenbrock = make_problem("rosenbrock")
    starts = np.random.default_rng(0).uniform(-2, 2, (10_000, 2))
    reference = timed(lambda: Simulation(rosenbrock, Adam(lr=1e-3), starts).advance(1_000, every_row=False), 5)

    def versus(times: tuple[float, float]) -> str:
        return f"{times[0] / reference[0]:.2f} x the 10,000 x 1,000"

    adam = RunSetup(problem="rosenbrock", optimizer="adam", lr=0.01)
    basins = timed(lambda: run_basins(adam, 128, 500), 5)
    _, _, grid = grid_starts(rosenbrock, 128)
    bare = timed(lambda: bare_numpy_adam(grid, 500), 5)
    report("128x128 basin map, 500 Adam steps:", basins, 1, "s", f"0.5; {versus(basins)}; bare loop {bare[0]:.3g} s")
    sweep = timed(lambda: run_sweep(RunSetup(problem="linear-regression"), 1_000), 9)
    report("200-rate sweep, 1,000 GD steps, lin. reg.:", sweep, 1e3, "ms", f"200; {versus(sweep)}")
    ravine = timed(lambda: run_sweep(RunSetup(problem="ravine"), 1_000), 9)
    report("  the same on the ravine:", ravine, 1e3, "ms", f"200; {versus(ravine)}")
    data = make_problem("linear-regression", DataSettings(samples=100_000))
    cloud = timed(lambda: gradient_cloud(data, data.default_start, 500), 15)
    report("200-batch gradient cloud, 100,000 samples:", cloud, 1e3, "ms", f"50; {versus(cloud)}")
    report("  reference: 10,000 x 1,000 Adam steps:", reference, 1, "s", "0.3")


if __name__ == "__main__":
    main()
    explore()
    big_data()
