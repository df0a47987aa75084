"""The noise of a mini-batch gradient: many batches' gradients at one point, and the theory.

The lecture's "stochastic vs mini-batch" slide says a batch's gradient is a
noisy estimate of the full one, less noisy for bigger batches. At one point
of a dataset landscape this module takes the gradients of the very batches a
run would see (the batch schedule's order, same seed), and sets their spread
beside what sampling theory predicts.

Theory, for ``N`` samples whose own gradients ``gᵢ`` have mean ``g`` (the full
gradient) and covariance ``S = (1/N) Σ (gᵢ − g)(gᵢ − g)ᵀ``: a batch of ``B``
samples drawn without replacement (as within an epoch) has mean ``g`` and
covariance ``S/B · (N − B)/(N − 1)``, the last factor the finite-population
correction. The spread (root mean square distance from ``g``) therefore
falls as ``1/√B`` while ``B ≪ N``, and reaches zero at ``B = N``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .batch_schedule import BatchSchedule, epoch_orders
from .errors import ConfigError
from .problems import DatasetProblem, Problem

#: Most batch gradients in one cloud.
MAX_BATCHES = 1_000_000
#: Batches in the window's cloud (the budget: 200 batches of 100,000 samples in 50 ms).
WINDOW_BATCHES = 200


@dataclass(frozen=True, eq=False)
class GradientCloud:
    """The gradients of many mini-batches at one point, with their statistics."""

    #: Where the gradients are taken, ``(w, b)``.
    point: np.ndarray
    #: Samples per batch, ``B``.
    batch_size: int
    n_samples: int
    #: Each batch's gradient, ``(M, 2)``, in the order the schedule hands the batches out.
    gradients: np.ndarray
    #: Samples in each batch, ``(M,)``: ``B``, except the last batch of an epoch when
    #: ``B`` does not divide ``N``.
    sizes: np.ndarray
    #: The gradient over every sample (the mean of the samples' own gradients).
    full_gradient: np.ndarray
    #: Covariance of one sample's gradient, ``S`` (divided by ``N``), ``(2, 2)``.
    sample_covariance: np.ndarray

    @property
    def mean(self) -> np.ndarray:
        """Mean of the batch gradients, each weighted by its samples: the full gradient
        exactly when whole epochs of batches were drawn."""
        return self.sizes @ self.gradients / self.sizes.sum()

    @property
    def full_size(self) -> np.ndarray:
        """Which batches have ``B`` samples (the statistics below use only those)."""
        return self.sizes == self.batch_size

    @property
    def covariance(self) -> np.ndarray:
        """Covariance of the ``B``-sample batch gradients about the full gradient, ``(2, 2)``;
        the ellipse around the cloud. Its expectation is :meth:`theory_covariance` exactly."""
        d = self.gradients[self.full_size] - self.full_gradient
        return d.T @ d / max(len(d), 1)

    @property
    def spread(self) -> float:
        """Root mean square distance of the ``B``-sample batch gradients from the full gradient."""
        return math.sqrt(max(float(np.trace(self.covariance)), 0.0))

    def theory_covariance(self, batch_size: int | None = None) -> np.ndarray:
        """``S/B · (N − B)/(N − 1)``: the covariance of a batch gradient drawn without
        replacement, for this cloud's ``B`` or another."""
        b = self.batch_size if batch_size is None else batch_size
        n = self.n_samples
        correction = (n - b) / (n - 1) if n > 1 else 0.0
        return self.sample_covariance / b * correction

    def theory_spread(self, batch_size: int | None = None) -> float:
        """The spread sampling theory predicts for batches of ``batch_size`` (default: ``B``)."""
        return math.sqrt(max(float(np.trace(self.theory_covariance(batch_size))), 0.0))

    def ellipse(self, scale: float = 1.0, points: int = 64) -> np.ndarray:
        """Outline of the covariance ellipse, ``scale`` standard deviations about the full
        gradient, as ``(points, 2)`` gradient vectors (the window draws it round the cloud)."""
        values, vectors = np.linalg.eigh(self.covariance)
        t = np.linspace(0.0, 2 * np.pi, points)
        circle = np.column_stack((np.cos(t), np.sin(t))) * np.sqrt(np.maximum(values, 0.0))
        return self.full_gradient + scale * circle @ vectors.T


def gradient_cloud(
    problem: Problem,
    point,
    batch_size: int | None,
    batches: int | None = None,
    seed: int = 0,
) -> GradientCloud:
    """The gradients at ``point`` of the first ``batches`` batches a run of ``problem`` with
    this batch size and seed would draw (default: one epoch's worth).

    Raises
    ------
    ConfigError
        For an analytic surface (no samples, so no batches), a point that is not two
        finite numbers, a batch size out of range or a number of batches below 1.
    """
    if not isinstance(problem, DatasetProblem):
        raise ConfigError(f"{problem.name} has no data samples: every step uses the exact gradient, with no noise")
    p = np.array(point, dtype=float).ravel()
    if p.shape != (2,) or not np.isfinite(p).all():
        raise ConfigError(f"a gradient cloud needs a point of two finite numbers, got {point!r}")
    n = problem.n_samples
    size = BatchSchedule(n, batch_size, seed).batch_size  # checks the batch size
    per_epoch = -(-n // size)
    batches = per_epoch if batches is None else batches
    if not 1 <= batches <= MAX_BATCHES:
        raise ConfigError(f"number of batches must be between 1 and {MAX_BATCHES}, got {batches}")
    with np.errstate(all="ignore"):
        per_sample = problem.sample_gradients(p, problem.data.x, problem.data.y)
    # (2, N), each row contiguous (sample_gradients' layout): gathering and summing along a
    # row is 10x faster than down a column of an (N, 2) array.
    columns = per_sample.T
    full = columns.mean(axis=1)
    deviation = columns - full[:, None]
    # einsum, not a matrix product: BLAS would hand 100,000-long dot products to its threads,
    # which on a busy machine costs tens of milliseconds waiting for them to wake.
    covariance = np.einsum("in,jn->ij", deviation, deviation) / n
    starts = np.arange(0, n, size)
    sizes = np.diff(np.append(starts, n))
    epochs = -(-batches // per_epoch)
    gradients = np.empty((epochs * per_epoch, 2))
    orders = epoch_orders(n, size, seed)
    for e in range(epochs):
        order = next(orders)
        rows = gradients[e * per_epoch : (e + 1) * per_epoch]
        for i, c in enumerate(columns):
            rows[:, i] = np.add.reduceat(c if order is None else c[order], starts) / sizes
    return GradientCloud(
        point=p,
        batch_size=size,
        n_samples=n,
        gradients=gradients[:batches],
        sizes=np.tile(sizes, epochs)[:batches],
        full_gradient=full,
        sample_covariance=covariance,
    )
