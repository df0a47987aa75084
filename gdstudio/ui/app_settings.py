"""What the window remembers between launches (QSettings): geometry, docks, files, preferences.

Stored in an INI file in the user's configuration folder (on Linux
``~/.config/GD Studio/GD Studio.ini``), so it can be read, and removed, by hand.
Every value read back is checked: a settings file edited by hand or written by
another version gives the default, never an error at start-up.
"""

from __future__ import annotations

import json
import os
import stat
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, QStandardPaths

ORGANISATION = "GD Studio"
APPLICATION = "GD Studio"
#: Files listed under File → Open Recent.
MAX_RECENT = 8


def open_settings() -> QSettings:
    """The user's settings (tests point ``QSettings.setPath`` at a temporary folder first).

    Qt opens its settings files as it is made, and a FIFO there makes it wait for a writer
    for ever (the window never opened). If a file Qt would read is not a regular file, one
    line says so and the settings of this session go to a throwaway file instead.
    """
    odd = odd_settings_file()
    if odd is not None:
        print(f"gdstudio: {odd}; settings are not read or kept this time", file=sys.stderr)
        folder = Path(tempfile.mkdtemp(prefix="gdstudio-settings-"))
        return QSettings(str(folder / f"{APPLICATION}.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def odd_settings_file() -> str | None:
    """Why a settings file Qt reads (the application's, and the organisation's it falls back
    to, for the user and the system) cannot be read: it exists and is not a regular file."""
    folders = [QStandardPaths.writableLocation(QStandardPaths.StandardLocation.GenericConfigLocation)]
    folders += QStandardPaths.standardLocations(QStandardPaths.StandardLocation.GenericConfigLocation)
    for folder in dict.fromkeys(f for f in folders if f):
        for path in (Path(folder) / ORGANISATION / f"{APPLICATION}.ini", Path(folder) / f"{ORGANISATION}.ini"):
            try:
                mode = os.stat(path).st_mode  # through links: one to /dev/zero counts as /dev/zero
            except (OSError, ValueError):
                continue
            if not stat.S_ISREG(mode):
                return f"the settings file {path} is not a regular file"
    return None


class AppSettings:
    """Typed access to the settings the window keeps."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self.qsettings = settings or open_settings()

    @property
    def location(self) -> str:
        return self.qsettings.fileName()

    # Window geometry and the docks' arrangement (Qt's own opaque bytes).
    def geometry(self) -> QByteArray | None:
        return self._bytes("window/geometry")

    def window_state(self) -> QByteArray | None:
        return self._bytes("window/state")

    def set_window(self, geometry: QByteArray, state: QByteArray) -> None:
        self.qsettings.setValue("window/geometry", geometry)
        self.qsettings.setValue("window/state", state)

    # The last set-up, as an experiment file's JSON, so it is checked like one when read back.
    def last_setup(self) -> dict | None:
        text = self.qsettings.value("session/last_setup")
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            return None
        return data if isinstance(data, dict) else None

    def set_last_setup(self, data: dict) -> None:
        self.qsettings.setValue("session/last_setup", json.dumps(data))

    # File → Open Recent, newest first.
    def recent_files(self) -> list[Path]:
        value = self.qsettings.value("files/recent", [])
        items = [value] if isinstance(value, str) else value if isinstance(value, list) else []
        return [Path(p) for p in items if isinstance(p, str) and p][:MAX_RECENT]

    def add_recent_file(self, path: Path) -> list[Path]:
        path = Path(path).resolve()
        files = [path] + [p for p in self.recent_files() if p != path]
        self.qsettings.setValue("files/recent", [str(p) for p in files[:MAX_RECENT]])
        return files[:MAX_RECENT]

    def clear_recent_files(self) -> None:
        self.qsettings.remove("files/recent")

    # Preferences.
    def text_scale(self, default: float = 1.0) -> float:
        return self._number("view/text_scale", default, 0.5, 4.0)

    def set_text_scale(self, scale: float) -> None:
        self.qsettings.setValue("view/text_scale", float(scale))

    def presentation(self, key: str, default: bool = False) -> bool:
        """A presentation preference (``full_screen``, ``presenter_keys`` ...)."""
        value = self.qsettings.value(f"presentation/{key}", default)
        if isinstance(value, str):  # INI files keep booleans as text
            return value.lower() == "true"
        return bool(value)

    def set_presentation(self, key: str, value: bool) -> None:
        self.qsettings.setValue(f"presentation/{key}", bool(value))

    def lesson_scene(self) -> str | None:
        """The lesson scene the lecturer was presenting when the window closed, if any."""
        value = self.qsettings.value("presentation/lesson_scene")
        return value if isinstance(value, str) and value else None

    def set_lesson_scene(self, scene_id: str | None) -> None:
        if scene_id:
            self.qsettings.setValue("presentation/lesson_scene", scene_id)
        else:
            self.qsettings.remove("presentation/lesson_scene")

    def reset(self) -> None:
        """Forget everything: the next launch starts as the first did."""
        self.qsettings.clear()
        self.qsettings.sync()

    def sync(self) -> None:
        self.qsettings.sync()

    def _bytes(self, key: str) -> QByteArray | None:
        value = self.qsettings.value(key)
        return value if isinstance(value, QByteArray) and not value.isEmpty() else None

    def _number(self, key: str, default: float, low: float, high: float) -> float:
        try:
            value = float(self.qsettings.value(key, default))
        except (TypeError, ValueError):
            return default
        return value if low <= value <= high else default
