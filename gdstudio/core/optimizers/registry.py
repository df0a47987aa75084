"""Every optimiser by name, and how to build one from user settings."""

from __future__ import annotations

from ..errors import ConfigError
from .adagrad import Adagrad
from .adam import Adam
from .base import Optimizer
from .rmsprop import RMSprop
from .sgd import GD, Momentum, Nesterov

OPTIMIZERS: dict[str, type[Optimizer]] = {cls.name: cls for cls in (GD, Momentum, Nesterov, Adagrad, RMSprop, Adam)}


def make_optimizer(name: str, lr: float, **hyperparameters: float) -> Optimizer:
    """Build optimiser ``name``; every hyperparameter given must be one it has.

    Raises
    ------
    ConfigError
        For an unknown name, a hyperparameter the optimiser does not have, or a
        value outside its range.
    """
    if name not in OPTIMIZERS:
        raise ConfigError(f"unknown optimizer {name!r}; choose one of: {', '.join(OPTIMIZERS)}")
    cls = OPTIMIZERS[name]
    known = cls.hyperparameters()
    for key in hyperparameters:
        if key not in known:
            has = ", ".join(known) or "no hyperparameters besides the learning rate"
            raise ConfigError(f"{key} does not apply to {name} (it has {has})")
    return cls(lr=lr, **hyperparameters)
