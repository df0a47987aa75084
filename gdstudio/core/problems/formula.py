"""A surface typed as a formula in x and y, with its exact gradient worked out by sympy."""

from __future__ import annotations

import io
import tokenize
from dataclasses import replace

import numpy as np

from ..errors import ConfigError
from .analytic import AnalyticSurface
from .base import Minimum
from .stationary import find_minima, hessian

#: The landscape name of a typed surface.
NAME = "function"
#: Names a formula may use, as sympy knows them.
FUNCTIONS = ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log", "sqrt", "Abs")
CONSTANTS = ("pi", "E")
#: Operators and brackets a formula may use (``^`` means a power, as on paper).
OPERATORS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}
#: Kinds of token a formula is made of (no strings, no comments).
_TOKEN_TYPES = {tokenize.NAME, tokenize.NUMBER, tokenize.OP, tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER}
#: Longest formula accepted, and the largest power of a number (e.g. 10^1000) it may hold.
MAX_LENGTH = 500
MAX_EXPONENT = 1000
#: Largest number a formula may hold: NumPy's floats end near 1.8e308.
MAX_NUMBER = 1e300
#: What the window offers first for "your own function".
EXAMPLE = "sin(x)*cos(y) + 0.05*(x^2 + y^2)"
#: Where a typed surface is drawn and starts, unless it is moved.
DOMAIN = ((-5.0, 5.0), (-5.0, 5.0))
START = (-4.0, 3.5)


def formula_surface(text: str) -> AnalyticSurface:
    """The surface ``f(x, y) = text``, e.g. ``"x^2 + 3*y^2"`` or ``"sin(x) * cos(y)"``.

    Only x, y, numbers, ``+ - * / ^ **``, brackets and the functions in
    :data:`FUNCTIONS` (``abs`` too) are accepted: the text is checked token by
    token before sympy reads it, so it cannot run code. The gradient is
    differentiated symbolically, the minima inside the map are found
    numerically, and the suggested learning rate is one over the steepest
    curvature on the map.
    """
    parsed = _parse(text)  # refuses bad text now, with its reason
    shown = text.strip().replace("**", "^")
    surface = AnalyticSurface(
        NAME, f"f(x, y) = {shown}", f"Your own surface f(x, y) = {shown}.",
        _Compiled(text, False, parsed), _Compiled(text, True, parsed), DOMAIN, (), START, 0.01,
    )  # fmt: skip
    with np.errstate(all="ignore"):
        minima = find_minima(surface)
        floor = _flat_floor(surface)
        if floor is not None and all(m.value > floor.value + 1e-12 * max(1.0, abs(m.value)) for m in minima):
            minima = (floor, *(replace(m, is_global=False) for m in minima))
        # An even grid has no point on the axes, where kinks and cone tips (abs(x), sqrt(x^2 + y^2))
        # would count as endlessly curved and suggest a step too small to see.
        grid = np.stack(np.meshgrid(*surface.grid(20)), axis=-1).reshape(-1, 2)
        eig = np.abs(np.linalg.eigvalsh(hessian(surface, grid)))
    finite = eig[np.isfinite(eig)]
    steepest = float(finite.max()) if len(finite) else 0.0
    lr = 0.1 if steepest <= 1.0 else 1.0 / steepest
    return replace(surface, known_minima=minima, suggested_lr=float(f"{lr:.1g}"))


def _flat_floor(surface: AnalyticSurface) -> Minimum | None:
    """The lowest point of the map when it is a flat-bottomed minimum (``x^2`` over x and y:
    a whole line of minima, which the search for isolated minima does not report)."""
    xs, ys, z = surface.surface(41)
    finite = np.isfinite(z)
    if not finite.any():
        return None
    low = z[finite].min()
    i, j = np.nonzero(finite & (z <= low + 1e-12 * max(1.0, abs(low))))
    (x0, x1), (y0, y1) = surface.domain
    k = np.argmin(np.hypot(xs[i] - (x0 + x1) / 2, ys[j] - (y0 + y1) / 2))  # the one nearest the centre
    P = np.array([[xs[i[k]], ys[j[k]]]])
    if not np.linalg.norm(surface.grad(P)) < 1e-6:
        return None  # the map's lowest point is on a slope (its edge, say): no minimum there
    return Minimum((float(P[0, 0]), float(P[0, 1])), float(surface.loss(P)[0]), True)


class _Compiled:
    """``f(x, y)``, or ``(f, ∂f/∂x, ∂f/∂y)``, of a formula, as NumPy code.

    Compiled on first call (from ``parsed``, the formula already read, when
    given) and pickled as the formula's text: the engine sends its landscape
    to the window, which never evaluates it, so the window never has to load sympy.
    """

    def __init__(self, text: str, gradient: bool, parsed=None) -> None:
        self.text, self.gradient, self._parsed = text, gradient, parsed
        self._fn = None

    def __getstate__(self):
        return (self.text, self.gradient)

    def __setstate__(self, state) -> None:
        self.__init__(*state)

    def __call__(self, a, b):
        if self._fn is None:
            import sympy

            x, y, expr = self._parsed or _parse(self.text)
            self._parsed = None
            parts = [expr, sympy.diff(expr, x), sympy.diff(expr, y)] if self.gradient else expr
            self._fn = sympy.lambdify((x, y), parts, modules="numpy", cse=self.gradient)
        values = self._fn(a, b)
        shape = np.shape(a)  # a constant part comes back as a plain number: give it the points' shape
        if self.gradient:
            return tuple(np.broadcast_to(_real(v), shape) for v in values)
        return np.broadcast_to(_real(values), shape)


