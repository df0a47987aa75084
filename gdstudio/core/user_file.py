"""Opening a file a user named: only a regular file, and only up to a size limit.

A scene or data file may be anything a path can name: a FIFO (reading it waits
for a writer for ever), ``/dev/zero`` (endless), a folder, or simply far too
big. Each is refused at once with one line saying why, before a byte is read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from .errors import ConfigError

#: What to call a file that is not a regular one, by its stat type.
_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a pipe (FIFO)"),
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISSOCK, "a socket"),
)


def size_text(n: int) -> str:
    """``n`` bytes in words (``"1.5 MB"``)."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= scale:
            return f"{n / scale:.3g} {unit}"
    return f"{n} bytes"


def open_regular(path: str | Path, limit: int, what: str = "file") -> BinaryIO:
    """Open ``path`` for reading in binary, if it is a regular file of at most ``limit`` bytes.

    A symbolic link is followed to what it names, which must be a regular file too.
    The file is opened without waiting (a FIFO would block ``open`` itself until a
    writer came), and checked on the open descriptor, so nothing can swap it in between.

    Raises
    ------
    ConfigError
        Naming ``what`` and ``path``: it cannot be opened, is not a regular file, or is too big.
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except (OSError, ValueError) as exc:  # ValueError: a NUL byte in the name
        raise ConfigError(f"cannot read {what} {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        mode = os.fstat(fd)
        if not stat.S_ISREG(mode.st_mode):
            kind = next((name for test, name in _KINDS if test(mode.st_mode)), "not a plain file")
            raise ConfigError(f"cannot read {what} {path}: it is {kind}, not a regular file")
        if mode.st_size > limit:
            raise ConfigError(
                f"cannot read {what} {path}: it is {size_text(mode.st_size)}, more than the {size_text(limit)} allowed"
            )
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


def read_regular(path: str | Path, limit: int, what: str = "file") -> bytes:
    """The whole of a regular file of at most ``limit`` bytes (see :func:`open_regular`).

    The size is checked again as it is read: a file that grows past the limit is refused too.
    """
    with open_regular(path, limit, what) as fh:
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise ConfigError(f"cannot read {what} {path}: {exc.strerror or exc}") from None
    if len(data) > limit:
        raise ConfigError(f"cannot read {what} {path}: it is more than the {size_text(limit)} allowed")
    return data


def same_file(a: str | Path, b: str | Path) -> bool:
    """True if ``a`` and ``b`` name one file (through links too): an output that is an input
    would replace it. False if either does not exist (yet)."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False
