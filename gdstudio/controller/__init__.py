"""The model/controller layer: QtCore only. Holds the session state and runs the engine's thread."""

from .frame import Frame, Landscape, RunFrame
from .session_controller import SessionController
from .session_state import SessionState

__all__ = ["Frame", "Landscape", "RunFrame", "SessionController", "SessionState"]