def _real(values) -> np.ndarray:
    """``values`` as floats, NaN where they are complex: ``(-2)^x`` is real at x = -4 but
    not at x = -3.9, where the surface does not exist (NumPy would drop the imaginary part
    with a ComplexWarning and draw a surface that is not there)."""
    values = np.asarray(values)
    if np.iscomplexobj(values):
        return np.where(values.imag == 0, values.real, np.nan)
    return values.astype(float, copy=False)


def check_formula(text: str) -> None:
    """Refuse text that is not made of x, y, numbers, operators and the allowed functions.

    Cheap (no sympy): panels and lesson files check with it as soon as text is typed or read.
    """
    if len(text) > MAX_LENGTH:
        raise ConfigError(f"the function is {len(text)} characters long; keep it under {MAX_LENGTH}")
    allowed = {"x", "y", "abs", *FUNCTIONS, *CONSTANTS}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        raise ConfigError(f"cannot read the function {text!r}: check its brackets") from None
    for tok in tokens:
        if tok.type not in _TOKEN_TYPES:
            raise ConfigError(f"the function may not contain {tok.string!r}")
        if tok.type == tokenize.NAME and tok.string not in allowed:
            raise ConfigError(
                f"the function may only use x, y and {', '.join(sorted(allowed - {'x', 'y'}))}; found {tok.string!r}"
            )
        if tok.type == tokenize.OP and tok.string not in OPERATORS:
            raise ConfigError(f"the function may not contain {tok.string!r}")
        if tok.type == tokenize.NUMBER and not _is_real_number(tok.string):
            raise ConfigError(f"the function may only hold real numbers (2, 0.5, 1e-3, 0x10), not {tok.string!r}")
    if not any(tok.type == tokenize.NAME and tok.string in ("x", "y") for tok in tokens):
        raise ConfigError(f"the function {text!r} should depend on x or y")


def _is_real_number(number: str) -> bool:
    """Whether a number token is one the command line's options take too (``float()``, or
    a whole number in any base: ``2.5``, ``1e-3``, ``1_000``, ``0x10``); not ``1j``."""
    try:
        float(number)
    except ValueError:
        try:
            int(number, 0)
        except ValueError:
            return False
    return True


def _parse(text: str):
    """Check the formula's tokens, then let sympy read it: ``(x, y, expression)``."""
    check_formula(text)
    import sympy

    x, y = sympy.symbols("x y", real=True)
    names = {"x": x, "y": y, "abs": sympy.Abs, **{n: getattr(sympy, n) for n in (*FUNCTIONS, *CONSTANTS)}}
    source = text.replace("^", "**")
    try:
        # Read unevaluated first: sympy would work 9^9^9^9 out, digit by digit, for ever.
        raw = sympy.sympify(source, locals=names, rational=False, evaluate=False)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError):
        raise ConfigError(f"cannot read the function {text!r}: is a * or a bracket missing?") from None
    _check_numbers(text, raw)
    expr = sympy.sympify(source, locals=names, rational=False)
    if not isinstance(expr, sympy.Expr) or expr.free_symbols - {x, y}:
        raise ConfigError(f"the function {text!r} is not a formula in x and y")
    if expr.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):  # e.g. x/0: NumPy has no such number
        raise ConfigError(f"the function {text!r} is infinite or undefined everywhere (a division by zero?)")
    _check_numbers(text, expr)  # what evaluating made of it: 2^(1+1) is now 4
    return x, y, expr


def _check_numbers(text: str, expr) -> None:
    """Refuse a formula with a number NumPy's floats cannot hold, or a complex one.

    Every part made of numbers alone (``10^1000``, ``sqrt(-1)``, ``2^(1/2)``) is worked
    out, innermost first, as a float: a part is only worked out once each of its own
    parts is a finite real number, so no step can take long (``9^9^9^9`` stops at
    ``9^(9^9)``, whose power is beyond ±MAX_EXPONENT). Such parts would otherwise be
    Python integers that overflow NumPy (an OverflowError), or complex numbers whose
    imaginary part NumPy would drop with a warning.
    """
    import sympy

    text = text if len(text) <= 60 else text[:59] + "…"
    for node in sympy.postorder_traversal(expr):
        if not getattr(node, "is_number", False):
            continue
        if isinstance(node, sympy.Pow):
            power = complex(node.exp.evalf(17))
            if abs(power) > MAX_EXPONENT:
                raise ConfigError(f"the function {text!r} has a number raised to a power beyond ±{MAX_EXPONENT}")
        try:
            value = node.evalf(17)
        except ArithmeticError:  # mpmath divides by zero for 0.0^-1, where sympy's own 0^-1 is zoo
            value = sympy.nan
        shown = str(node) if len(str(node)) <= 40 else str(node)[:39] + "…"
        if value.has(sympy.zoo, sympy.oo, -sympy.oo, sympy.nan):
            raise ConfigError(f"the function {text!r} is infinite or undefined everywhere (a division by zero?)")
        try:
            number = complex(value)
        except (TypeError, ValueError):  # pragma: no cover - a number sympy cannot give a value
            raise ConfigError(f"the function {text!r} holds {shown}, which has no numeric value") from None
        if not abs(number) <= MAX_NUMBER:
            raise ConfigError(f"the function {text!r} holds {shown}, a number beyond ±{MAX_NUMBER:g}")
        if abs(number.imag) > 1e-12 * max(1.0, abs(number.real)):
            raise ConfigError(
                f"the function {text!r} holds {shown}, which is a complex number: only real values can be drawn"
            )
