"""Surfaces typed as formulas: exact gradients, found minima, and text that cannot run code."""

import re
import warnings

import numpy as np
import pytest

from gdstudio.core import ConfigError, RunStatus, Simulation
from gdstudio.core.optimizers import GD
from gdstudio.core.problems.formula import formula_surface


@pytest.mark.parametrize(
    "text", ["x^2 + 3*y^2", "sin(x) * cos(y)", "exp(-(x**2 + y**2)/4) * x", "log(1 + x^2) + abs(y - 1)^2", "x + 2*y"]
)
def test_gradient_is_exact(text):
    s = formula_surface(text)
    P = np.random.default_rng(1).uniform(-4, 4, (50, 2))
    h = 1e-6
    numeric = np.column_stack(
        [(s.loss(P + e) - s.loss(P - e)) / (2 * h) for e in (np.array([h, 0.0]), np.array([0.0, h]))]
    )
    np.testing.assert_allclose(s.grad(P), numeric, rtol=1e-6, atol=1e-6)
    one = s.loss_and_grad(P[:1])  # the one-run path gives arrays of the right shape
    assert one[0].shape == (1,) and one[1].shape == (1, 2)


def test_minima_are_found_and_descent_reaches_the_global_one():
    s = formula_surface("(x - 1)^2 + 2*(y + 2)^2")
    np.testing.assert_allclose([m.location for m in s.minima], [(1.0, -2.0)], atol=1e-6)
    assert s.minima[0].is_global and s.minima[0].value == pytest.approx(0.0, abs=1e-12)
    assert s.suggested_lr == pytest.approx(0.2)  # one over the steepest curvature, 4
    sim = Simulation(s, GD(lr=s.suggested_lr), [s.default_start])
    sim.advance(10_000)
    assert sim.status[0] == RunStatus.CONVERGED and sim.detail[0] == "global minimum"


def test_a_plane_has_no_minimum_and_descent_runs_off():
    s = formula_surface("x + y")
    assert s.minima == () and s.global_min_value == -np.inf
    sim = Simulation(s, GD(lr=1.0), [(0.0, 0.0)])
    sim.advance(1_000)
    assert sim.status[0] == RunStatus.DIVERGED


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("__import__('os').system('true')", "found '__import__'"),
        ("x.real", "may not contain '.'"),
        ("x + 'y'", "may not contain"),
        ("x + z", "found 'z'"),
        ("lambda: x", "found 'lambda'"),
        ("(x + y", "check its brackets"),
        ("x y", "cannot read the function"),
        ("7", "should depend on x or y"),
        ("x[0]", "may not contain '['"),
        ("x * 9^9^9^9", "beyond ±1000"),  # would take sympy for ever to work out
        ("x + " + "1 + " * 200 + "1", "keep it under 500"),
        ("x/0", "infinite or undefined everywhere"),  # sympy's complex infinity: NumPy has none
        ("x/(y - y)", "infinite or undefined everywhere"),
        ("x + 0/0", "infinite or undefined everywhere"),
    ],
)
def test_bad_formulas_are_refused_with_a_reason(text, fragment):
    with pytest.raises(ConfigError) as info:
        formula_surface(text)
    assert fragment in str(info.value)


def test_a_typed_surface_travels_as_its_text():
    """The engine pickles its landscape to the window, which must not need to compile it."""
    import pickle

    s = formula_surface("x^2 + 3*y^2")
    copy = pickle.loads(pickle.dumps(s))
    assert copy.f._fn is None and copy.fg._fn is None  # nothing compiled on arrival
    P = np.array([[1.0, 2.0], [-3.0, 0.5]])
    np.testing.assert_array_equal(copy.loss(P), s.loss(P))
    assert copy.minima == s.minima and copy.title == "f(x, y) = x^2 + 3*y^2"


def test_a_valley_of_minima_counts_as_the_global_minimum():
    """x^2 over x and y has a whole line of minima: reaching it is converging, not being stuck."""
    s = formula_surface("x^2")
    assert [(m.location, m.value, m.is_global) for m in s.minima] == [((0.0, 0.0), 0.0, True)]
    sim = Simulation(s, GD(lr=0.1), [(-3.0, 2.0)])
    sim.advance(1_000)
    assert sim.status[0] == RunStatus.CONVERGED and sim.detail[0] == "global minimum"
    assert formula_surface("x^3 + y^2").minima == ()  # a flat spot on a slope is no minimum


@pytest.mark.parametrize("text", ["abs(x) + abs(y)", "sqrt(x^2 + y^2)"])
def test_kinks_and_cone_tips_do_not_freeze_the_suggested_step(text):
    # Their curvature is endless only on the axes; a suggestion of 1e-4 would barely move in 1,000 steps.
    s = formula_surface(text)
    assert s.suggested_lr >= 0.05
    sim = Simulation(s, GD(lr=s.suggested_lr), [s.default_start])
    sim.advance(1_000)
    assert float(s.loss(sim.params)[0]) < 0.5  # from 7.5 or 5.3 at the start, down into the tip


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("10^1000 + x", "holds 10**1000, a number beyond ±1e+300"),
        ("x^(10^1000)", "holds 10**1000, a number beyond ±1e+300"),
        ("1000^1000*x", "holds 1000**1000, a number beyond"),
        ("(10^100)^(10)*x", "holds (10**100)**10, a number beyond"),
        ("1" + "0" * 400 + "*x", "a number beyond ±1e+300"),
        ("exp(exp(exp(exp(10))))*x", "holds exp(exp(10)), a number beyond"),  # stops at the first too big
        ("(1/2)^(10^300)*x", "a power beyond ±1000"),  # tiny, but sympy would work it out exactly
        ("1j*x", "may only hold real numbers (2, 0.5, 1e-3, 0x10), not '1j'"),
        ("2J*x + y^2", "not '2J'"),
        ("(-1)^0.5*x + y^2", "holds (-1)**0.5, which is a complex number"),
        ("sqrt(-1)*x + y^2", "holds sqrt(-1), which is a complex number"),
        ("log(-1)+x^2+y^2", "holds log(-1), which is a complex number"),
        ("asin(2) + x", "holds asin(2), which is a complex number"),
        ("log(0) + x", "infinite or undefined everywhere"),
    ],
)
def test_numbers_beyond_floats_and_complex_numbers_are_refused_in_one_line(text, fragment):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ComplexWarning, no overflow warning on the way
        with pytest.raises(ConfigError, match=re.escape(fragment)) as info:
            formula_surface(text)
    assert "\n" not in str(info.value) and len(str(info.value)) < 200


@pytest.mark.parametrize(
    ("text", "slope"),
    [("2^(1/2)*x + y^2", 2**0.5), ("2^(1+1)*x + y^2", 4.0), ("1_0*x", 10.0), ("0x10*x", 16.0)],  # as --lr 0x10
)
def test_powers_of_numbers_within_range_are_worked_out(text, slope):
    s = formula_surface(text)
    np.testing.assert_allclose(s.grad(np.array([[0.3, 0.0]]))[0, 0], slope)
