"""A number typed by a person, read the same way on the command line and in the window's fields."""

from __future__ import annotations

from .errors import ConfigError


def shortened(text: str, longest: int = 40) -> str:
    """``text`` cut short for a message if it is long (a message stays one short line)."""
    return text if len(text) <= longest else text[: longest - 3] + "..."


def quoted(text: str, longest: int = 40) -> str:
    """``text`` quoted for a message, cut short if it is long."""
    return repr(shortened(text, longest))


def read_number(text: str) -> float:
    """A number as Python writes one: ``2.5``, ``1e-3``, ``-inf``, and ``0x10`` or ``1_000`` too,
    as typed formulas take them. Refuses anything else with a :class:`ConfigError` that quotes
    the text cut short (a 100,000-digit paste stays a one-line message)."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        return float(int(text.strip(), 0))
    except ValueError:
        raise ConfigError(f"expected a number, got {quoted(text)}") from None
    except OverflowError:
        raise ConfigError(f"{quoted(text)} is too large a number") from None
