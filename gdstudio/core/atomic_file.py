"""Write a file so that it is either whole or not there at all."""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from .errors import ConfigError

#: Signals that end a process by default; while a temporary file exists they unwind
#: instead, so the file is removed (SIGINT already does, as KeyboardInterrupt).
_ENDING_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


class Terminated(SystemExit):
    """SIGTERM or SIGHUP arrived while a file was being written; exits with 128 + the signal."""

    def __init__(self, signum: int) -> None:
        super().__init__(128 + signum)


@contextmanager
def atomic_path(path: str | Path) -> Iterator[Path]:
    """A temporary path beside ``path`` to write to; on success it replaces ``path``.

    If the body raises, or SIGTERM or SIGHUP arrives, the temporary file is
    removed and ``path`` is left as it was, so no half-written or hidden file is
    ever left. What ``path`` was is kept:

    * a symbolic link keeps pointing where it did: the file it points to is replaced;
    * a replaced file keeps its permissions (a private 0600 file stays private)
      and, where allowed, its owner;
    * a file with several hard links is written through, so every link sees the new
      content: the new content is complete in the temporary file first, and the
      space it needs is reserved before the old content is overwritten;
    * a device or pipe (``/dev/stdout``, ``/dev/null``) cannot be replaced whole,
      so the path given is ``path`` itself, to write to directly.

    Raises
    ------
    ConfigError
        In one line: the folder cannot be written to, ``path`` is a folder, a link
        loop, a name too long, or the file cannot be replaced.
    """
    path = Path(path)
    existing = _existing(path)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        yield path
        return
    target = _link_target(path)
    tmp = _temporary_beside(path, target)
    with _ending_signals_unwind():
        try:
            _copy_permissions(tmp, existing)
            yield Path(tmp)
            if os.path.isdir(target):
                raise ConfigError(f"cannot write {path}: it is a folder")
            try:
                if existing is not None and existing.st_nlink > 1:
                    _write_through(tmp, target)
                    os.unlink(tmp)
                else:
                    os.replace(tmp, target)
            except OSError as exc:
                raise ConfigError(f"cannot write {path}: {_reason(exc)}") from None
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise


def check_writable(path: str | Path) -> None:
    """Raise the one-line :class:`ConfigError` that :func:`atomic_path` would, without writing.

    For work that ends in a file (a screenshot after a window has opened and run): a
    name that can never be written is refused before the work starts, not after.
    """
    path = Path(path)
    existing = _existing(path)
    if existing is None or stat.S_ISREG(existing.st_mode):
        os.unlink(_temporary_beside(path, _link_target(path)))


def _existing(path: Path) -> os.stat_result | None:
    """What ``path`` names now (following links), ``None`` if nothing; a folder is refused."""
    try:
        existing = os.stat(path)
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # a link loop, a name too long, a NUL byte, no permission
        raise ConfigError(f"cannot write {path}: {_reason(exc)}") from None
    if stat.S_ISDIR(existing.st_mode):
        raise ConfigError(f"cannot write {path}: it is a folder")
    return existing


def _link_target(path: Path) -> Path:
    """The file a link points to (replaced in its place, so the link keeps working), else ``path``."""
    return Path(os.path.realpath(path)) if path.is_symlink() else path


def _temporary_beside(path: Path, target: Path) -> str:
    """A new empty temporary file in ``target``'s folder, which proves the folder can be written."""
    try:
        # The temporary name is kept short: a target name near the 255-byte limit must still work.
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name[:64]}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise ConfigError(f"cannot write {path}: {_reason(exc)}") from None
    os.close(fd)
    return tmp


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
            raise ConfigError(f"cannot write {path}: {_reason(exc)}") from None


def atomic_write_bytes(path: str | Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (see :func:`atomic_path`).

    For pictures and documents Qt encodes in memory: written here, a full disk or a
    failing device is one :class:`ConfigError`, where Qt's own writers report nothing
    (an SVG or PDF on a full disk was told as saved, cut short).
    """
    with atomic_path(path) as target:
        try:
            with open(target, "wb") as fh:
                fh.write(data)
                fh.flush()
                if target.is_file():
                    os.fsync(fh.fileno())
        except OSError as exc:
            raise ConfigError(f"cannot write {path}: {_reason(exc)}") from None


def current_umask() -> int:
    """The process's umask (reading it means setting it, so it is put straight back)."""
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc)


def _copy_permissions(tmp: str, existing: os.stat_result | None) -> None:
    """Give the temporary file the mode (and owner) of the file it will replace; for a new
    file, the mode a plain ``open()`` would give (mkstemp makes every file 0600)."""
    if existing is None:
        os.chmod(tmp, 0o666 & ~current_umask())
        return
    if (existing.st_uid, existing.st_gid) != (os.getuid(), os.getgid()):
        with contextlib.suppress(OSError):  # only root may give a file away; the mode is kept anyway
            os.chown(tmp, existing.st_uid, existing.st_gid)
    os.chmod(tmp, stat.S_IMODE(existing.st_mode))


def _write_through(tmp: str, target: Path) -> None:
    """Copy the finished ``tmp`` into ``target`` in place, keeping its inode and so its hard links.

    The space the new content needs is reserved first: a full disk is found before a byte
    of the old content is overwritten.
    """
    size = os.path.getsize(tmp)
    with open(tmp, "rb") as src, open(target, "r+b") as dst:
        if size:
            try:
                os.posix_fallocate(dst.fileno(), 0, size)
            except OSError as exc:
                if exc.errno not in (errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS):
                    raise
        shutil.copyfileobj(src, dst)
        dst.truncate()
        dst.flush()
        os.fsync(dst.fileno())


def _raise_terminated(signum: int, _frame) -> None:
    raise Terminated(signum)


@contextmanager
def _ending_signals_unwind() -> Iterator[None]:
    """While the body runs, SIGTERM and SIGHUP raise :class:`Terminated` instead of ending
    the process on the spot, so ``finally`` blocks remove temporary files.

    Only signals left at their default are taken (one ignored under ``nohup`` stays
    ignored), and only in the main thread, the one Python delivers signals to.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {}
    for signum in _ENDING_SIGNALS:
        if signal.getsignal(signum) == signal.SIG_DFL:
            previous[signum] = signal.signal(signum, _raise_terminated)
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
