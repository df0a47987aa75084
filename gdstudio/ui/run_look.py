"""How one run of a race is drawn: its name in the legends, its colour, shown or hidden."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..controller import Frame


@dataclass(frozen=True)
class RunLook:
    """The user's choices for drawing one run (the engine knows nothing of them)."""

    #: What the legends call the run (its name and λ).
    label: str
    color: str
    visible: bool = True


def looked(frame: Frame, looks: tuple[RunLook, ...] | None) -> Frame:
    """``frame`` as the views draw it: hidden runs left out, the others under their labels.

    Looks made for other runs (a load on its way) leave the frame as it is.
    """
    if not looks or len(looks) != len(frame.runs):
        return frame
    runs = tuple(replace(run, label=look.label) for run, look in zip(frame.runs, looks) if look.visible)
    return replace(frame, runs=runs)
