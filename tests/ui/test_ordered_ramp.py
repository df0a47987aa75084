"""The ordered ramp's shades tell runs apart on a projector and for colour-blind viewers.

Runs in an order (λ small → large, batch 8 → 256) are told apart by how light their colour
is, the one difference every viewer sees. Measured in CIE L*a*b* (what the eye sees,
unlike the HSL lightness Qt reports).
"""

from __future__ import annotations

from itertools import pairwise

import numpy as np
import pytest

from gdstudio.ui import theme

_XYZ = np.array(
    [[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]]
)
_WHITE = np.array([0.95047, 1.0, 1.08883])


def lab(color: str) -> np.ndarray:
    """CIE L*a*b* of an sRGB ``#rrggbb`` colour."""
    rgb = np.array([int(color[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    t = _XYZ @ linear / _WHITE
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("count", [3, 4])
def test_each_run_in_an_order_is_clearly_darker_than_the_one_before(count):
    """Scene 09's three batch sizes, scene 07's and the explorer's four learning rates."""
    shades = [lab(theme.ordered_color(i, count)) for i in range(count)]
    steps = [a[0] - b[0] for a, b in pairwise(shades)]
    assert min(steps) >= 18, steps  # the old ramp's closest pair of four was 8 L* apart
    assert min(np.linalg.norm(a - b) for a, b in pairwise(shades)) >= 25


def test_every_shade_shows_on_the_white_loss_plot_and_on_the_viridis_map():
    viridis = theme.colormap().getLookupTable(0, 1, 64, alpha=False)
    on_map = [lab("#{:02x}{:02x}{:02x}".format(*c)) for c in viridis]
    for color in theme.ORDERED_RAMP:
        shade = lab(color)
        assert np.linalg.norm(shade - lab("#ffffff")) > 40, color
        assert min(np.linalg.norm(shade - m) for m in on_map) > 25, color
