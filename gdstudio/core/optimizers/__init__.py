"""Optimisers with torch.optim's update rules, vectorised over many runs."""

from .adagrad import Adagrad
from .adam import Adam
from .base import Optimizer, Spec, copy_state
from .registry import OPTIMIZERS, make_optimizer
from .rmsprop import RMSprop
from .sgd import GD, Momentum, Nesterov

__all__ = [
    "GD",
    "OPTIMIZERS",
    "Adagrad",
    "Adam",
    "Momentum",
    "Nesterov",
    "Optimizer",
    "RMSprop",
    "Spec",
    "copy_state",
    "make_optimizer",
]
