"""``python -m ecosim``: the command line."""

import sys

from ecosim.cli import entry

# The same command as the installed `ecosim` script: its usage lines and the manifests it writes
# name it `ecosim`, not this file (`__main__.py posterior ...` told a reader nothing to type).
sys.argv[0] = "ecosim"
entry()
