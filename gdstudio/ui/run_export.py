"""A run written to a file: the first run's history, with the set-up that made it."""

from __future__ import annotations

from pathlib import Path

from ..controller import SessionController
from ..core import ConfigError
from ..core.run_setup import RunSetup
from ..core.user_file import same_file


def run_metadata(setup: RunSetup) -> dict:
    """What a JSON export records beside the rows, so the run can be made again."""
    return {
        "problem": setup.problem,
        "optimizer": setup.optimizer,
        "lr": setup.lr,
        "hyper": setup.hyper,
        "batch_size": setup.batch_size,
        "seed": setup.seed,
        "start": setup.start,
    }


def write_run(controller: SessionController, path: Path, kind: str = "csv") -> None:
    """Write the first run's history at ``path`` as CSV or JSON, whole or not at all.

    Raises ``ConfigError`` or ``OSError`` with a sentence for the user.
    """
    data = controller.state.setup.data
    if data is not None and same_file(path, data):
        raise ConfigError(f"{path} is the data file of this landscape: writing the run there would replace the data")
    history = controller.frame.runs[0].history
    names = controller.landscape.problem.param_names
    if kind == "csv":
        history.write_csv(path, names)
    else:
        history.write_json(path, names, run_metadata(controller.state.setup))
