import pytest

from gdstudio.core.problems import DATASET_PROBLEMS, PROBLEM_NAMES, DataSettings, make_problem


@pytest.fixture(scope="session")
def problems():
    """Every problem, datasets with a small generated set so tests stay quick."""
    built = {}
    for name in PROBLEM_NAMES:
        data = DataSettings(samples=200, seed=7) if name in DATASET_PROBLEMS else None
        built[name] = make_problem(name, data)
    return built
