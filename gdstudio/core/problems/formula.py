"""A surface typed as a formula in x and y, with its exact gradient worked out by sympy."""

from __future__ import annotations

import io
import tokenize
from dataclasses import replace

import numpy as np

from ..errors import ConfigError
from .analytic import AnalyticSurface
from .stationary import find_minima, hessian

#: Names a formula may use, as sympy knows them.
FUNCTIONS = ("sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh", "exp", "log", "sqrt", "Abs")
CONSTANTS = ("pi", "E")
#: Operators and brackets a formula may use (``^`` means a power, as on paper).
OPERATORS = {"+", "-", "*", "/", "**", "^", "(", ")", ","}
#: Kinds of token a formula is made of (no strings, no comments).
_TOKEN_TYPES = {tokenize.NAME, tokenize.NUMBER, tokenize.OP, tokenize.NEWLINE, tokenize.NL, tokenize.ENDMARKER}
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
    x, y, expr = _parse(text)
    import sympy

    f = sympy.lambdify((x, y), expr, modules="numpy")
    fg = sympy.lambdify((x, y), [expr, sympy.diff(expr, x), sympy.diff(expr, y)], modules="numpy", cse=True)
    shown = text.strip().replace("**", "^")

    def loss(a, b):
        return np.broadcast_to(np.asarray(f(a, b), dtype=float), np.shape(a))

    def loss_and_grad(a, b):
        shape = np.shape(a)
        return tuple(np.broadcast_to(np.asarray(v, dtype=float), shape) for v in fg(a, b))

    surface = AnalyticSurface(
        "function", f"f(x, y) = {shown}", f"Your own surface f(x, y) = {shown}.",
        loss, loss_and_grad, DOMAIN, (), START, 0.01,
    )  # fmt: skip
    with np.errstate(all="ignore"):
        minima = find_minima(surface)
        grid = np.stack(np.meshgrid(*surface.grid(21)), axis=-1).reshape(-1, 2)
        eig = np.abs(np.linalg.eigvalsh(hessian(surface, grid)))
    steepest = float(np.nanmax(eig)) if np.isfinite(eig).any() else 0.0
    lr = 0.1 if steepest <= 1.0 else 1.0 / steepest
    return replace(surface, known_minima=minima, suggested_lr=float(f"{lr:.1g}"))


def _parse(text: str):
    """Check the formula's tokens, then let sympy read it: ``(x, y, expression)``."""
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
    if not any(tok.type == tokenize.NAME and tok.string in ("x", "y") for tok in tokens):
        raise ConfigError(f"the function {text!r} should depend on x or y")
    import sympy

    x, y = sympy.symbols("x y", real=True)
    names = {"x": x, "y": y, "abs": sympy.Abs, **{n: getattr(sympy, n) for n in (*FUNCTIONS, *CONSTANTS)}}
    try:
        expr = sympy.sympify(text.replace("^", "**"), locals=names, rational=False)
    except (sympy.SympifyError, SyntaxError, TypeError, ValueError) as exc:
        raise ConfigError(f"cannot read the function {text!r}: {exc.__class__.__name__}") from None
    if not isinstance(expr, sympy.Expr) or expr.free_symbols - {x, y}:
        raise ConfigError(f"the function {text!r} is not a formula in x and y")
    return x, y, expr
