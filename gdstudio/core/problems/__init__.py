"""Loss landscapes over two parameters: datasets (w, b) and analytic surfaces (x, y)."""

from .analytic import AnalyticSurface
from .base import Minimum, Problem
from .data import Dataset
from .dataset import DatasetProblem
from .registry import (
    DATASET_PROBLEMS,
    PROBLEM_NAMES,
    SURFACE_PROBLEMS,
    DataSettings,
    is_dataset,
    make_problem,
)

__all__ = [
    "DATASET_PROBLEMS",
    "PROBLEM_NAMES",
    "SURFACE_PROBLEMS",
    "AnalyticSurface",
    "DataSettings",
    "Dataset",
    "DatasetProblem",
    "Minimum",
    "Problem",
    "is_dataset",
    "make_problem",
]
