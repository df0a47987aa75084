"""The descent engine: pure NumPy, no Qt. Problems, batch schedules, optimisers, simulation."""

from .batch_schedule import BatchSchedule, describe_method
from .errors import ConfigError
from .run_status import RunStatus
from .simulation import Simulation
from .trace import Trace

__all__ = ["BatchSchedule", "ConfigError", "RunStatus", "Simulation", "Trace", "describe_method"]
