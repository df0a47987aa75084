"""Which samples each step sees."""

import numpy as np
import pytest

from gdstudio.core import BatchSchedule, ConfigError, describe_method
from gdstudio.core.batch_schedule import equal_budget_paces


def test_each_epoch_sees_every_sample_once_in_consecutive_batches():
    s = BatchSchedule(10, 4, seed=1)
    seen, sizes = [], []
    for _ in range(3):
        sl = s.next()
        seen.extend(s.order[sl])
        sizes.append(sl.stop - sl.start)
    assert sizes == [4, 4, 2]  # the last batch is short
    assert sorted(seen) == list(range(10))
    assert s.at_epoch_end and s.epoch == 1.0 and s.steps == 3 and s.samples == 10
    first = s.order.copy()
    s.next()
    assert s.epochs_started == 2
    assert not np.array_equal(first, s.order)  # a fresh permutation each epoch


def test_same_seed_same_batches():
    a, b = BatchSchedule(100, 8, seed=5), BatchSchedule(100, 8, seed=5)
    for _ in range(30):
        sa, sb = a.next(), b.next()
        np.testing.assert_array_equal(a.order[sa], b.order[sb])


def test_full_batch_is_batch_n_in_data_order():
    for size in (None, 7):
        s = BatchSchedule(7, size, seed=0)
        assert s.is_full
        assert s.next() == slice(0, 7)
        assert s.order is None


@pytest.mark.parametrize("size", [0, -1, 11])
def test_batch_size_out_of_range(size):
    with pytest.raises(ConfigError, match="between 1 and the 10 samples"):
        BatchSchedule(10, size, seed=0)


def test_method_names():
    assert describe_method(None, 100) == "full batch"
    assert describe_method(100, 100) == "full batch"
    assert describe_method(1, 100) == "stochastic"
    assert describe_method(32, 100) == "mini-batch 32"
    assert describe_method(None, None) == "exact gradient"


def test_batch_sizes_are_paced_to_process_equal_samples():
    assert equal_budget_paces(512, [None, 1, 32]) == [1, 512, 16]
    assert equal_budget_paces(1024, [8, 256, 64]) == [32, 1, 4]
    assert equal_budget_paces(None, [None, None]) == [1, 1]  # surfaces: one step each
    assert equal_budget_paces(100, [30, 100]) == [4, 1]  # 4 batches of 30 (the last short) per epoch
