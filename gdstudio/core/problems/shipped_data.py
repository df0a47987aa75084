"""The small classic datasets shipped with the app, picked by name (``--data old-faithful``).

Each is a CSV in ``resources/datasets`` whose header comment names the dataset, the
problem it suits, its columns, its source and its licence: the file says it all, so a
new dataset is one new file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..resources import resource


@dataclass(frozen=True)
class ShippedDataset:
    """One shipped CSV and what its header comment says about it."""

    name: str
    problem: str
    title: str
    x: str
    y: str
    source: str
    licence: str
    path: Path


def _header(path: Path) -> dict[str, str]:
    """The ``# key: value`` lines at the top of ``path`` (indented lines continue a value)."""
    fields: dict[str, str] = {}
    key = None
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            text = line[1:].rstrip()
            if text.startswith("  ") and key is not None:
                fields[key] += " " + text.strip()
            elif ":" in text:
                key, value = (part.strip() for part in text.split(":", 1))
                fields[key] = value
    return fields


@cache
def shipped_datasets() -> dict[str, ShippedDataset]:
    """Every shipped dataset by name, in name order."""
    found = {}
    for path in sorted(resource("datasets").glob("*.csv")):
        h = _header(path)
        name = h.get("name", path.stem)
        found[name] = ShippedDataset(
            name=name,
            problem=h.get("problem", "linear-regression"),
            title=h.get("title", name),
            x=h.get("x", "x"),
            y=h.get("y", "y"),
            source=h.get("source", ""),
            licence=h.get("licence", ""),
            path=path,
        )
    return found


def shipped_dataset(name_or_path: str | Path) -> ShippedDataset | None:
    """The shipped dataset called so, or whose file this is; ``None`` for any other file."""
    datasets = shipped_datasets()
    if str(name_or_path) in datasets:
        return datasets[str(name_or_path)]
    try:
        resolved = Path(name_or_path).resolve()
    except OSError:
        return None
    return next((d for d in datasets.values() if d.path.resolve() == resolved), None)
