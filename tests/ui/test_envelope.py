"""The loss curve's thinning: bounded, in order, every peak and the newest point kept."""

import numpy as np
import pytest

from gdstudio.ui.envelope import Envelope


def fed(y, chunks, bins=50):
    env = Envelope(bins)
    x = np.arange(len(y), dtype=float)
    i = 0
    for n in chunks:
        env.extend(x[i : i + n], y[i : i + n])
        i += n
    env.extend(x[i:], y[i:])
    return env


def test_short_curves_come_back_whole():
    y = np.linspace(5, 1, 80)
    x, out = fed(y, [3, 30]).points()
    np.testing.assert_array_equal(out, y)
    np.testing.assert_array_equal(x, np.arange(80))


@pytest.mark.parametrize("chunks", [[100_000], [1] * 500 + [7, 999, 3], [4096] * 20])
def test_long_noisy_curves_keep_their_extremes_within_the_bound(chunks):
    rng = np.random.default_rng(1)
    y = np.exp(-np.arange(100_000) / 20_000) + rng.normal(0, 0.1, 100_000)
    y[77_777] = 9.0  # one spike, as a bad batch gives
    x, out = fed(y, chunks).points()
    assert len(out) <= 4 * 50 + 3
    assert np.all(np.diff(x) >= 0)  # in order
    assert out.max() == 9.0 and out.min() == y.min()
    assert x[-1] == len(y) - 1 and out[-1] == y[-1]  # the newest point ends the curve
    np.testing.assert_array_equal(out, y[x.astype(int)])  # real points, not made-up ones


@pytest.mark.parametrize("first", [30_000, 29_999, 12_345, 401])
def test_same_curve_whatever_the_chunks(first):
    """A long curve taken in at once (bins found at once) is the curve taken in bit by bit."""
    y = np.random.default_rng(2).normal(size=30_000)
    a, b = fed(y, [first, 5, 77]).points(), fed(y, [13] * 2000).points()
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])


def test_non_finite_values_are_left_out():
    y = np.array([1.0, np.nan, 2.0, np.inf, 3.0])
    x, out = fed(y, [2]).points()
    np.testing.assert_array_equal(out, [1.0, 2.0, 3.0])
    np.testing.assert_array_equal(x, [0, 2, 4])
