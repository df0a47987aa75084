"""K runs of one optimiser on one landscape, advanced in lockstep."""

from __future__ import annotations

import numpy as np

from .batch_schedule import BatchSchedule
from .errors import ConfigError
from .optimizers import Optimizer, copy_state
from .problems import DatasetProblem, Problem
from .problems.stationary import classify
from .run_status import UNDEFINED_GRADIENT, RunStatus
from .trace import Trace

#: A run whose weights go further from the map's centre than this many
#: half-widths of the map has flown off it: it counts as diverged.
RUNAWAY = 10.0
#: Largest gradient-norm tolerance: its square, which the steps compare with, stays a finite float.
MAX_TOL = 1e100
#: Runs x steps handled per block inside ``advance``.
_BLOCK_ELEMENTS = 2**17
#: Fewest runs for which ``advance(every_row=False)`` skips recording rows: with
#: fewer, the per-step bounds that stand in for the rows cost more than the rows.
_UNRECORDED_MIN_RUNS = 64
#: Steps per unrecorded block: enough to spread its fixed costs thin, few enough that
#: taking them again recorded (when a run may have finished) costs little.
_UNRECORDED_BLOCK = 256
#: As a plain int: comparing an array with the enum member is 50x slower.
_RUNNING = int(RunStatus.RUNNING)


