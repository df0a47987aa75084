"""GD Studio: a desktop simulator that teaches gradient descent."""

__version__ = "0.1.0"
