"""``gdstudio --install-desktop``: GD Studio in the user's applications menu (freedesktop).

Copies the desktop entry, the icon and the ``*.gdstudio.json`` MIME type into the
user's XDG data folder (``$XDG_DATA_HOME``, else ``~/.local/share``), with the
entry's ``Exec`` pointing at this very installation, then lets the desktop's
caches know when their tools are there. Nothing outside the user's own folder is touched.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from .core.atomic_file import atomic_write, atomic_write_bytes
from .core.errors import ConfigError
from .core.resources import APP_ID, resource


def data_home() -> Path:
    """The user's XDG data folder."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")


def launch_command() -> str:
    """How the menu should start this installation: its ``gdstudio`` script, else ``python -m``."""
    script = Path(sys.argv[0]).resolve() if sys.argv and Path(sys.argv[0]).name == "gdstudio" else None
    found = str(script) if script and script.is_file() else shutil.which("gdstudio")
    parts = [found] if found else [sys.executable, "-m", "gdstudio"]
    return " ".join(shlex.quote(p) for p in parts)


def install_desktop(home: Path | None = None) -> Path:
    """Install the launcher, icon and MIME type under ``home`` (the XDG data folder); return it."""
    if not sys.platform.startswith("linux"):
        raise ConfigError("--install-desktop is for Linux desktops (freedesktop menus)")
    home = home or data_home()
    entry = resource("desktop", f"{APP_ID}.desktop").read_text(encoding="utf-8")
    entry = entry.replace("Exec=gdstudio %f", f"Exec={launch_command()} %f")
    _write(home / "applications" / f"{APP_ID}.desktop", entry)
    _write(home / "mime" / "packages" / f"{APP_ID}.xml", resource("desktop", f"{APP_ID}.mime.xml").read_text("utf-8"))
    icons = resource("icons")
    _copy(icons / f"{APP_ID}.svg", home / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg")
    for png in sorted(icons.glob(f"*/{APP_ID}.png")):
        _copy(png, home / "icons" / "hicolor" / png.parent.name / "apps" / png.name)
    _refresh(["update-mime-database", str(home / "mime")])
    _refresh(["update-desktop-database", str(home / "applications")])
    _refresh(["gtk-update-icon-cache", "-q", "-t", str(home / "icons" / "hicolor")])
    return home


def _write(path: Path, text: str) -> None:
    _make_folder(path.parent)
    with atomic_write(path) as fh:
        fh.write(text)


def _copy(source: Path, target: Path) -> None:
    """Whole or not at all, and one line if it cannot be (a FIFO in its place, a full disk)."""
    _make_folder(target.parent)
    atomic_write_bytes(target, source.read_bytes())


def _make_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:  # a file where a folder should be, no permission
        reason = "a file is in its place" if isinstance(exc, FileExistsError) else exc.strerror or exc
        raise ConfigError(f"cannot make the folder {folder}: {reason}") from None


def _refresh(command: list[str]) -> None:
    """Run a desktop cache tool if it is installed; the files work without it, only later."""
    if shutil.which(command[0]):
        subprocess.run(command, check=False, capture_output=True, timeout=60)
