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
def atomic_write(path: str | Path) -> Iterator[TextIO]:
    """Open a temporary file beside ``path``; on success it replaces ``path``.

    If the body raises, the temporary file is removed and ``path`` is left as
    it was, so no half-written file is ever seen. A symbolic link keeps
    pointing where it did: the file it points to is the one replaced. A
    device or pipe (``/dev/stdout``, ``/dev/null``) cannot be replaced whole,
    so it is written to directly.

    Raises
    ------
    ConfigError
        If the folder, or the device, cannot be written to.
    """
    path = Path(path)
    if path.exists() and not (path.is_file() or path.is_dir()):
        with _write_error(path), path.open("w", newline="", encoding="utf-8") as fh:
            yield fh
        return
    if path.is_symlink():
        path = path.resolve()
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent or ".")
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        # mkstemp makes the file private (0600); give it the permissions a plain open() would.
        os.chmod(tmp, 0o666 & ~current_umask())
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if path.is_dir():
            raise ConfigError(f"cannot write {path}: it is a folder")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def _write_error(path: Path) -> Iterator[None]:
    """Turn a failed write (a full disk, a closed pipe) into one clear message."""
    try:
        yield
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {exc.strerror or exc}") from None


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
