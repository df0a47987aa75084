"""Data for the dataset problems: read from a two-column CSV (each problem generates its own)."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..user_file import open_regular, size_text

MAX_SAMPLES = 10_000_000
#: Largest noise a generator takes: the data themselves lie within a few units of zero.
MAX_NOISE = 1_000.0
#: Largest size of a value read from a file: squares and products of larger ones overflow.
MAX_VALUE = 1e100
#: Largest data file read: MAX_SAMPLES lines of two numbers written with 17 digits,
#: and some room for spaces (a line like ``-1.2345678901234567e-05, 2.3456789012345678`` is 45 bytes).
MAX_FILE_BYTES = 640_000_000
#: Bytes of lines parsed at once: as fast as bigger blocks (NumPy's per-call cost is small
#: beside a megabyte's), little memory, and a chance to report and be given up every 50 ms or so.
_BLOCK_BYTES = 1_000_000


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


def load_csv(path: str | Path, progress: Callable[[float], None] | None = None) -> Dataset:
    """Read ``x, y`` pairs from a CSV file; the first line may be a header.

    Lines starting with ``#`` at the top are comments (the shipped datasets name their
    source and licence so), and the header may follow them.

    Only a regular file of at most :data:`MAX_FILE_BYTES` is read, in blocks of
    lines that NumPy parses (a line-by-line reader takes 17 bytes of memory per
    byte of file), and reading stops as soon as the rows pass :data:`MAX_SAMPLES`.
    ``progress``, if given, is called with the fraction of the file read after each
    block; it may raise to abandon the reading.

    Raises
    ------
    ConfigError
        If the file cannot be read, is not a regular file, is too big or has too
        many rows, or a line does not hold exactly two finite numbers (the message
        names the file and the line).
    """
    path = Path(path)
    blocks: list[np.ndarray] = []
    rows = 0
    with open_regular(path, MAX_FILE_BYTES, "data file") as raw:
        size = max(1, os.fstat(raw.fileno()).st_size)
        first_line = 1
        try:
            for lines in _line_blocks(path, raw):
                if first_line == 1:  # comments, then perhaps a header: read apart, so the rest are numbers only
                    skip = next((i for i, line in enumerate(lines) if not line.lstrip().startswith("#")), len(lines))
                    blocks.append(_parse_lines(path, lines[skip : skip + 1], skip + 1, header=True))
                    rows, first_line, lines = len(blocks[0]), skip + 2, lines[skip + 1 :]
                block = _parse_block(path, lines, first_line)
                first_line += len(lines)
                rows += len(block)
                if rows > MAX_SAMPLES:
                    raise ConfigError(
                        f"{path}: holds more than {MAX_SAMPLES:,} samples, the most GD Studio fits "
                        f"(it would need over {size_text(2 * 8 * MAX_SAMPLES)} of memory); use a sample of it"
                    )
                blocks.append(block)
                if progress:
                    progress(min(1.0, raw.tell() / size))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            reason = getattr(exc, "strerror", None) or str(exc)
            raise ConfigError(f"cannot read data file {path}: {reason}") from None
    if rows < 2:
        raise ConfigError(f"{path}: needs at least two data rows, found {rows}")
    x, y = np.empty(rows), np.empty(rows)
    at = 0
    while blocks:  # fill the columns block by block, freeing each as it goes
        block = blocks.pop(0)
        x[at : at + len(block)], y[at : at + len(block)] = block[:, 0], block[:, 1]
        at += len(block)
    return Dataset(x, y, f"{rows} samples from {path.name}")


def _line_blocks(path: Path, raw) -> Iterator[list[str]]:
    """The file's lines (without their ends), in blocks of about :data:`_BLOCK_BYTES`.

    A line longer than a block is refused: a file of one 600 MB line would otherwise
    be held whole in memory, twice, before a number was read.
    """
    pending, start, lineno = b"", True, 1
    while True:
        chunk = raw.read(_BLOCK_BYTES)
        data = pending + chunk
        if not data:
            return
        cut = len(data) if not chunk else data.rfind(b"\n") + 1
        if cut == 0:
            if len(data) > _BLOCK_BYTES:
                raise ConfigError(f"{path}, line {lineno}: longer than {size_text(_BLOCK_BYTES)}; not two numbers")
            pending = data
            continue
        if start and data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise ConfigError(f"{path}: is UTF-16 text (as Excel's Unicode text); save it as CSV (UTF-8) instead")
        # Numbers are ASCII: a header or comment in another encoding (café in Latin-1) is no reason
        # to refuse the file, and a stray byte among the numbers is named by its line.
        lines = data[:cut].decode("utf-8-sig" if start else "utf-8", errors="replace").splitlines()
        pending, start, lineno = data[cut:], False, lineno + len(lines)
        if lines:
            yield lines
        if not chunk:
            return


def _parse_block(path: Path, lines: list[str], first_line: int) -> np.ndarray:
    """The ``(n, 2)`` values of a block of lines (after the first); ``first_line`` is the first one's number.

    NumPy parses a well-formed block at C speed; anything else (a header, blank cells,
    a bad value) is read again line by line, for the exact line and reason.
    """
    if not lines:
        return np.empty((0, 2))
    try:
        values = np.loadtxt(lines, delimiter=",", comments=None, quotechar='"', ndmin=2, dtype=float)
    except ValueError:
        pass
    else:
        if values.shape[1:] == (2,) and (np.abs(values) <= MAX_VALUE).all():
            return values
    return _parse_lines(path, lines, first_line)


def _parse_lines(path: Path, lines: list[str], first_line: int, header: bool = False) -> np.ndarray:
    """:func:`_parse_block`, one line at a time, naming the first bad line (``header``: the
    lines are the file's first after its comments, which may be a header)."""
    pairs: list[tuple[float, float]] = []
    for lineno, row in enumerate(csv.reader(lines), start=first_line):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        if len(cells) != 2:
            raise ConfigError(f"{path}, line {lineno}: expected two columns (x, y), got {len(cells)}")
        try:
            x, y = float(cells[0]), float(cells[1])
        except ValueError:
            if header:
                continue  # a header line
            raise ConfigError(f"{path}, line {lineno}: expected two numbers, got {_cut(','.join(row))!r}") from None
        if not (abs(x) <= MAX_VALUE and abs(y) <= MAX_VALUE):  # NaN fails too
            raise ConfigError(
                f"{path}, line {lineno}: values must be finite and within ±{MAX_VALUE:g}, got {_cut(','.join(row))!r}"
            )
        pairs.append((x, y))
    return np.array(pairs, dtype=float).reshape(-1, 2)


def _cut(text: str, longest: int = 60) -> str:
    return text if len(text) <= longest else text[: longest - 1] + "…"
