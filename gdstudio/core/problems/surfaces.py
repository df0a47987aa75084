"""The catalogue of analytic surfaces: teaching shapes and the standard test functions.

Test functions follow their usual textbook definitions (as in Jamil & Yang, "A
literature survey of benchmark functions for global optimisation problems",
2013). Non-global minima are listed where they matter for teaching; minima
found numerically are given to six decimals.
"""

from __future__ import annotations

import numpy as np

from .analytic import AnalyticSurface
from .base import Minimum

PI = np.pi
TAU = 2 * np.pi


#: The teaching shapes call their two weights as a lecture does, not x and y: in the lesson
#: x is the data a line is fitted to.
WEIGHTS = ("w1", "w2")


def _m(x: float, y: float, value: float, is_global: bool = True) -> Minimum:
    return Minimum((x, y), value, is_global)


# --- teaching shapes -------------------------------------------------------------


def _bowl(x, y):
    return x * x + y * y


def _bowl_fg(x, y):
    return x * x + y * y, 2 * x, 2 * y


def _ravine(x, y):
    return 0.02 * x * x + 2 * y * y


def _ravine_fg(x, y):
    return 0.02 * x * x + 2 * y * y, 0.04 * x, 4 * y


#: Lifts the rough bowl so that its lowest loss is 0.1: a loss measures error, and a
#: student just told so should never see it negative.
_ROUGH_LIFT = 1.102041


def _rough_bowl(x, y):
    return 0.1 * (x * x + y * y) - np.cos(1.5 * x) * np.cos(1.5 * y) + 0.1 * x + _ROUGH_LIFT


def _rough_bowl_fg(x, y):
    cx, sx = np.cos(1.5 * x), np.sin(1.5 * x)
    cy, sy = np.cos(1.5 * y), np.sin(1.5 * y)
    f = 0.1 * (x * x + y * y) - cx * cy + 0.1 * x + _ROUGH_LIFT
    return f, 0.2 * x + 1.5 * sx * cy + 0.1, 0.2 * y + 1.5 * cx * sy


#: The side valley: a narrow dip (centre, depth, 2·width²) on the slope of a wide bowl.
_DIP_X, _DIP_Y, _DIP_DEPTH, _DIP_WIDTH2 = -2.5, 1.5, 1.5, 0.5
#: The dip's faint tail at the origin (its value, and its slope factor), taken back out so the
#: bowl's lowest point stays exactly at (0, 0) with loss 0.1.
_DIP_AT_0 = _DIP_DEPTH * np.exp(-(_DIP_X**2 + _DIP_Y**2) / _DIP_WIDTH2)
_DIP_K0 = 2 * _DIP_AT_0 / _DIP_WIDTH2


def _side_valley(x, y):
    dip = _DIP_DEPTH * np.exp(-((x - _DIP_X) ** 2 + (y - _DIP_Y) ** 2) / _DIP_WIDTH2)
    tail = _DIP_AT_0 + _DIP_K0 * (_DIP_X * x + _DIP_Y * y)
    return 0.25 * x * x + 0.15 * y * y - dip + tail + 0.1


def _side_valley_fg(x, y):
    dip = _DIP_DEPTH * np.exp(-((x - _DIP_X) ** 2 + (y - _DIP_Y) ** 2) / _DIP_WIDTH2)
    tail = _DIP_AT_0 + _DIP_K0 * (_DIP_X * x + _DIP_Y * y)
    k = 2 * dip / _DIP_WIDTH2
    f = 0.25 * x * x + 0.15 * y * y - dip + tail + 0.1
    return f, 0.5 * x + k * (x - _DIP_X) + _DIP_K0 * _DIP_X, 0.3 * y + k * (y - _DIP_Y) + _DIP_K0 * _DIP_Y


def _saddle(x, y):
    return x * x + 0.25 * y**4 - 0.5 * y * y


def _saddle_fg(x, y):
    return x * x + 0.25 * y**4 - 0.5 * y * y, 2 * x, y**3 - y


def _plateau(x, y):
    return 1 - np.exp(-(x * x + y * y))


def _plateau_fg(x, y):
    e = np.exp(-(x * x + y * y))
    return 1 - e, 2 * x * e, 2 * y * e


# --- standard test functions -----------------------------------------------------


def _rosenbrock(x, y):
    return (1 - x) ** 2 + 100 * (y - x * x) ** 2


def _rosenbrock_fg(x, y):
    a = 1 - x
    b = y - x * x
    return a * a + 100 * b * b, -2 * a - 400 * x * b, 200 * b


def _himmelblau(x, y):
    return (x * x + y - 11) ** 2 + (x + y * y - 7) ** 2


