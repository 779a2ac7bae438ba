"""``python -m ecosim``: the command line."""

import sys

from ecosim.cli import main

sys.exit(main())
