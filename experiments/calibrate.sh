#!/usr/bin/env bash
# Full calibration (results/calibration/ and src/ecosim/fitted_constants.json): 5 shared
# constants, 13 figures of 7 clusters, 4 seeds per evaluation (common random numbers), at most
# 50 Nelder-Mead evaluations, 10 seeds for the report, leave-one-out on 2 seeds. ~35-45 min
# on 2 cores. Run from the repository root.
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-ecosim}
"$ECOSIM" calibrate --workers "${WORKERS:-2}" --out results/calibration "$@"
