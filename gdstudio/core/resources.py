"""Where the app's files live: the icon, the lessons, the datasets, the desktop entry.

They are kept in the project's top-level ``resources/`` folder, which pip installs as
the package ``gdstudio.resources`` (``package-dir`` in pyproject.toml). So an installed
app finds them inside the package, and a source checkout beside it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parents[1]
#: Application id (reverse DNS), shared by the desktop entry, the metainfo and the icon.
APP_ID = "org.gdstudio.GDStudio"
#: A file every resources folder has: it tells the folder from any other of that name.
_MARKER = Path("icons") / f"{APP_ID}.svg"


def resources_dir() -> Path:
    """The folder holding the app's files, installed or in a source checkout."""
    for base in (_PACKAGE / "resources", _PACKAGE.parent / "resources"):
        if (base / _MARKER).is_file():
            return base
    return _PACKAGE / "resources"


def resource(*parts: str) -> Path:
    """The path of one of the app's files (``resource("datasets", "old-faithful.csv")``)."""
    return resources_dir().joinpath(*parts)
