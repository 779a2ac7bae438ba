#!/usr/bin/env bash
# Full calibration (results/calibration/ and src/ecosim/fitted_constants.json): 5 shared
# constants, 13 figures of 7 clusters, 2 seeds per evaluation (common random numbers), at most
# 30 Nelder-Mead evaluations, 6 seeds for the report, leave-one-out on 1 seed and 5 evaluations
# per refit (the defaults of calibrate.FULL). ~25 min on 2 shared cores.
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-ecosim}
"$ECOSIM" calibrate --workers "${WORKERS:-2}" --out results/calibration "$@"
