#!/usr/bin/env bash
# Full calibration (results/calibration/ and src/ecosim/fitted_constants.json): the shared
# constants of ecosim.constants.FREE fitted to the 13 end points of 7 clusters and the US clusters'
# dated figures up to 2000 by trust-region least
# squares on common random numbers (5 seeds), an 8-seed report and a leave-one-out check
# (defaults: calibrate.FULL, whose budgets follow the number of free constants). It starts from the package's
# current constants (src/ecosim/fitted_constants.json when it exists).
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-ecosim}
"$ECOSIM" calibrate --workers "${WORKERS:-2}" --out results/calibration "$@"
