"""The steps of one run kept for plotting: bounded, thinned evenly when long."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from .atomic_file import atomic_write
from .trace import Trace
from .trace_csv import TraceCsvWriter

#: Columns kept per row.
_FIELDS = ("step", "samples", "epoch", "x", "y", "loss", "batch_loss", "gx", "gy")
#: Rows a history has room for at first; the room doubles as the run grows, up to its capacity.
_FIRST_ROOM = 4096


class History:
    """Every row of one run, up to ``capacity`` rows; beyond that, every other row.

    A row is kept when its step is a multiple of ``stride``. When the store is
    full, ``stride`` doubles and every other stored row goes, so the kept rows
    stay evenly spread over the whole run; the start and the newest row are
    always there. Memory stays bounded however long a lecture runs.
    """

    def __init__(self, start: np.ndarray, start_loss: float, capacity: int = 2_000_000) -> None:
        if capacity < 4:
            raise ValueError("capacity must be at least 4")
        self.capacity = capacity
        self.stride = 1
        # One contiguous column per field (plus a spare slot), so the views plot without
        # copies. The room doubles as rows arrive rather than being reserved at full size
        # up front: 2,000,000 rows are 144 MB, which Windows would count against its commit
        # limit for every run however short (it has no lazily committed anonymous memory).
        self._data = np.empty((len(_FIELDS), min(capacity, _FIRST_ROOM) + 1))
        self._data[:, 0] = [0, 0, 0, *start, start_loss, np.nan, np.nan, np.nan]
        #: Rows kept so far (row 0 is the start).
        self._n = 1
        #: 1 when the newest row is not a kept one and waits in the spare slot at ``_n``.
        self._latest = 0

    def __len__(self) -> int:
        return self._n + self._latest

    @property
    def kept(self) -> int:
        """Rows kept for good: all of them but a newest one that the next append replaces."""
        return self._n

    def append(self, trace: Trace, run: int = 0) -> None:
        """Add the rows of ``trace`` for ``run``."""
        if not len(trace):
            return
        named = trace.run_columns(run)
        columns = [named[field] for field in _FIELDS]
        steps = trace.step
        while True:
            kept = slice(None) if self.stride == 1 else np.flatnonzero(steps % self.stride == 0)
            count = len(steps) if self.stride == 1 else len(kept)
            if self._n + count <= self.capacity:
                break
            # Full: keep every other stored row, and every other step from now on.
            self.stride *= 2
            self._n = _keep_every_other(self._data, self._n)
        n = self._n
        if n + count >= self._data.shape[1]:  # the spare slot must stay free
            self._grow(n + count)
        for field, values in enumerate(columns):
            self._data[field, n : n + count] = values[kept]
        self._n = n + count
        self._latest = int(steps[-1] % self.stride != 0)
        if self._latest:
            for field, values in enumerate(columns):
                self._data[field, self._n] = values[-1]

    def _grow(self, rows: int) -> None:
        """Make room for at least ``rows`` rows (and the spare slot), doubling to bound the copies."""
        room = min(self.capacity, max(rows, 2 * (self._data.shape[1] - 1)))
        data = np.empty((len(_FIELDS), room + 1))
        data[:, : len(self)] = self._data[:, : len(self)]
        self._data = data

    def column(self, name: str) -> np.ndarray:
        """All kept values of one column, oldest first, newest row included.

        A view, not a copy: read it before the next :meth:`append`.
        """
        return self._data[_FIELDS.index(name), : len(self)]

    @property
    def params(self) -> np.ndarray:
        """Kept weights, ``(n, 2)`` (a view, like :meth:`column`)."""
        i = _FIELDS.index("x")
        return self._data[i : i + 2, : len(self)].T

    def prefix(self, rows: int) -> HistoryPrefix:
        """The first ``rows`` rows, read like a history (to show the run as it was then)."""
        return HistoryPrefix(self, max(1, min(rows, len(self))))

    def write_csv(self, path: str | Path, param_names: tuple[str, str]) -> None:
        """Write the kept rows as the command line's CSV (atomically)."""
        n = len(self)
        columns = {f: self.column(f) for f in _FIELDS}
        trace = Trace(
            step=columns["step"][1:].astype(int),
            samples=columns["samples"][1:].astype(int),
            epoch=columns["epoch"][1:],
            params=np.column_stack([columns["x"], columns["y"]])[1:, None, :],
            loss=columns["loss"][1:, None],
            batch_loss=columns["batch_loss"][1:, None],
            grad=np.column_stack([columns["gx"], columns["gy"]])[1:, None, :],
        )
        with atomic_write(path) as fh:
            writer = TraceCsvWriter(fh, param_names)
            writer.write_start(np.array([columns["x"][0], columns["y"][0]]), columns["loss"][0])
            if n > 1:
                writer.write(trace)

    def write_json(self, path: str | Path, param_names: tuple[str, str], meta: dict) -> None:
        """Write the kept rows and a description of the run as JSON (atomically)."""
        a, b = param_names
        names = {"x": a, "y": b, "gx": f"grad_{a}", "gy": f"grad_{b}"}
        doc = {
            "run": meta,
            "stride": self.stride,
            "rows": {names.get(f, f): [None if not np.isfinite(v) else float(v) for v in self.column(f)]
                     for f in _FIELDS},
        }  # fmt: skip
        with atomic_write(path) as fh:
            json.dump(doc, fh)


class HistoryPrefix:
    """The first rows of a :class:`History`, with the same reading methods (views, no copies)."""

    def __init__(self, history: History, rows: int) -> None:
        self._history, self._rows = history, rows
        self.stride = history.stride

    def __len__(self) -> int:
        return self._rows

    @property
    def kept(self) -> int:
        return self._rows

    def column(self, name: str) -> np.ndarray:
        return self._history.column(name)[: self._rows]

    @property
    def params(self) -> np.ndarray:
        return self._history.params[: self._rows]


#: Rows moved at a time when a full history is thinned (see :func:`_keep_every_other`).
_BLOCK = 1 << 16


def _keep_every_other(data: np.ndarray, n: int) -> int:
    """Move rows 0, 2, 4, ... of the first ``n`` columns of ``data`` to its front, in place;
    return how many there are.

    The rows kept are the steps 0, stride, 2 stride, ...: every other one. Moved a block at a
    time, each block's rows lie beyond the block they go to, so NumPy copies them straight
    there; one slice of two million rows would first be copied whole into fresh memory (a
    tenth of a second of the window's time, once per doubling of a long run).
    """
    kept = (n + 1) // 2
    for start in range(0, kept, _BLOCK):
        stop = min(start + _BLOCK, kept)
        data[:, start:stop] = data[:, 2 * start : 2 * stop - 1 : 2]
    return kept
