"""The per-step CSV of one run: the command line's output format."""

from __future__ import annotations

import io
from typing import TextIO

import numpy as np

from .trace import Trace

#: Trace columns in the order of the CSV's columns.
_CSV_ORDER = ("step", "x", "y", "loss", "batch_loss", "gx", "gy", "epoch", "samples")
_FORMATS = ["%d"] + ["%.17g"] * 7 + ["%d"]
_LOSS = _CSV_ORDER.index("loss")


def csv_header(param_names: tuple[str, str]) -> list[str]:
    """Column names: step, the two parameters, the full loss, then the rest."""
    a, b = param_names
    return ["step", a, b, "loss", "batch_loss", f"grad_{a}", f"grad_{b}", "epoch", "samples"]


class TraceCsvWriter:
    """Writes row 0 (the start) and then every step of run ``run`` of a simulation.

    Numbers are written with 17 significant digits, so a reader gets back the
    exact float64 values the engine computed.
    """

    def __init__(self, fh: TextIO, param_names: tuple[str, str], run: int = 0) -> None:
        self._fh = fh
        self._run = run
        fh.write(",".join(csv_header(param_names)) + "\n")

    def write_start(self, start: np.ndarray, loss: float) -> None:
        """Row 0: the start point and its loss; no batch or gradient yet."""
        x, y = (float(v) for v in start)
        self._fh.write(f"0,{x!r},{y!r},{float(loss)!r},,,,0,0\n")

    def write(self, trace: Trace) -> None:
        """One row per step of ``trace``.

        The ``loss`` cell is empty on a step whose full-data loss was not computed: with
        more than 16,384 samples and a small batch, it is computed every
        ``Simulation.loss_every`` steps (and at each epoch's end), not after every step.
        """
        columns = trace.run_columns(self._run)
        block = np.column_stack([columns[name] for name in _CSV_ORDER])
        skipped = np.isnan(columns["loss"])
        if not skipped.any():
            np.savetxt(self._fh, block, delimiter=",", fmt=_FORMATS)
            return
        text = io.StringIO()
        np.savetxt(text, block, delimiter=",", fmt=_FORMATS)
        lines = text.getvalue().splitlines()
        for i in np.flatnonzero(skipped):
            cells = lines[i].split(",")
            cells[_LOSS] = ""
            lines[i] = ",".join(cells)
        self._fh.write("\n".join(lines) + "\n")
