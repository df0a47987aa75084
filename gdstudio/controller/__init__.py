"""The model/controller layer: QtCore only. Holds the session state and runs the engine's thread."""

from .frame import Frame, LossGrid, RunFrame
from .session_controller import SessionController
from .session_state import SessionState

__all__ = ["Frame", "LossGrid", "RunFrame", "SessionController", "SessionState"]
