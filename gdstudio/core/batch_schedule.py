"""Which samples each step sees: full batch, stochastic (1) or mini-batch (B)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from .errors import ConfigError


def describe_method(batch_size: int | None, n_samples: int | None) -> str:
    """The lecture's name for a batch size: naive (full batch), stochastic or mini-batch."""
    if n_samples is None:
        return "exact gradient"
    if batch_size is None or batch_size >= n_samples:
        return "full batch"
    return "stochastic" if batch_size == 1 else f"mini-batch {batch_size}"


def epoch_orders(n_samples: int, batch_size: int, seed: int) -> Iterator[np.ndarray | None]:
    """The sample order of each epoch in turn: a fresh seeded permutation, or ``None``
    (the data's own order) when one batch takes every sample."""
    rng = np.random.default_rng(seed)
    while True:
        yield None if batch_size >= n_samples else rng.permutation(n_samples)


class BatchSchedule:
    """Epochs of a fresh seeded permutation, cut into consecutive batches.

    The last batch of an epoch may be short. A batch that covers the whole
    dataset takes the samples in their own order (order does not change a
    mean), so full batch and batch size ``N`` are the same thing.

    Parameters
    ----------
    n_samples
        Size of the dataset.
    batch_size
        Samples per step, 1 to ``n_samples``; ``None`` for full batch.
    seed
        Seed of the shuffling, so a run can be replayed exactly.
    """

    def __init__(self, n_samples: int, batch_size: int | None, seed: int) -> None:
        if batch_size is not None and not 1 <= batch_size <= n_samples:
            raise ConfigError(f"batch size must be between 1 and the {n_samples} samples, got {batch_size}")
        self.n_samples = n_samples
        self.batch_size = n_samples if batch_size is None else batch_size
        self.is_full = self.batch_size == n_samples
        self._orders = epoch_orders(n_samples, self.batch_size, seed)
        #: Sample order of the current epoch; ``None`` means the data's own order.
        self.order: np.ndarray | None = None
        #: Epochs begun so far (the first begins with the first step).
        self.epochs_started = 0
        #: Steps taken and samples processed so far.
        self.steps = 0
        self.samples = 0
        self._pos = n_samples

    @property
    def epoch(self) -> float:
        """Epochs completed, counting a part-done epoch as a fraction."""
        return self.samples / self.n_samples

    @property
    def at_epoch_end(self) -> bool:
        """True when the last batch handed out finished an epoch."""
        return self._pos >= self.n_samples

    def next(self) -> slice:
        """The next batch, as a slice into the current epoch's :attr:`order`."""
        if self._pos >= self.n_samples:
            self._pos = 0
            self.epochs_started += 1
            self.order = next(self._orders)
        start = self._pos
        self._pos = min(start + self.batch_size, self.n_samples)
        self.steps += 1
        self.samples += self._pos - start
        return slice(start, self._pos)


def equal_budget_paces(n_samples: int | None, batch_sizes: list[int | None]) -> list[int]:
    """Steps each run takes per round so that runs of different batch sizes process the same samples.

    A comparison of batch sizes is fair only on an equal budget: in one round the
    run with the largest batch takes one step and a run with a batch ``k`` times
    smaller takes ``k`` steps (rounded, when batches do not divide the data evenly).
    Surfaces, which have no samples, take one step a round.
    """
    if n_samples is None:
        return [1] * len(batch_sizes)
    per_epoch = [-(-n_samples // (n_samples if b is None else min(b, n_samples))) for b in batch_sizes]
    fewest = min(per_epoch)
    return [max(1, round(p / fewest)) for p in per_epoch]