def _himmelblau_fg(x, y):
    a = x * x + y - 11
    b = x + y * y - 7
    return a * a + b * b, 4 * x * a + 2 * b, 2 * a + 4 * y * b


def _rastrigin(x, y):
    return 20 + x * x - 10 * np.cos(TAU * x) + y * y - 10 * np.cos(TAU * y)


def _rastrigin_fg(x, y):
    f = _rastrigin(x, y)
    return f, 2 * x + 20 * PI * np.sin(TAU * x), 2 * y + 20 * PI * np.sin(TAU * y)


def _ackley(x, y):
    r = np.sqrt(0.5 * (x * x + y * y))
    c = 0.5 * (np.cos(TAU * x) + np.cos(TAU * y))
    return -20 * np.exp(-0.2 * r) - np.exp(c) + np.e + 20


def _ackley_fg(x, y):
    r = np.sqrt(0.5 * (x * x + y * y))
    e1 = np.exp(-0.2 * r)
    e2 = np.exp(0.5 * (np.cos(TAU * x) + np.cos(TAU * y)))
    # The cone's tip at the origin has no gradient; 0 is its natural subgradient.
    k = np.divide(2 * e1, r, out=np.zeros_like(r), where=r > 0)
    f = -20 * e1 - e2 + np.e + 20
    return f, k * x + PI * e2 * np.sin(TAU * x), k * y + PI * e2 * np.sin(TAU * y)


def _beale(x, y):
    return (1.5 - x + x * y) ** 2 + (2.25 - x + x * y**2) ** 2 + (2.625 - x + x * y**3) ** 2


def _beale_fg(x, y):
    y2, y3 = y * y, y**3
    t1 = 1.5 - x + x * y
    t2 = 2.25 - x + x * y2
    t3 = 2.625 - x + x * y3
    f = t1 * t1 + t2 * t2 + t3 * t3
    gx = 2 * (t1 * (y - 1) + t2 * (y2 - 1) + t3 * (y3 - 1))
    gy = 2 * x * (t1 + 2 * y * t2 + 3 * y2 * t3)
    return f, gx, gy


def _booth(x, y):
    return (x + 2 * y - 7) ** 2 + (2 * x + y - 5) ** 2


def _booth_fg(x, y):
    a = x + 2 * y - 7
    b = 2 * x + y - 5
    return a * a + b * b, 2 * a + 4 * b, 4 * a + 2 * b


def _matyas(x, y):
    return 0.26 * (x * x + y * y) - 0.48 * x * y


def _matyas_fg(x, y):
    return _matyas(x, y), 0.52 * x - 0.48 * y, 0.52 * y - 0.48 * x


def _three_hump_camel(x, y):
    x2 = x * x
    return 2 * x2 - 1.05 * x2 * x2 + x2**3 / 6 + x * y + y * y


def _three_hump_camel_fg(x, y):
    x2 = x * x
    return _three_hump_camel(x, y), 4 * x - 4.2 * x2 * x + x2 * x2 * x + y, x + 2 * y


def _six_hump_camel(x, y):
    x2, y2 = x * x, y * y
    return (4 - 2.1 * x2 + x2 * x2 / 3) * x2 + x * y + (-4 + 4 * y2) * y2


def _six_hump_camel_fg(x, y):
    x2, y2 = x * x, y * y
    gx = 8 * x - 8.4 * x2 * x + 2 * x2 * x2 * x + y
    gy = x - 8 * y + 16 * y2 * y
    return _six_hump_camel(x, y), gx, gy


def _styblinski_tang(x, y):
    return 0.5 * (x**4 - 16 * x * x + 5 * x + y**4 - 16 * y * y + 5 * y)


def _styblinski_tang_fg(x, y):
    return _styblinski_tang(x, y), 2 * x**3 - 16 * x + 2.5, 2 * y**3 - 16 * y + 2.5


def _goldstein_price_parts(x, y):
    s = x + y + 1
    a = 19 - 14 * x + 3 * x * x - 14 * y + 6 * x * y + 3 * y * y
    t = 2 * x - 3 * y
    b = 18 - 32 * x + 12 * x * x + 48 * y - 36 * x * y + 27 * y * y
    return s, a, t, b, 1 + s * s * a, 30 + t * t * b


def _goldstein_price(x, y):
    *_, p1, p2 = _goldstein_price_parts(x, y)
    return p1 * p2


def _goldstein_price_fg(x, y):
    s, a, t, b, p1, p2 = _goldstein_price_parts(x, y)
    dp1 = 2 * s * a + s * s * (-14 + 6 * x + 6 * y)  # same along x and y
    dp2x = 4 * t * b + t * t * (-32 + 24 * x - 36 * y)
    dp2y = -6 * t * b + t * t * (48 - 36 * x + 54 * y)
    return p1 * p2, dp1 * p2 + p1 * dp2x, dp1 * p2 + p1 * dp2y


