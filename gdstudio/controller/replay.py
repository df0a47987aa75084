"""The frames of a run as it was at earlier steps: for animations of a finished run."""

from __future__ import annotations

import numpy as np

from ..core import RunStatus
from .frame import Frame, RunFrame


def replay_frames(frame: Frame, count: int) -> list[Frame]:
    """About ``count`` frames at evenly spread steps, from the start to ``frame`` itself.

    Each shows every run as it was at that step: its path so far, its weights,
    loss and gradient then, and "running" until the step at which it stopped.
    The last frame is ``frame``'s own state.
    """
    if count < 2:
        raise ValueError("an animation needs at least two frames")
    steps = [run.history.column("step") for run in frame.runs]
    last = max(float(s[-1]) for s in steps)
    frames = []
    for at in np.unique(np.round(np.linspace(0, last, count))):
        runs = tuple(_run_at(run, int(np.searchsorted(s, at, side="right"))) for run, s in zip(frame.runs, steps))
        lead = runs[0].history
        frames.append(
            Frame(
                step=int(max(r.history.column("step")[-1] for r in runs)),
                epoch=float(lead.column("epoch")[-1]),
                samples=int(lead.column("samples")[-1]),
                runs=runs,
            )
        )
    return frames


def _run_at(run: RunFrame, rows: int) -> RunFrame:
    """``run`` as it was after its first ``rows`` history rows."""
    full = run.history
    if rows >= len(full):
        return run
    h = full.prefix(rows)
    params = h.params
    # The gradient at a row's weights is the one the next step used (row ``rows``).
    grad = np.array([full.column("gx")[rows], full.column("gy")[rows]])
    stopped = 0 <= run.finished_at <= h.column("step")[-1]
    return RunFrame(
        label=run.label,
        history=h,
        params=params[-1].copy(),
        loss=float(h.column("loss")[-1]),
        batch_loss=float(h.column("batch_loss")[-1]),
        grad=grad,
        update=params[-1] - params[-2] if len(params) > 1 else params[-1] * 0,
        status=run.status if stopped else RunStatus.RUNNING,
        detail=run.detail if stopped else "",
        finished_at=run.finished_at if stopped else -1,
    )