class Simulation:
    """Advance ``K`` runs from their starts, sharing one optimiser and batch schedule.

    Each run stops for good (its weights freeze) when it finishes:

    * converged: the full gradient norm fell below ``tol`` at a global minimum;
    * stuck: it fell below ``tol`` anywhere else (local minimum, saddle, plateau);
    * diverged: the weights or loss became non-finite, or the weights left the
      map by :data:`RUNAWAY` half-widths.

    Full-batch runs test the gradient every step; batch runs (whose steps use
    noisy gradients) test the full gradient at the end of every epoch. Finish
    checks are made on the recorded rows after each chunk, so results do not
    depend on how the steps are split into ``advance`` calls, and the same
    seed always gives the same trajectories.

    Each row holds the full-data loss after its step, except on big datasets with
    small batches: there it is computed every :attr:`loss_every` steps (by step
    number, and at every epoch's end) and is NaN in the rows between, so that a
    step costs the same whatever the amount of data (see
    ``DatasetProblem.full_loss_every``).

    Parameters
    ----------
    problem, optimizer
        The landscape and the update rule.
    starts
        Start points, shape ``(K, 2)``.
    batch_size
        Samples per step for dataset problems; ``None`` for full batch. Must be
        ``None`` for analytic surfaces, which have no samples.
    seed
        Seed of the batch shuffling.
    tol
        Gradient norm under which a run has stopped.
    """

    def __init__(
        self,
        problem: Problem,
        optimizer: Optimizer,
        starts,
        *,
        batch_size: int | None = None,
        seed: int = 0,
        tol: float = 1e-6,
    ) -> None:
        P = np.array(starts, dtype=float)
        if P.ndim != 2 or P.shape[1] != 2 or len(P) == 0:
            raise ConfigError(f"starts must have shape (K, 2), got {P.shape}")
        if not np.isfinite(P).all():
            raise ConfigError("start point must be finite numbers")
        check_starts_on_map(problem.domain, P)
        (x0, x1), (y0, y1) = problem.domain
        self._centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
        self._reach = RUNAWAY * np.array([(x1 - x0) / 2, (y1 - y0) / 2])
        if not 0 < tol <= MAX_TOL:  # the steps compare squared norms with tol**2, which must stay finite
            raise ConfigError(f"tolerance must be a positive number up to {MAX_TOL:g}, got {tol}")
        #: Steps between full-data losses in the rows (see ``DatasetProblem.full_loss_every``).
        self.loss_every = 1
        if problem.is_dataset:
            self.schedule: BatchSchedule | None = BatchSchedule(problem.n_samples, batch_size, seed)
            if not self.schedule.is_full:
                self.loss_every = problem.full_loss_every(self.schedule.batch_size)
        elif batch_size is not None:
            raise ConfigError(
                f"batch size does not apply to {problem.name}: an analytic surface has no data "
                "samples, so every step uses the exact gradient"
            )
        else:
            self.schedule = None
        self.problem = problem
        self.tol = tol
        self.seed = seed
        # Column-major: each weight's K values lie together, so the problems' x and y
        # are contiguous arrays (strided ones cost NumPy twice the time).
        P = np.asfortranarray(P)
        self._optimizer = optimizer
        self.state = optimizer.init(P)
        self.params = P
        with np.errstate(all="ignore"):
            self.loss = problem.loss(P)
        if not np.isfinite(self.loss).all():
            bad = ~np.isfinite(self.loss)
            (x, y), value = P[bad][0], self.loss[bad][0]
            why = "undefined (NaN)" if np.isnan(value) else "infinite"
            raise ConfigError(f"the loss is not finite at the start point ({x:g}, {y:g}): it is {why} there")
        k = len(P)
        self.status = np.zeros(k, dtype=np.int8)
        #: Why each finished run finished, in words ("" while running).
        self.detail = [""] * k
        #: Step at which each run finished (-1 while running).
        self.finished_at = np.full(k, -1)
        self.step = 0
        self.samples = 0
        self._data_epoch = -1
        self._batches = None
        self._buffers: list[np.ndarray] | None = None
        #: Rows of the last block whose full loss was not computed (``None``: all were).
        self._skipped: np.ndarray | None = None

    @property
    def optimizer(self) -> Optimizer:
        """The update rule; set a new one to change hyperparameters between chunks.

        The accumulated state (momentum, averages) is kept when the new
        optimiser is of the same kind (see :meth:`Optimizer.adopt`), and
        started afresh otherwise.
        """
        return self._optimizer

    @optimizer.setter
    def optimizer(self, new: Optimizer) -> None:
        if type(new) is not type(self._optimizer):
            self.state = new.init(self.params)
        else:
            self.state = new.adopt(self.state, self._optimizer)
        self._optimizer = new

    @property
    def n_runs(self) -> int:
        return len(self.params)

    @property
    def finished(self) -> bool:
        """True when every run has stopped."""
        return bool(np.all(self.status != _RUNNING))

    @property
    def epoch(self) -> float:
        """Epochs completed (steps, for surfaces)."""
        n = self.problem.n_samples
        return self.samples / n if n else float(self.step)

    def full_loss(self) -> np.ndarray:
        """The full-data loss at the current weights, ``(K,)``, computed now.

        :attr:`loss` is the latest one the steps computed: on a big dataset with small
        batches that may be up to :attr:`loss_every` steps old.
        """
        with np.errstate(all="ignore"):
            return self.problem.loss(self.params)

    def gradient(self) -> np.ndarray:
        """Full gradient at the current weights, ``(K, 2)``."""
        with np.errstate(all="ignore"):
            return self.problem.grad(self.params)

    def advance(self, n_steps: int, every_row: bool = True) -> Trace:
        """Take up to ``n_steps`` steps; fewer if every run finishes first.

        Returns a row per step taken, or with ``every_row=False`` only the
        final row (for many runs, when the path in between is not wanted).
        """
        if n_steps < 0:
            raise ConfigError(f"steps must be >= 0, got {n_steps}")
        blocks = []
        # Work in blocks that stay in the CPU cache: the finish checks then
        # cost little next to the steps themselves.
        block = max(4, _BLOCK_ELEMENTS // self.n_runs)
        full_batch = self.schedule is None or self.schedule.is_full
        unrecorded = not every_row and full_batch and self.n_runs >= _UNRECORDED_MIN_RUNS
        recorded_until = self.step  # steps in which a run may finish are taken recorded
        with np.errstate(all="ignore"):
            while n_steps > 0 and not self.finished:
                if unrecorded and self.step >= recorded_until:
                    n = min(_UNRECORDED_BLOCK, n_steps)
                    last = self._run_unrecorded(n)
                    if last is not None:
                        blocks.append(last)
                        n_steps -= n
                        continue
                    recorded_until = self.step + n
                rows, stationary = self._run(min(block, n_steps))
                trace = self._settle(rows, stationary)
                n_steps -= len(trace) if self.finished else len(stationary) - 1
                if len(trace):
                    # The block's rows live in reused buffers: keep copies.
                    blocks.append(trace.copy() if every_row else trace.last())
        if not blocks:
            return Trace.empty(self.n_runs)
        return Trace.concat(blocks) if every_row else blocks[-1]

    # --- the stepping loop ------------------------------------------------------

    def _block_buffers(self, n: int) -> list[np.ndarray]:
        """Row buffers for a block of ``n`` steps, allocated once and reused.

        Fresh multi-megabyte arrays every block cost more in page faults than
        the steps themselves when there are many runs.
        """
        if self._buffers is None or len(self._buffers[0]) < n:
            k = self.n_runs
            # Weights and gradients are stored (n, 2, K) and seen as (n, K, 2), like self.params.
            self._buffers = [
                np.empty((n, 2, k)).transpose(0, 2, 1),  # params
                np.empty((n + 1, k)),  # full loss, from the block's start
                np.empty((n, k)),  # batch loss
                np.empty((n, 2, k)).transpose(0, 2, 1),  # gradients
                np.empty(n, dtype=np.int64),  # samples
                np.empty((n + 1, k), dtype=bool),  # stationary
            ]
            self._scratch = np.empty((n, 2, k))  # work space for the finish checks
        return [b[: n + 1] if len(b) > len(self._buffers[0]) else b[:n] for b in self._buffers]

    def _run(self, n: int):
        params, losses, batch_loss, grads, samples, stationary = self._block_buffers(n)
        # losses[r]: the full loss before step r of the block (losses[n]: after the last step);
        # a row's loss is the one after its step, losses[r + 1].
        loss = losses[1:]
        # stationary[r]: full gradient norm at row r is below tol.
        stationary[:] = False
        # The optimiser updates in place; self.params keeps the chunk's start.
        P, state, update = self.params.copy(order="F"), self.state, self._optimizer.update
        problem, sched, tol2 = self.problem, self.schedule, self.tol**2
        if sched is None or sched.is_full:
            # Each step's full loss and gradient are those of its start: one evaluation a step,
            # written straight into the rows, and the batch loss is the full loss.
            loss_and_grad_into = problem.loss_and_grad_into
            for t in range(n):
                G = grads[t]
                losses[t] = loss_and_grad_into(P, G)
                P, state = update(G, state, P)
                params[t] = P
            losses[n] = problem.loss(P)
            batch_loss = losses[:n]
            g, squares = grads.transpose(0, 2, 1), self._scratch[:n]
            np.multiply(g, g, out=squares)
            norms = np.add(squares[:, 0], squares[:, 1], out=squares[:, 0])
            np.less(norms, tol2, out=stationary[:n])
            samples[:] = self._count_full_batches(n)
            self._skipped = None
        else:
            assert isinstance(problem, DatasetProblem)
            full_loss, every, first = problem.loss, self.loss_every, self.step + 1
            skipped = np.zeros(n, dtype=bool) if every > 1 else None
            for t in range(n):
                s = sched.next()
                if sched.epochs_started != self._data_epoch:
                    self._data_epoch = sched.epochs_started
                    self._batches = problem.epoch_batches(sched.order, sched.batch_size)
                batch_loss[t], G = self._batches(P, s)
                P, state = update(G, state, P)
                params[t] = P
                grads[t] = G
                samples[t] = sched.samples
                if skipped is None or (first + t) % every == 0 or sched.at_epoch_end:
                    loss[t] = full_loss(P)
                else:  # not computed at this step (a big dataset, a small batch): see loss_every
                    loss[t] = np.nan
                    skipped[t] = True
                if sched.at_epoch_end:
                    g = problem.grad(P)
                    stationary[t + 1] = _squared_norms(g) < tol2
            self._skipped = skipped if skipped is not None and skipped.any() else None
        self.state = state
        return (params, loss, batch_loss, grads, samples), stationary

    def _run_unrecorded(self, n: int) -> Trace | None:
        """Take ``n`` full-batch steps keeping only the final row; ``None`` if a run may finish in them.

        With many runs, writing every row and searching the rows for finishes
        costs as much as the steps. Instead, each step folds into a few
        per-run bounds all that could finish a run: the smallest gradient
        components (a stationary row has both under ``tol``), the extremes of
        the weights (a row off the map lies beyond them) and the sum of the
        losses (non-finite if any loss is). If the bounds rule out every
        finish, only the final row is left to keep. If not, nothing is
        changed, and the caller takes the same steps again, recorded: they
        come out the same, bit for bit.
        """
        P, state = self.params.copy(order="F"), copy_state(self.state)
        G, absolute, smallest = np.empty_like(P), np.empty_like(P), np.full_like(P, np.inf)
        highest, lowest = P.copy(order="F"), P.copy(order="F")
        loss_sum = np.zeros(len(P))
        update, loss_and_grad_into = self._optimizer.update, self.problem.loss_and_grad_into
        for _ in range(n):
            batch_loss = loss_and_grad_into(P, G)
            loss_sum += batch_loss
            np.minimum(smallest, np.abs(G, out=absolute), out=smallest)
            P, state = update(G, state, P)
            np.maximum(highest, P, out=highest)
            np.minimum(lowest, P, out=lowest)
        loss = self.problem.loss(P)
        loss_sum += loss
        may_finish = (_squared_norms(smallest) < self.tol**2) | ~np.isfinite(loss_sum) | ~self._on_map(highest, lowest)
        running = self.status == _RUNNING
        if (may_finish & running).any():
            return None
        # Runs that had finished before the block stay where they stopped.
        done = ~running
        P[done], G[done] = self.params[done], 0.0
        loss, batch_loss = (np.where(done, self.loss, x) for x in (loss, batch_loss))
        samples = self._count_full_batches(n)[-1:]
        self.params, self.state, self.loss = P, state, loss
        self.step += n
        self.samples = int(samples[0])
        return Trace(
            step=np.array([self.step]),
            samples=samples,
            epoch=samples / (self.problem.n_samples or 1),
            params=P[None].copy(),
            loss=loss[None].copy(),
            batch_loss=batch_loss[None],
            grad=G[None],
        )

    def _count_full_batches(self, n: int) -> np.ndarray:
        """Count ``n`` full-batch steps in the schedule; returns the samples seen after each."""
        per_step = 1 if self.schedule is None else self.schedule.n_samples
        if self.schedule is not None:
            self.schedule.steps += n
            self.schedule.samples += n * per_step
        return self.samples + per_step * np.arange(1, n + 1)

    # --- finishing runs -----------------------------------------------------------

    def _settle(self, rows, stationary) -> Trace:
        """Find which runs finished in this block, freeze them, and trim the rows.

        Rows are numbered from 0 (the block's start). ``stationary[r]`` tests
        row ``r``; ``bad[i]`` tests row ``i + 1``, so a run that went bad there
        keeps row ``i`` as its last good one.
        """
        params, loss, batch_loss, grads, samples = rows
        n, k = loss.shape
        skipped = self._skipped
        bad = self._bad_rows(params, loss if skipped is None else np.where(skipped[:, None], 0.0, loss))
        running = self.status == _RUNNING
        finish = np.where(running, n + 1, 0)
        converged = np.zeros(k, dtype=bool)
        diverged = np.zeros(k, dtype=bool)
        undefined: set[int] = set()
        hit = stationary.any(axis=0) if bad is None else stationary.any(axis=0) | bad.any(axis=0)
        events = np.flatnonzero(running & hit)
        if len(events):
            s_row = _first_true(stationary[:, events], n + 1)
            b_row = np.full(len(events), n + 1) if bad is None else _first_true(bad[:, events], n + 1)
            conv = (s_row <= b_row) & (s_row <= n)
            div = ~conv & (b_row <= n)
            converged[events] = conv
            diverged[events] = div
            finish[events] = np.where(conv, s_row, np.where(div, b_row, n + 1))
            for j, i in zip(events[div], b_row[div]):
                if not np.isfinite(grads[i, j]).all() and np.isfinite(batch_loss[i, j]):
                    # The step's gradient had no value at a sound point (0/0 at a cone's tip): the
                    # run stops there, as at a zero gradient; it did not blow up.
                    undefined.add(int(j))
                    converged[j], diverged[j] = True, False
                    continue
                shown = loss[i, j] if skipped is None or not skipped[i] else 0.0
                self.detail[j] = self._divergence_reason(params[i, j], shown)
        stopped = np.flatnonzero(finish <= n)
        n_rows = int(finish.max()) if len(stopped) == k else n
        if len(stopped):
            frozen_loss = self._freeze(stopped, finish[stopped], rows)
        trace = Trace(
            step=self.step + np.arange(1, n_rows + 1),
            samples=samples[:n_rows],
            epoch=samples[:n_rows] / (self.problem.n_samples or 1),
            params=params[:n_rows],
            loss=loss[:n_rows],
            batch_loss=batch_loss[:n_rows],
            grad=grads[:n_rows],
        )
        if n_rows:
            self.params = params[n_rows - 1].copy(order="F")
            # The latest full loss: that of the last row, or of the last row it was computed for.
            computed = np.flatnonzero(~skipped[:n_rows]) if skipped is not None else [n_rows - 1]
            if len(computed):
                self.loss = loss[computed[-1]].copy()
            if len(stopped):
                self.loss[stopped] = frozen_loss
            self.samples = int(samples[n_rows - 1])
        self.finished_at[converged | diverged] = self.step + finish[converged | diverged]
        self.step += n_rows
        self.status[diverged] = RunStatus.DIVERGED
        self.status[converged] = RunStatus.CONVERGED
        if converged.any():
            self._judge_stops(np.flatnonzero(converged), undefined)
        return trace

    def _bad_rows(self, params: np.ndarray, loss: np.ndarray) -> np.ndarray | None:
        """Rows where a run's loss is not finite or its weights left the map, ``(n, K)``; ``None`` if none."""
        # The usual case, checked in two passes over the block: is every weight within reach
        # of the centre (NaN survives max() and min(), and fails the test) and every loss finite?
        if np.isfinite(loss.sum()) and self._on_map(params.max(axis=0), params.min(axis=0)).all():
            return None
        return ~(self._on_map(params, params) & np.isfinite(loss))

    def _on_map(self, highest: np.ndarray, lowest: np.ndarray) -> np.ndarray:
        """Whether weights ranging from ``lowest`` to ``highest`` (``(..., 2)``) stay within
        reach of the map, ``(...)``. NaN fails every comparison, so it counts as off the map."""
        within = (highest - self._centre <= self._reach) & (self._centre - lowest <= self._reach)
        return within.all(axis=-1)

    def _freeze(self, runs: np.ndarray, finish: np.ndarray, rows) -> np.ndarray:
        """Hold each of ``runs`` at its last good row for the rest of the block; returns their full losses there."""
        params, loss, batch_loss, grads, _ = rows
        n = len(loss)
        last = np.clip(finish - 1, 0, n - 1)
        at_start = (finish == 0)[:, None]
        frozen_p = np.where(at_start, self.params[runs], params[last, runs])
        frozen_l = np.where(at_start[:, 0], self.loss[runs], loss[last, runs])
        if self._skipped is not None and (missing := ~at_start[:, 0] & self._skipped[last]).any():
            # A run that stops on a row whose full loss was skipped: work it out, once.
            with np.errstate(all="ignore"):
                frozen_l[missing] = self.problem.loss(np.asfortranarray(frozen_p[missing]))
        after = np.arange(1, n + 1)[:, None] > finish[None, :]
        for rows_, value in ((params, frozen_p), (loss, frozen_l), (batch_loss, frozen_l), (grads, 0.0)):
            block = rows_[:, runs]
            np.copyto(block, value, where=after if block.ndim == 2 else after[..., None])
            rows_[:, runs] = block
        return frozen_l

    def _judge_stops(self, runs: np.ndarray, undefined: set[int]) -> None:
        """Tell a stop at a global minimum from one at a local minimum, saddle or plateau
        (or, for ``undefined`` runs, at a point where the gradient has no value)."""
        best = self.problem.global_min_value
        slack = 1e-5 * max(1.0, abs(best))
        P = self.params[runs]
        kinds = classify(self.problem, P)
        for j, kind, value in zip(runs, kinds, self.loss[runs]):
            if value <= best + slack:
                self.detail[j] = f"global minimum; {UNDEFINED_GRADIENT}" if j in undefined else "global minimum"
            else:
                self.status[j] = RunStatus.STUCK
                self.detail[j] = UNDEFINED_GRADIENT if j in undefined else kind

    def _divergence_reason(self, p: np.ndarray, loss: float) -> str:
        """What went wrong at the point ``p`` a step landed on, with ``loss`` there (the first cause
        that applies: a loss of NaN far off the map is an overflow's, not an undefined loss)."""
        if not np.isfinite(p).all():
            return "the step overflowed: the weights are no longer finite numbers"
        if not self._on_map(p, p):
            return "the weights flew far off the map"
        if np.isnan(loss):
            return "the loss is undefined (NaN) where the step landed"
        return "the loss overflowed to infinity"


def check_starts_on_map(domain, starts) -> None:
    """Refuse a start so far off the map (:data:`RUNAWAY` half-widths from its centre) that a
    run from it would count as diverged before its first step."""
    (x0, x1), (y0, y1) = domain
    centre = np.array([(x0 + x1) / 2, (y0 + y1) / 2])
    reach = RUNAWAY * np.array([(x1 - x0) / 2, (y1 - y0) / 2])
    P = np.asarray(starts, dtype=float).reshape(-1, 2)
    off = ~(np.abs(P - centre) <= reach).all(axis=1)
    if off.any():
        far = P[off][0]
        raise ConfigError(
            f"start point ({far[0]:g}, {far[1]:g}) lies far off the map ({x0:g} to {x1:g} by {y0:g} to {y1:g}), "
            "where a run counts as diverged; choose one nearer"
        )


def _first_true(a: np.ndarray, none: int) -> np.ndarray:
    """Index of the first True along axis 0 of each column, or ``none``."""
    first = np.full(a.shape[1], none)
    cols = np.flatnonzero(a.any(axis=0))
    first[cols] = a[:, cols].argmax(axis=0)
    return first


_PAIR = np.ones(2)


def _squared_norms(v: np.ndarray) -> np.ndarray:
    """``|v|²`` over the last axis (of length 2); a matrix product beats strided access here."""
    return (v * v) @ _PAIR
