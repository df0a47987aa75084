"""Every loss landscape by name, and how to build one from user settings."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..errors import ConfigError
from .analytic import AnalyticSurface
from .base import Problem
from .data import load_csv
from .dataset import DatasetProblem
from .formula import NAME as FUNCTION
from .formula import formula_surface
from .linear_regression import LinearRegression
from .logistic_regression import LogisticRegression
from .surfaces import SURFACES
from .tiny_network import TinyNetwork
from .wave_fit import WaveFit

DATASET_PROBLEMS: dict[str, type[DatasetProblem]] = {
    cls.name: cls for cls in (LinearRegression, LogisticRegression, WaveFit, TinyNetwork)
}
SURFACE_PROBLEMS: dict[str, AnalyticSurface] = {s.name: s for s in SURFACES}
PROBLEM_NAMES: tuple[str, ...] = (*DATASET_PROBLEMS, *SURFACE_PROBLEMS)


@dataclass(frozen=True)
class DataSettings:
    """How the data of a dataset problem is made: generated, or read from a file."""

    samples: int = 500
    #: ``None``: the problem's own :attr:`~DatasetProblem.default_noise`.
    noise: float | None = None
    seed: int = 0
    path: Path | None = None


def is_dataset(name: str) -> bool:
    """True for a problem whose loss is a mean over data (batch size matters)."""
    return name in DATASET_PROBLEMS


def make_problem(
    name: str,
    data: DataSettings | None = None,
    function: str | None = None,
    progress: Callable[[float], None] | None = None,
) -> Problem:
    """Build the problem ``name``; ``data`` applies to dataset problems only, ``function``
    (the formula) to the typed surface called :data:`FUNCTION` only. ``progress`` is
    told the fraction of the data read or made (it may raise to abandon the work).

    Raises
    ------
    ConfigError
        For an unknown name, unusable data settings or formula, or data settings
        given for an analytic surface (which has no data to set).
    """
    if name == FUNCTION:
        if function is None:
            raise ConfigError(f"the {FUNCTION!r} landscape needs its formula")
        if data is not None:
            raise ConfigError("a typed function has no data: samples, noise and data files do not apply")
        return formula_surface(function)  # sympy loads only here
    if name in SURFACE_PROBLEMS:
        if data is not None:
            raise ConfigError(f"{name} is an analytic surface with no data: samples, noise and data files do not apply")
        return SURFACE_PROBLEMS[name]
    if name not in DATASET_PROBLEMS:
        raise ConfigError(f"unknown problem {name!r}; choose one of: {', '.join(PROBLEM_NAMES)}")
    data = data or DataSettings()
    cls = DATASET_PROBLEMS[name]
    if data.path is not None:
        dataset = load_csv(data.path, progress)
    else:
        dataset = cls.generate(data.samples, data.noise, data.seed, progress)
    return cls(dataset)
