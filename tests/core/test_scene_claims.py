"""Each shipped scene's caption, asserted on the numbers of its run.

The scenes are run through the engine exactly as the window runs them (the same
set-ups, step limit and pacing of batch sizes), without Qt. A caption's claim
that these numbers do not bear out is a scene teaching something else.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pytest

from gdstudio.core import RunStatus
from gdstudio.core.engine_loop import Engine
from gdstudio.core.gradient_cloud import WINDOW_BATCHES, gradient_cloud
from gdstudio.core.lesson import Scene, load_folder
from gdstudio.core.resources import resource
from gdstudio.core.trace import Trace

SHIPPED = resource("lessons")
SCENES = {s.id[:2]: s for s in load_folder(SHIPPED)[0]}


@dataclass
class Run:
    """One run of a scene: its rows (the start row first) and how it ended."""

    label: str
    rows: dict[str, np.ndarray]
    status: RunStatus
    detail: str

    @property
    def w(self) -> np.ndarray:
        return np.column_stack([self.rows["x"], self.rows["y"]])

    @property
    def loss(self) -> np.ndarray:
        return self.rows["loss"]


@dataclass
class Played:
    scene: Scene
    engine: Engine
    runs: dict[str, Run]
    #: Every message the engine sent.
    sent: list[tuple]

    @property
    def problem(self):
        return self.engine.landscape.problem


@cache
def play(number: str) -> Played:
    """Load scene ``number`` into an engine and run it to its end, as fast as it goes."""
    scene = SCENES[number]
    sent: list[tuple] = []
    engine = Engine(sent.append, lambda: None)
    engine.handle(("load", 1, list(scene.runs)))
    assert sent[-1][0] == "loaded", sent[-1]
    snapshot = sent[-1][4]
    engine.handle(("max_steps", scene.steps))
    engine.handle(("speed", None))
    engine.handle(("play",))
    while engine.playing:
        engine.tick()
    chunks = [m[2] for m in sent if m[0] == "rows"]
    runs = {}
    for i, label in enumerate(scene.labels):
        trace = Trace.concat([c[i] for c in chunks if len(c[i])])
        cols = trace.run_columns(0)
        start = {"step": 0, "samples": 0, "epoch": 0.0, "x": snapshot.params[i][0], "y": snapshot.params[i][1],
                 "loss": snapshot.loss[i], "batch_loss": np.nan, "gx": np.nan, "gy": np.nan}  # fmt: skip
        rows = {k: np.concatenate([[start[k]], v]) for k, v in cols.items()}
        sim = engine.sims[i]
        runs[label] = Run(label, rows, RunStatus(int(sim.status[0])), sim.detail[0])
    return Played(scene, engine, runs, sent)


def by_start(played: Played, prefix: str) -> Run:
    (run,) = [r for label, r in played.runs.items() if label.startswith(prefix)]
    return run


def arrives(played: Played, run: Run) -> float:
    """The epoch at which ``run``'s loss first comes within 5 % of the lowest: on the plot's floor."""
    return run.rows["epoch"][np.argmax(run.loss < 1.05 * played.problem.global_min_value)]


def sign_changes(values: np.ndarray) -> int:
    s = np.sign(values)
    return int(np.sum(s[1:] * s[:-1] < 0))


def test_every_shipped_scene_has_a_claim_here():
    tested = {name.split("_")[1] for name in globals() if re.match(r"test_\d\d_", name)}
    assert tested == set(SCENES)


def test_01_descent_on_the_line_fit_reaches_the_lowest_loss():
    played = play("01")
    (run,) = played.runs.values()
    assert run.status is RunStatus.CONVERGED and run.detail == "global minimum"
    assert played.problem.param_names == ("w", "b")  # the weights of y = w·x + b, as the caption says
    assert run.loss[-1] == pytest.approx(played.problem.global_min_value, rel=1e-6)


def test_02_slopes_at_a_b_and_c_have_the_signs_the_caption_gives():
    played = play("02")
    problem = played.problem
    marks = {a.label: a.at for a in played.scene.annotations}
    slope = {name: float(problem.grad(np.array([marks[name]]))[0, 0]) for name in ("A", "B", "C")}
    assert slope["A"] < -0.5 and slope["B"] > 0.5 and abs(slope["C"]) < 1e-4
    (run,) = played.runs.values()
    assert tuple(run.w[0]) == marks["A"]  # the walker starts at A
    assert run.status is RunStatus.CONVERGED
    assert run.w[-1] == pytest.approx(marks["global minimum"], abs=1e-3)
    assert min(problem.loss(np.array([a.at for a in played.scene.annotations]))) > 0  # no negative loss


def test_03_every_step_lowers_the_loss():
    played = play("03")
    (run,) = played.runs.values()
    assert len(run.loss) == played.scene.steps + 1 and np.all(np.diff(run.loss) < 0)
    # The keys the caption names do not leave the scene (→ and Page Down do).
    assert "Press N" in played.scene.caption and "→" not in played.scene.caption


def test_04_descent_stops_in_a_local_minimum_above_the_lowest_loss():
    played = play("04")
    (run,) = played.runs.values()
    assert run.status is RunStatus.STUCK and run.detail == "local minimum"
    assert run.loss[-1] > played.problem.global_min_value + 0.5


def test_05_one_walker_reaches_the_global_minimum_the_other_a_local_one():
    played = play("05")
    ends = sorted((r.status, r.detail) for r in played.runs.values())
    assert ends == [(RunStatus.CONVERGED, "global minimum"), (RunStatus.STUCK, "local minimum")]
    for run in played.runs.values():
        assert np.all(run.loss > 0)  # a loss measures error: never negative on screen


def test_06_one_walker_leaves_the_side_valley_and_converges_at_the_global_minimum():
    played = play("06")
    problem = played.problem
    side = next(m for m in problem.minima if not m.is_global).location
    tiny, larger, too_large = (by_start(played, p) for p in ("tiny", "larger", "too large"))
    starts = {tuple(r.w[0]) for r in played.runs.values()}
    assert len(starts) == 1  # the same start, in the side valley
    assert np.linalg.norm(np.subtract(next(iter(starts)), side)) < 1.5
    # Tiny steps stay in the side valley.
    assert tiny.status is RunStatus.STUCK and tiny.w[-1] == pytest.approx(side, abs=1e-3)
    # Larger steps leave it and converge at the global minimum.
    assert larger.status is RunStatus.CONVERGED and larger.detail == "global minimum"
    assert larger.w[-1] == pytest.approx((0, 0), abs=1e-3)
    # Too large: once out of the side valley, every step lands on the other side of the global
    # minimum, further each time ...
    assert too_large.status is RunStatus.DIVERGED and played.scene.diverges == (False, False, True)
    w1 = too_large.w[:, 0]
    first = int(np.argmax(w1 > 0))  # its first leap over the minimum (at w1 = 0)
    assert 0 < first <= 3
    leaps = w1[first - 1 :]
    assert sign_changes(leaps) == len(leaps) - 1
    assert np.all(np.diff(np.abs(leaps)) > 0)
    # ... and the map shows it: its first eight leaps land on the map, each a unit or more from the minimum.
    (x0, x1), (y0, y1) = problem.domain
    on_map = (
        (x0 <= too_large.w[:, 0]) & (too_large.w[:, 0] <= x1) & (y0 <= too_large.w[:, 1]) & (too_large.w[:, 1] <= y1)
    )
    assert np.all(on_map[: first + 8]) and np.all(np.abs(too_large.w[first : first + 8, 0]) > 1)
    # The paths are visibly apart: after their first steps, the walkers are at different places.
    assert np.linalg.norm(tiny.w[3] - larger.w[3]) > 0.5 and np.linalg.norm(larger.w[3] - too_large.w[3]) > 0.5


def test_07_learning_rates_crawl_glide_zigzag_and_blow_up_around_2_over_l():
    played = play("07")
    two_over_l = 2 / played.problem.hessian_max_eig
    assert f"2 / L = {two_over_l:.3f}" in played.scene.formula  # the number on screen is the landscape's
    small, right, large, diverging = played.runs.values()
    assert small.status is RunStatus.RUNNING and small.loss[-1] > right.loss[-1]  # still crawling
    assert right.status is RunStatus.CONVERGED
    lrs = [r.lr for r in played.scene.runs]
    for run, lr in zip(played.runs.values(), lrs):
        assert f"λ {lr:g}" in run.label  # the key names each run's rate
    assert lrs[2] < two_over_l < lrs[3] and lrs[2] > 0.9 * two_over_l  # "just under 2 / L"
    assert large.status is RunStatus.CONVERGED and sign_changes(np.diff(large.w[:, 0])) > 20  # zig-zags in
    # About right glides straight in (no step overshoots) and arrives first, well before too large:
    # the loss plot shows its curve ending at a third of the steps too large takes or less.
    assert sign_changes(np.diff(right.w[:, 0])) == 0 and sign_changes(np.diff(right.w[:, 1])) == 0
    right_steps, large_steps = len(right.loss) - 1, len(large.loss) - 1
    assert 3 * right_steps <= large_steps < played.scene.steps
    assert "about right glides straight in and arrives first" in played.scene.caption
    assert diverging.status is RunStatus.DIVERGED and played.scene.diverges == (False, False, False, True)
    assert np.all(np.diff(diverging.loss) > 0)  # every step overshoots more: the loss only grows


def test_08_batch_methods_on_an_equal_budget_of_samples():
    played = play("08")
    full, sgd, mini = (by_start(played, p) for p in ("full", "stochastic", "mini"))
    n = played.problem.n_samples
    epochs = played.scene.steps
    assert f"{epochs} passes through the {n} samples" in played.scene.caption
    for run in (full, sgd, mini):  # the same work for every run, as the epochs axis says
        assert run.rows["samples"][-1] == epochs * n and run.rows["epoch"][-1] == epochs
    assert len(full.loss) - 1 == epochs and len(sgd.loss) - 1 == epochs * n  # one step vs n steps an epoch
    assert played.scene.loss_axis == "epochs"
    halted = [m[2] for m in played.sent if m[0] == "halted"]
    assert halted == ["reached the maximum of 15 steps of the largest batch (every run processed the same samples)"]
    best = played.problem.global_min_value
    # Naive descent is smooth but still on its way; mini-batches arrive first.
    assert np.all(np.diff(full.loss) < 0) and full.loss[-1] > mini.loss[-1]
    assert mini.loss[-1] - best < 0.01 and full.loss[-1] - best > 0.1
    # Stochastic descent's cheap steps are near the bottom after one epoch, when naive descent has taken one step.
    one_epoch = np.searchsorted(sgd.rows["epoch"], 1)
    assert sgd.loss[one_epoch] < full.loss[1] / 5

    # "near the bottom within a tenth of an epoch"; mini-batches take "16 steadier steps per epoch",
    # "arrive later, after about 3.5 epochs" (more than ten times later: not "almost as soon").
    assert "near the bottom within a tenth of an epoch" in played.scene.caption
    assert np.any(sgd.loss < 1.05 * best) and arrives(played, sgd) <= 0.1
    assert "16 steadier steps per epoch they arrive later, after about 3.5 epochs" in played.scene.caption
    assert len(mini.loss) - 1 == 16 * epochs
    assert (
        np.any(mini.loss < 1.05 * best)
        and 3.0 <= arrives(played, mini) <= 4.0
        and arrives(played, mini) > 10 * arrives(played, sgd)
    )
    # ... and settle at the lowest loss: over the last third mini-batches stay within 1 % of it, steadier by far.
    last = {r.label: r.loss[r.rows["epoch"] >= 2 * epochs / 3] - best for r in (sgd, mini)}
    assert np.max(last[mini.label]) < 0.01 * best and np.mean(last[sgd.label]) > 10 * np.mean(last[mini.label])
    # Stochastic descent's full-data loss jitters: it rises again on many steps.
    assert np.mean(np.diff(sgd.loss[len(sgd.loss) // 2 :]) > 0) > 0.3
    # A one-sample batch loss falls far below the lowest full-data loss: drawn as it is, unlabelled,
    # it would read as stochastic descent winning.
    assert np.nanmin(sgd.rows["batch_loss"]) < best / 100


def test_09_smaller_batches_start_sooner_and_jitter_more_on_an_equal_budget():
    played = play("09")
    runs = list(played.runs.values())
    sizes = [r.batch_size for r in played.scene.runs]
    assert sizes == sorted(sizes) and sizes[0] == 8 and sizes[-1] == 256 and played.scene.ordered
    n = played.problem.n_samples
    epochs = played.scene.steps * sizes[-1] / n
    assert f"{epochs:g} passes through the {n:,} samples" in played.scene.caption
    for run in runs:
        assert run.rows["epoch"][-1] == epochs
    best = played.problem.global_min_value

    def at_epoch(run, e):
        return run.loss[np.searchsorted(run.rows["epoch"], e)]

    assert at_epoch(runs[0], 1) < at_epoch(runs[-1], 1)  # many cheap steps get going sooner

    # "batch 8 is near the bottom after about a tenth of an epoch, batch 256 only after 2.5", batch 64 between.
    assert (
        "batch 8 is near the bottom after about a tenth of an epoch, batch 256 only after 2.5" in played.scene.caption
    )
    assert all(np.any(run.loss < 1.05 * best) for run in runs)
    assert (
        0.08
        <= arrives(played, runs[0])
        <= 0.12
        < arrives(played, runs[1])
        < arrives(played, runs[2])
        == pytest.approx(2.5, abs=0.1)
    )
    jitter, spikes = [], []
    for run in runs:  # how far above the lowest loss each stays over the last third of the budget
        last = run.loss[run.rows["epoch"] >= 2 * epochs / 3]
        jitter.append(np.mean(last) - best)
        spikes.append(np.max(last) - best)
    assert jitter[0] > 3 * jitter[1] > 9 * jitter[2]
    # "batch 8's loss keeps jittering above the lowest, batch 64's only slightly": batch 8's spikes reach
    # well above the lowest loss (a third of it) on the plot, batch 64's stay within 5 % of it.
    assert "batch 8's loss keeps jittering above the lowest, batch 64's only slightly" in played.scene.caption
    assert spikes[0] > best / 3 and spikes[1] < 0.05 * best


def test_10_batch_gradients_scatter_about_the_full_one_and_shrink_as_one_over_root_b():
    played = play("10")
    scene, problem = played.scene, played.problem
    (run,) = played.runs.values()
    (setup,) = scene.runs
    b, n = setup.batch_size, problem.n_samples
    assert scene.gradient_cloud and f"mini-batch of {b} of the {n:,} samples" in scene.caption
    start = gradient_cloud(problem, run.w[0], b, WINDOW_BATCHES, setup.seed)
    # The dots scatter about the full gradient (the arrow): their mean is within sampling error of it...
    error = np.hypot(*(start.mean - start.full_gradient))
    assert error < 3 * start.spread / np.sqrt(len(start.gradients))
    # ... and the measured spread is the one sampling theory gives, within sampling error.
    assert start.spread == pytest.approx(start.theory_spread(), rel=0.15)
    # "about 5.7 times wider" for single samples, and "four times the batch roughly halves it".
    assert f"about {start.theory_spread(1) / start.theory_spread(b):.1f} times wider" in scene.caption
    assert start.theory_spread(4 * b) / start.theory_spread(b) == pytest.approx(0.5, abs=0.05)
    assert gradient_cloud(problem, run.w[0], 1, WINDOW_BATCHES, setup.seed).spread > 4 * start.spread
    # Far from the minimum the arrow is long against the scatter; near it, the scatter wins.
    assert np.hypot(*start.full_gradient) > 4 * start.spread
    end = gradient_cloud(problem, run.w[-1], b, WINDOW_BATCHES, setup.seed)
    assert run.loss[-1] - problem.global_min_value < 0.01  # the run is near the bottom
    assert end.spread > 3 * np.hypot(*end.full_gradient)
    # "the arrow shrinks to almost nothing while the scatter only narrows".
    arrow_shrinks = np.hypot(*start.full_gradient) / np.hypot(*end.full_gradient)
    scatter_shrinks = start.spread / end.spread
    assert scatter_shrinks > 1 and arrow_shrinks > 10 * scatter_shrinks
    # "the steps wander around the bottom": over the last epoch the loss goes up as well as down.
    last = run.rows["epoch"] >= run.rows["epoch"][-1] - 1
    assert np.any(np.diff(run.loss[last]) > 0) and np.any(np.diff(run.loss[last]) < 0)


def test_lessons_name_weights_as_weights_and_never_show_a_negative_loss():
    for number in SCENES:
        played = play(number)
        assert played.problem.param_names in (("w", "b"), ("w1", "w2")), number
        assert played.problem.global_min_value >= 0, number


def test_11_plain_descent_bounces_momentum_swings_and_the_rescaling_methods_do_not():
    played = play("11")
    gd, momentum, nesterov, adagrad, rmsprop, adam = played.runs.values()
    for run, setup in zip(played.runs.values(), played.scene.runs):
        assert f"λ {setup.lr:g}" in run.label  # each run's learning rate is in its legend label
    # Plain descent's steep weight w2 changes sign every step while it is away from the floor ...
    w2 = gd.w[:, 1]
    moving = w2[np.abs(w2) > 1e-6]
    assert len(moving) > 30 and sign_changes(moving) == len(moving) - 1
    # ... and the bouncing lasts: still more than a tenth of the start's height from the floor at step 20.
    assert np.abs(w2[20]) > 0.1 * np.abs(w2[0])
    # Momentum builds up speed along the floor: its steps along w1 grow at first; plain descent's shrink.
    assert np.all(np.diff(np.abs(np.diff(momentum.w[:12, 0]))) > 0)
    assert np.all(np.diff(np.abs(np.diff(gd.w[:12, 0]))) < 0)
    assert np.all(np.diff(np.abs(np.diff(nesterov.w[:6, 0]))) > 0)
    # Plain descent creeps: at step 50 every other method is further along the floor.
    for run in (momentum, nesterov, adagrad, rmsprop, adam):
        assert abs(run.w[50, 0]) < abs(gd.w[50, 0]) - 0.5, run.label
    # Momentum swings across the valley: slowly (several steps between crossings, not every step),
    # still far from the floor after step 20, and the swings die away by the end.
    crossings = np.flatnonzero(np.sign(momentum.w[1:, 1]) * np.sign(momentum.w[:-1, 1]) < 0)
    assert len(crossings) >= 6 and np.all(np.diff(crossings) >= 3)
    assert np.abs(momentum.w[20:, 1]).max() > 0.5 and np.abs(momentum.w[-20:, 1]).max() < 0.01
    # Nesterov damps them sooner: after step 10 its swings are a quarter of momentum's at most.
    assert np.abs(nesterov.w[10:, 1]).max() < np.abs(momentum.w[10:, 1]).max() / 4
    # The rescaling methods do not bounce: no sign change from one step to the next; heading down to
    # the floor, AdaGrad and RMSProp never cross it and Adam overshoots it once (counting only swings
    # away from the floor that the map shows: Adam's tiny wobbles at the end are not bounces).
    for run in (adagrad, rmsprop, adam):
        w2 = run.w[:, 1]
        turn = (np.sign(w2[2:]) != np.sign(w2[1:-1])) & (np.sign(w2[1:-1]) != np.sign(w2[:-2]))
        assert not np.any(turn & (np.abs(w2[1:-1]) > 1e-6)), run.label
    shown = {run.label: sign_changes(run.w[np.abs(run.w[:, 1]) > 0.05, 1]) for run in (adagrad, rmsprop, adam)}
    assert list(shown.values()) == [0, 0, 2] and adam.w[:, 1].min() < -0.2  # over the floor and back
    # Plain descent creeps along the floor: every other method ends far below it.
    for run in (momentum, nesterov, adagrad, rmsprop, adam):
        assert run.loss[-1] < gd.loss[-1] / 100, run.label
    # Their paths are apart on the map: the rescaling methods from each other, Adam from momentum.
    assert min(np.linalg.norm(a.w[2] - b.w[2]) for a, b in ((adagrad, rmsprop), (rmsprop, adam), (adagrad, adam))) > 0.3
    assert np.median(np.linalg.norm(adam.w[2:40] - momentum.w[2:40], axis=1)) > 1


def test_12_the_runs_end_strung_out_along_the_bend_each_apart_from_every_other():
    played = play("12")
    runs = {label.split(",")[0]: r for label, r in played.runs.items()}
    for run, setup in zip(played.runs.values(), played.scene.runs):
        assert f"λ {setup.lr:g}" in run.label  # each run's learning rate is in its legend label
    ends = {name: run.w[-1] for name, run in runs.items()}
    # Every run is on the valley's floor (w2 = w1²), where the caption puts it.
    for name, (x, y) in ends.items():
        assert abs(y - x * x) < 0.02, name
    # Every ball can be found: each pair ends a quarter of a unit apart or more (the map is 4 units wide).
    for a, b in itertools.combinations(ends, 2):
        assert np.linalg.norm(ends[a] - ends[b]) > 0.25, (a, b)
    # Momentum has nearly reached the minimum; the others follow in the caption's order.
    order = ["momentum", "Adam", "Nesterov", "RMSProp", "AdaGrad", "gradient descent"]
    assert sorted(ends, key=lambda name: np.linalg.norm(ends[name] - (1, 1))) == order
    assert np.linalg.norm(ends["momentum"] - (1, 1)) < 0.05
    # Nesterov's step is a fifth of momentum's, as the caption says.
    lr = {label.split(",")[0]: setup.lr for label, setup in zip(played.runs, played.scene.runs)}
    assert lr["Nesterov"] == pytest.approx(lr["momentum"] / 5)
    # Plain descent has not yet reached the bottom of the bend.
    assert ends["gradient descent"][0] < 0
    # Their loss curves end apart too, on the log axis: each below two thirds of the one behind it.
    losses = [runs[name].loss[-1] for name in order]
    assert np.all(np.array(losses[:-1]) < np.array(losses[1:]) / 1.5)
