"""What ecosim accepts at most: every limit on an input's size, in one place.

Each limit bounds the memory or time one input can make ecosim use. An input beyond a limit is
refused before any work, with exit code 2 and one line that names the limit; the README's
"Reliability" section reports the peak memory of the largest input the limits allow. The
shipped scenarios and experiments stay far below every limit (the largest scenario file is
24 KB, the largest grid 7,000 cells, the largest sweep 640 runs).
"""

from __future__ import annotations

MAX_FILE_BYTES = 1 << 20
"""Size of one scenario or spec file (1 MiB). A 50 MB file took 5.6 GB to validate."""

MAX_SAMPLE_BYTES = 16 << 20
"""Largest posterior sample (an ``ecosim posterior`` particles.csv) a sweep spec may read:
half a million particles of ten constants, far beyond any inference this machine runs."""

MAX_YAML_VALUES = 200_000
"""Values (mappings, lists and scalars) in one YAML file, counted with every alias expanded:
a "billion laughs" file is a few hundred bytes that expand to 10^9 values."""

MAX_NESTING = 64
"""Depth of nested mappings and lists in a YAML file (a scenario is 5 deep): deeper nesting
exhausts the parser's recursion before any check could run."""

MAX_EXTENDS = 16
"""Files in one ``extends`` chain (the shipped scenarios use 2)."""

MAX_NUMBER_DIGITS = 30
"""Digits of one number, in a file or on the command line (Python refuses to convert more than
4,300 digits, and no field of a scenario needs more than a dozen)."""

MAX_GRID_CELLS = 160_000
"""Cells of a scenario's grid: 400 x 400 km at 1 km, or 100 x 100 km at 0.25 km (about 200 MB;
the schema's 400 x 400 km at 0.25 km, 2.56 million cells, took 3.5 GB)."""

MAX_BOUNDARY_VERTICES = 5_000
"""Vertices of one census boundary (a city traced at 100 m has a few hundred; each firm that
settles is tested against them, so a boundary of millions would slow every run)."""

MAX_SWEEP_ARMS = 5_000
"""Arms of one sweep design (each arm holds its own validated scenario)."""

MAX_SWEEP_RUNS = 200_000
"""Runs (arms x replications) of one sweep: 10^5 samples x 10^5 replications ran out of memory
while the run list was made."""

MAX_FIRMS = 50_000
"""Firms ever present in one run. Growth is not bounded by the model yet (the firm life-cycle
issue bounds it): Greater Tokyo passes 34,000 firms by 2080 and takes 1.3 GB by 2100. A run that
passes the limit stops with a message; long horizons are legitimate, so the end year is not
limited."""

STOPPED_AT_LIMIT = "stopped_at_growth_limit"
"""The summary key of a run ended at MAX_FIRMS instead of refused (runner.run_to_limit): the year
it stopped."""

EXCERPT_CHARS = 60
"""The most of one input value that an error message quotes."""

MESSAGE_CHARS = 400
"""The most of one error message (file, field and text each clipped to it)."""
