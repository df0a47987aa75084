"""``python -m gdstudio``: the same as the ``gdstudio`` command."""

import sys

from .cli import main

sys.exit(main())
