"""Losses that are a mean over data samples, so that batch size matters."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable
from typing import ClassVar

import numpy as np

from ..checkpoints import checkpoint
from .base import Domain, Minimum, Problem
from .data import Dataset, check_generation
from .stationary import find_minima

#: Points x samples evaluated at once when a loss is computed for many points.
_CHUNK_ELEMENTS = 2_000_000
#: Samples per piece when a loss is taken over more than this many (see ``_over_pieces``).
_SAMPLE_PIECE = 4_096
#: Samples' worth of full-loss work a small-batch step may cost, on average (see
#: :meth:`DatasetProblem.full_loss_every`): about a millisecond at 30-80 ns a sample.
FULL_LOSS_SAMPLES_PER_STEP = 16_384
#: ``fn(P, batch_slice) -> (loss (K,), gradient (K, 2))`` for the batches of one epoch.
BatchLossFn = Callable[[np.ndarray, slice], tuple[np.ndarray, np.ndarray]]


class DatasetProblem(Problem):
    """A model ``y ≈ model(x; w, b)`` fitted by minimising a mean loss over the samples."""

    param_names = ("w", "b")
    #: The model as a formula, for titles.
    formula: str
    #: Noise of generated data that makes it look like real measurements.
    default_noise: ClassVar[float]

    @classmethod
    def generate(
        cls, samples: int, noise: float | None = None, seed: int = 0, progress: Callable[[float], None] | None = None
    ) -> Dataset:
        """Seeded data for this model (``noise=None``: its :attr:`default_noise`).

        ``progress``, if given, is called as the random numbers are drawn (see
        :class:`_ReportingRng`); it may raise to abandon the work.
        """
        noise = cls.default_noise if noise is None else noise
        check_generation(samples, noise)
        rng = np.random.default_rng(seed)
        x, y = cls.draw(rng if progress is None else _ReportingRng(rng, samples, progress), samples, noise)
        return Dataset(x, y, f"{samples} generated samples (noise {noise:g}, seed {seed})")

    @staticmethod
    @abstractmethod
    def draw(rng: np.random.Generator, samples: int, noise: float) -> tuple[np.ndarray, np.ndarray]:
        """Inputs and targets of generated data: the model at chosen weights, plus noise."""

    def __init__(self, data: Dataset) -> None:
        self.data = data
        self.n_samples = len(data)
        self.domain = self._domain()

    @abstractmethod
    def _domain(self) -> Domain:
        """Plotting range for (w, b), chosen to frame the data's minima."""

    @abstractmethod
    def sample_loss_and_grad(self, P: np.ndarray, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean loss ``(K,)`` and its gradient ``(K, 2)`` over the given samples."""

    @abstractmethod
    def sample_gradients(self, p: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Gradient of each sample's own loss at one point ``p = (w, b)``, ``(n, 2)`` in
        column-major order (each parameter's ``n`` values contiguous, as the simulation keeps weights).

        Their mean over some samples is the gradient over those samples; their
        spread is the noise of a mini-batch gradient (see ``gradient_cloud``).
        """

    @staticmethod
    @abstractmethod
    def predict(w: float, b: float, x: np.ndarray) -> np.ndarray:
        """The model's output for inputs ``x`` at weights ``(w, b)`` (probabilities for classes)."""

    def sample_loss(self, P: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Mean loss over the given samples."""
        return self.sample_loss_and_grad(P, x, y)[0]

    def epoch_batches(self, order: np.ndarray, size: int) -> BatchLossFn:
        """Mean loss and gradient of one epoch's batches, as ``fn(P, batch_slice)``.

        ``order`` is the epoch's order of the samples; batch ``i`` is the samples
        ``order[i * size : (i + 1) * size]``. A problem that can summarise a batch in
        a few sums does so here, once per epoch; others gather each batch's samples
        as it comes (copying all of x and y in the epoch's order took a second on
        10 million samples, before the first step).
        """
        x, y = self.data.x, self.data.y
        return lambda P, s: self.sample_loss_and_grad(P, x[order[s]], y[order[s]])

    def full_loss_every(self, batch_size: int) -> int:
        """Steps between full-data losses when batches of ``batch_size`` are taken.

        A small batch's step costs a few samples' work; the full loss after it costs every
        sample's. So that a step costs the same on any amount of data, the full loss is
        computed every ``k`` steps, ``k`` chosen so that on average it adds no more than
        a batch's or :data:`FULL_LOSS_SAMPLES_PER_STEP` samples' work a step: 1 (every step)
        up to 16,384 samples, 611 steps for 10 million samples at batch 1 (where one full
        loss takes about half a second, so the curve gains a point or two a second).
        """
        return max(1, -(-self.n_samples // max(FULL_LOSS_SAMPLES_PER_STEP, batch_size)))

    def _chunked(self, fn, P: np.ndarray) -> list:
        step = max(1, _CHUNK_ELEMENTS // self.n_samples)
        parts = []
        for i in range(0, len(P), step):
            checkpoint()
            parts.append(fn(P[i : i + step], self.data.x, self.data.y))
        return parts

    def _over_pieces(self, fn, P: np.ndarray):
        """``fn`` (a mean over samples: the loss, or the loss and gradient) over all samples,
        taken :data:`_SAMPLE_PIECE` samples at a time and weighted by each piece's size.

        Whole-data temporaries of millions of samples cost more in page faults and memory
        traffic than the arithmetic: pieces that stay in the CPU cache make a full loss of
        10 million samples about twice as fast, and its memory a few hundred kilobytes.
        (Pieces of 16k-32k samples were slower here: BLAS shares ``rc @ x`` among threads.)
        """
        x, y, n = self.data.x, self.data.y, self.n_samples
        points = max(1, _CHUNK_ELEMENTS // _SAMPLE_PIECE)
        parts = []
        for i in range(0, len(P), points):
            Q = P[i : i + points]
            total = None
            for j in range(0, n, _SAMPLE_PIECE):
                checkpoint()  # a loss of millions of samples takes seconds while a landscape loads
                part = fn(Q, x[j : j + _SAMPLE_PIECE], y[j : j + _SAMPLE_PIECE])
                m = min(_SAMPLE_PIECE, n - j)
                part = tuple(v * m for v in part) if isinstance(part, tuple) else part * m
                if total is None:
                    total = part
                elif isinstance(part, tuple):
                    total = tuple(a + b for a, b in zip(total, part))
                else:
                    total += part
            parts.append(tuple(v / n for v in total) if isinstance(total, tuple) else total / n)
        return parts

    def loss(self, P: np.ndarray) -> np.ndarray:
        if self.n_samples > _SAMPLE_PIECE:
            return np.concatenate(self._over_pieces(self.sample_loss, P))
        if len(P) * self.n_samples <= _CHUNK_ELEMENTS:
            return self.sample_loss(P, self.data.x, self.data.y)
        return np.concatenate(self._chunked(self.sample_loss, P))

    def loss_and_grad(self, P: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        if self.n_samples > _SAMPLE_PIECE:
            parts = self._over_pieces(self.sample_loss_and_grad, P)
        elif len(P) * self.n_samples <= _CHUNK_ELEMENTS:
            return self.sample_loss_and_grad(P, self.data.x, self.data.y)
        else:
            parts = self._chunked(self.sample_loss_and_grad, P)
        return np.concatenate([p[0] for p in parts]), np.concatenate([p[1] for p in parts])

    #: ``(w, bs) -> losses``: the loss at one ``w`` and many ``b`` from a few sums over the
    #: samples, for models where ``b`` separates out. ``None`` when it does not.
    _losses_over_b: Callable[[float, np.ndarray], np.ndarray] | None = None

    def surface(self, n: int, progress: Callable[[float], None] | None = None):
        """As :meth:`Problem.surface`; where ``b`` separates out, one pass over the data per
        row instead of one per grid point (a 128-row surface of 100,000 samples: under a
        second instead of a minute)."""
        if self._losses_over_b is None:
            return super().surface(n, progress)
        xs, ys = self.grid(n)
        Z = np.empty((n, n))
        with np.errstate(all="ignore"):
            for i, w in enumerate(xs):
                Z[i] = self._losses_over_b(float(w), ys)
                if progress:
                    progress((i + 1) / n)
        return xs, ys, Z

    def _sample_means(self, w: float, terms: Callable[[np.ndarray, np.ndarray], tuple]) -> list[float]:
        """Means over all samples of ``terms(w * x, y)``, taken in chunks to bound memory."""
        x, y, step = self.data.x, self.data.y, _CHUNK_ELEMENTS
        sums = []
        for i in range(0, len(x), step):
            checkpoint()
            sums.append([t.sum() for t in terms(w * x[i : i + step], y[i : i + step])])
        return (np.sum(sums, axis=0) / self.n_samples).tolist()

    #: The minima once found.
    _minima: tuple[Minimum, ...] | None = None

    @property
    def minima(self) -> tuple[Minimum, ...]:
        """Minima of this data's loss, found numerically on first use."""
        return self.locate_minima()

    def locate_minima(self, progress: Callable[[float], None] | None = None) -> tuple[Minimum, ...]:
        """:attr:`minima`, searched for now if not yet found (``progress`` as for :func:`find_minima`)."""
        if self._minima is None:
            self._minima = find_minima(self, progress=progress)
        return self._minima

    @property
    def default_start(self) -> tuple[float, float]:
        (x0, x1), (y0, y1) = self.domain
        return (x0 + 0.1 * (x1 - x0), y0 + 0.85 * (y1 - y0))


class _ReportingRng:
    """A random generator that draws big arrays in pieces and reports between them.

    Ten million samples take a second or two to draw; in pieces of a million the
    engine can give the work up meanwhile. Each value takes its own bits from the
    stream in order, so the pieces hold the very numbers one draw would (the data do
    not depend on it). Every model draws two arrays of ``samples`` values (or
    shuffles one); the fraction reported counts them.
    """

    _PIECE = 1_000_000

    def __init__(self, rng: np.random.Generator, samples: int, progress: Callable[[float], None]) -> None:
        self._rng, self._total, self._progress, self._done = rng, 2 * samples, progress, 0

    def _report(self, n: int) -> None:
        self._done += n
        self._progress(min(1.0, self._done / self._total))

    def _pieces(self, draw: Callable[[int], np.ndarray], size: int) -> np.ndarray:
        out = np.empty(size)
        for i in range(0, size, self._PIECE):
            out[i : i + self._PIECE] = draw(min(self._PIECE, size - i))
            self._report(min(self._PIECE, size - i))
        return out

    def uniform(self, low: float, high: float, size: int) -> np.ndarray:
        return self._pieces(lambda k: self._rng.uniform(low, high, k), size)

    def standard_normal(self, size: int) -> np.ndarray:
        return self._pieces(self._rng.standard_normal, size)

    def shuffle(self, values: np.ndarray) -> None:
        self._rng.shuffle(values)
        self._report(len(values))


def centred(centre: tuple[float, float], half: float = 3.0) -> Domain:
    """A square domain around ``centre``, wide enough for values far from 0."""
    return tuple((c - max(half, 0.75 * abs(c)), c + max(half, 0.75 * abs(c))) for c in centre)  # type: ignore[return-value]
