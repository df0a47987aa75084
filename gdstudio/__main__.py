"""``python -m gdstudio``: the same as the ``gdstudio`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # the engine process (spawned) imports this module again
    sys.exit(main())