def _levi13(x, y):
    s3y = np.sin(3 * PI * y)
    s2y = np.sin(TAU * y)
    return np.sin(3 * PI * x) ** 2 + (x - 1) ** 2 * (1 + s3y * s3y) + (y - 1) ** 2 * (1 + s2y * s2y)


def _levi13_fg(x, y):
    s3y = np.sin(3 * PI * y)
    s2y = np.sin(TAU * y)
    gx = 3 * PI * np.sin(6 * PI * x) + 2 * (x - 1) * (1 + s3y * s3y)
    gy = (
        3 * PI * (x - 1) ** 2 * np.sin(6 * PI * y)
        + 2 * (y - 1) * (1 + s2y * s2y)
        + TAU * (y - 1) ** 2 * np.sin(2 * TAU * y)
    )
    return _levi13(x, y), gx, gy


SURFACES: tuple[AnalyticSurface, ...] = (
    AnalyticSurface(
        "bowl",
        "Bowl",
        "A round bowl w1² + w2²: every direction downhill leads to the bottom.",
        _bowl,
        _bowl_fg,
        ((-3, 3), (-3, 3)),
        (_m(0, 0, 0),),
        (-2.5, 2.0),
        0.1,
        curvature=2.0,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "ravine",
        "Ravine",
        "A long narrow valley 0.02·w1² + 2·w2²: steep walls, a nearly flat floor.",
        _ravine,
        _ravine_fg,
        ((-10, 10), (-4, 4)),
        (_m(0, 0, 0),),
        (-9.0, 3.0),
        0.4,
        curvature=4.0,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "rough-bowl",
        "Rough bowl",
        "An old, rough bowl: peaks, valleys and troughs around one lowest point.",
        _rough_bowl,
        _rough_bowl_fg,
        ((-5, 5), (-5, 5)),
        (
            _m(-0.040840, 0.0, 0.100000),
            _m(-1.959108, -1.918268, 0.712420, False),
            _m(-1.959108, 1.918268, 0.712420, False),
            _m(1.871345, -1.912185, 1.095524, False),
            _m(1.871345, 1.912185, 1.095524, False),
            _m(-3.877377, 0.0, 1.324840, False),
            _m(-0.046923, -3.830453, 1.707944, False),
            _m(-0.046923, 3.830453, 1.707944, False),
            _m(3.783530, 0.0, 2.091049, False),
            _m(-3.800370, -3.759530, 2.911872, False),
            _m(-3.800370, 3.759530, 2.911872, False),
        ),
        (4.2, 3.6),
        0.1,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "side-valley",
        "Side valley",
        "A narrow side valley on the slope of a wide bowl: small steps stay in it, larger ones leave it.",
        _side_valley,
        _side_valley_fg,
        ((-4, 4), (-4, 4)),
        (_m(0.0, 0.0, 0.1), _m(-2.288879, 1.421339, 0.357579, False)),
        (-3.3, 2.4),
        1.0,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "saddle",
        "Saddle",
        "w1² + w2⁴/4 − w2²/2: a saddle point at the origin between two equal valleys.",
        _saddle,
        _saddle_fg,
        ((-2, 2), (-2, 2)),
        (_m(0, -1, -0.25), _m(0, 1, -0.25)),
        (1.8, 0.001),
        0.05,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "plateau",
        "Plateau",
        "1 − exp(−w1² − w2²): a wide flat plain where the gradient almost vanishes, and one well.",
        _plateau,
        _plateau_fg,
        ((-3, 3), (-3, 3)),
        (_m(0, 0, 0),),
        (2.2, 1.8),
        0.5,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "rosenbrock",
        "Rosenbrock",
        "A curved, flat-bottomed valley: easy to find, slow to follow to its end at (1, 1).",
        _rosenbrock,
        _rosenbrock_fg,
        ((-2, 2), (-1, 3)),
        (_m(1, 1, 0),),
        (-1.5, 2.0),
        1e-3,
        param_names=WEIGHTS,
    ),
    AnalyticSurface(
        "himmelblau",
        "Himmelblau",
        "Four equally low minima: where you start decides where you end.",
        _himmelblau,
        _himmelblau_fg,
        ((-5, 5), (-5, 5)),
        (
            _m(3.0, 2.0, 0.0),
            _m(-2.805118, 3.131313, 0.0),
            _m(-3.779310, -3.283186, 0.0),
            _m(3.584428, -1.848127, 0.0),
        ),
        (0.0, 0.0),
        0.01,
    ),
    AnalyticSurface(
        "rastrigin",
        "Rastrigin",
        "An egg-box of regularly spaced local minima over a bowl.",
        _rastrigin,
        _rastrigin_fg,
        ((-5.12, 5.12), (-5.12, 5.12)),
        (
            _m(0, 0, 0),
            _m(0.994959, 0.0, 0.994959, False),
            _m(-0.994959, 0.0, 0.994959, False),
            _m(0.0, 0.994959, 0.994959, False),
            _m(0.0, -0.994959, 0.994959, False),
            _m(0.994959, 0.994959, 1.989918, False),
        ),
        (3.2, -2.6),
        0.002,
    ),
    AnalyticSurface(
        "ackley",
        "Ackley",
        "A nearly flat, dimpled plain with a deep funnel at the centre.",
        _ackley,
        _ackley_fg,
        ((-5, 5), (-5, 5)),
        (_m(0, 0, 0),),
        (3.5, -2.5),
        0.05,
    ),
    AnalyticSurface(
        "beale",
        "Beale",
        "Flat plains and sharp ridges; the minimum sits in a narrow arm at (3, 0.5).",
        _beale,
        _beale_fg,
        ((-4.5, 4.5), (-4.5, 4.5)),
        (_m(3, 0.5, 0),),
        (1.0, 1.5),
        1e-3,
    ),
    AnalyticSurface(
        "booth",
        "Booth",
        "A tilted quadratic bowl with its minimum at (1, 3).",
        _booth,
        _booth_fg,
        ((-10, 10), (-10, 10)),
        (_m(1, 3, 0),),
        (-8.0, -6.0),
        0.05,
        curvature=18.0,
    ),
    AnalyticSurface(
        "matyas",
        "Matyas",
        "A shallow, slanted quadratic plate with its minimum at the origin.",
        _matyas,
        _matyas_fg,
        ((-10, 10), (-10, 10)),
        (_m(0, 0, 0),),
        (-8.0, 6.0),
        0.5,
        curvature=1.0,
    ),
    AnalyticSurface(
        "three-hump-camel",
        "Three-hump camel",
        "One global minimum between two shallower ones.",
        _three_hump_camel,
        _three_hump_camel_fg,
        ((-2.5, 2.5), (-2.5, 2.5)),
        (
            _m(0, 0, 0),
            _m(1.747552, -0.873776, 0.298638, False),
            _m(-1.747552, 0.873776, 0.298638, False),
        ),
        (2.0, 1.5),
        0.02,
    ),
    AnalyticSurface(
        "six-hump-camel",
        "Six-hump camel",
        "Two global minima among four local ones.",
        _six_hump_camel,
        _six_hump_camel_fg,
        ((-2.2, 2.2), (-1.2, 1.2)),
        (
            _m(0.089842, -0.712656, -1.031628),
            _m(-0.089842, 0.712656, -1.031628),
            _m(1.703607, -0.796084, -0.215464, False),
            _m(-1.703607, 0.796084, -0.215464, False),
            _m(1.607105, 0.568651, 2.104250, False),
            _m(-1.607105, -0.568651, 2.104250, False),
        ),
        (-1.5, -1.0),
        0.01,
    ),
    AnalyticSurface(
        "styblinski-tang",
        "Styblinski-Tang",
        "Four basins of different depth; the deepest is at x = y ≈ −2.9.",
        _styblinski_tang,
        _styblinski_tang_fg,
        ((-5, 5), (-5, 5)),
        (
            _m(-2.903534, -2.903534, -78.332331),
            _m(2.746803, -2.903534, -64.195612, False),
            _m(-2.903534, 2.746803, -64.195612, False),
            _m(2.746803, 2.746803, -50.058893, False),
        ),
        (4.5, 4.5),
        0.01,
    ),
    AnalyticSurface(
        "goldstein-price",
        "Goldstein-Price",
        "Steep walls and several basins; the global minimum is 3 at (0, −1).",
        _goldstein_price,
        _goldstein_price_fg,
        ((-2, 2), (-2, 2)),
        (
            _m(0, -1, 3),
            _m(-0.6, -0.4, 30, False),
            _m(1.8, 0.2, 84, False),
            _m(1.2, 0.8, 840, False),
        ),
        (-1.5, 1.5),
        1e-5,
    ),
    AnalyticSurface(
        "levi13",
        "Lévi N.13",
        "Ripples in both directions over a valley whose bottom is (1, 1).",
        _levi13,
        _levi13_fg,
        ((-3, 5), (-3, 5)),
        (_m(1, 1, 0),),
        (-2.0, 4.0),
        0.002,
    ),
)
