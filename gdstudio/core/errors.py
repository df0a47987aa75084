"""The one exception type for bad user input."""


class ConfigError(ValueError):
    """A value a user supplied (flag, field, file) that cannot be used.

    The message is one line that names the bad value, fit to show as is in a
    dialog or after ``error:`` on the command line.
    """
