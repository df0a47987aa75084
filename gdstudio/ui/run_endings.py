"""How a run's ending is told: one sentence a student can follow."""

from __future__ import annotations

from ..controller.frame import RunFrame
from ..core import RunStatus
from ..core.run_status import UNDEFINED_GRADIENT


def ending_line(run: RunFrame, several: bool, planned: bool = False) -> str:
    """The sentence for ``run``, which has just stopped; named by its label when ``several``.

    A divergence the lesson scene means to show (``planned``) is part of what the scene
    teaches, so it is told as such, not as a mistake with advice to change the learning rate.
    """
    who = f"{run.label}: " if several else ""
    at = f"at step {run.finished_at:,}"
    if run.status is RunStatus.DIVERGED:
        # The step that went bad is not kept (its numbers are infinite or meaningless), so the
        # run's last step is the one before it; told, as ``gdstudio run`` tells it, as the step
        # that went bad.
        at = f"at step {run.finished_at + 1:,}"
        if planned:
            return f"{who}Diverged {at}, as this scene means to show: every step overshot more than the last."
        return (
            f"{who}Diverged {at}: {run.detail}. The learning rate is too large for this landscape; "
            "try a smaller one and press Reset."
        )
    if UNDEFINED_GRADIENT in run.detail:  # not a zero gradient: none at all (a cone's tip)
        where = "at the global minimum, where" if run.status is RunStatus.CONVERGED else "where"
        return (
            f"{who}Stopped {at} {where} the gradient is undefined (as at the tip of a cone): "
            "there is no slope to follow."
        )
    if run.status is RunStatus.STUCK:
        return (
            f"{who}Stuck {at} on a {run.detail}: the gradient is zero here, so descent stops, "
            "though lower ground exists elsewhere."
        )
    return f"{who}Converged {at}: the gradient vanished at the global minimum."


def is_mistake(run: RunFrame, planned: bool = False) -> bool:
    """Whether the ending is shown as an error: a divergence no lesson scene planned."""
    return run.status is RunStatus.DIVERGED and not planned
