"""``python -m theory``: see :mod:`theory.cli`."""

import sys

from .cli import main

sys.exit(main())
