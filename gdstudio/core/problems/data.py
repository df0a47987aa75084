"""Data for the dataset problems: read from a two-column CSV (each problem generates its own)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError

MAX_SAMPLES = 10_000_000
#: Largest noise a generator takes: the data themselves lie within a few units of zero.
MAX_NOISE = 1_000.0
#: Largest size of a value read from a file: squares and products of larger ones overflow.
MAX_VALUE = 1e100


@dataclass(frozen=True, eq=False)
class Dataset:
    """Inputs ``x`` and targets ``y`` (1-D float arrays of equal length)."""

    x: np.ndarray
    y: np.ndarray
    #: Where the data came from, for titles and messages.
    source: str

    def __len__(self) -> int:
        return len(self.x)


def check_generation(samples: int, noise: float) -> None:
    """Reject a sample count or noise level that cannot generate data."""
    if not 2 <= samples <= MAX_SAMPLES:
        raise ConfigError(f"samples must be between 2 and {MAX_SAMPLES:,}, got {samples}")
    if not 0 <= noise <= MAX_NOISE:  # NaN fails too
        raise ConfigError(f"noise must be between 0 and {MAX_NOISE:,g}, got {noise}")


def load_csv(path: str | Path) -> Dataset:
    """Read ``x, y`` pairs from a CSV file; the first line may be a header.

    Raises
    ------
    ConfigError
        If the file cannot be read, or a line does not hold exactly two finite
        numbers (the message names the file and the line).
    """
    path = Path(path)
    try:
        with path.open(newline="", encoding="utf-8-sig") as fh:
            rows = list(csv.reader(fh))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        reason = getattr(exc, "strerror", None) or str(exc)
        raise ConfigError(f"cannot read data file {path}: {reason}") from None
    xs: list[float] = []
    ys: list[float] = []
    for lineno, row in enumerate(rows, start=1):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) != 2:
            raise ConfigError(f"{path}, line {lineno}: expected two columns (x, y), got {len(cells)}")
        try:
            x, y = float(cells[0]), float(cells[1])
        except ValueError:
            if lineno == 1 and not xs:
                continue  # a header line
            raise ConfigError(f"{path}, line {lineno}: expected two numbers, got {','.join(row)!r}") from None
        if not (abs(x) <= MAX_VALUE and abs(y) <= MAX_VALUE):  # NaN fails too
            raise ConfigError(
                f"{path}, line {lineno}: values must be finite and within ±{MAX_VALUE:g}, got {','.join(row)!r}"
            )
        xs.append(x)
        ys.append(y)
    if len(xs) < 2:
        raise ConfigError(f"{path}: needs at least two data rows, found {len(xs)}")
    return Dataset(np.array(xs), np.array(ys), f"{len(xs)} samples from {path.name}")
