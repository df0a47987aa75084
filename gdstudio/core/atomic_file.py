"""Write a file so that it is either whole or not there at all."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import ConfigError


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it replaces ``path``.

    If the body raises, the temporary file is removed and ``path`` is left as
    it was, so no half-written file is ever seen. A symbolic link keeps
    pointing where it did: the file it points to is the one replaced. A
    device or pipe (``/dev/stdout``, ``/dev/null``) cannot be replaced whole,
    so the path given is ``path`` itself, to write to directly.

    Raises
    ------
    ConfigError
        If the folder cannot be written to, or ``path`` is a folder.
    """
    path = Path(path)
    if path.exists() and not (path.is_file() or path.is_dir()):
        yield path
        return
    if path.is_symlink():
        path = path.resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    os.close(fd)
    try:
        # mkstemp makes the file private (0600); give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~current_umask())
        yield Path(tmp)
        if path.is_dir():
            raise ConfigError(f"cannot write {path}: it is a folder")
        try:
            os.replace(tmp, path)
        except OSError as exc:  # e.g. on Windows, a file open in another program
            raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_write(path: str | Path) -> Iterator[TextIO]:
    """A text file to write that replaces ``path`` whole on success (see :func:`atomic_path`).

    Raises
    ------
    ConfigError
        If the folder, or the device, cannot be written to.
    """
    with atomic_path(path) as target:
        try:
            with open(target, "w", newline="", encoding="utf-8") as fh:
                yield fh
                fh.flush()
                if target.is_file():
                    os.fsync(fh.fileno())
        except BrokenPipeError:  # the reader has gone (`run --out /dev/stdout | head`): the caller decides
            raise
        except OSError as exc:  # a full disk
            raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
