#!/usr/bin/env bash
# Full calibration (results/calibration/ and src/ecosim/fitted_constants.json): 5 shared
# constants, 13 figures of 7 clusters, 2 seeds per evaluation (common random numbers), at most
# 30 Nelder-Mead evaluations, 6 seeds for the report, leave-one-out on 1 seed and 5 evaluations
# per refit (the defaults of calibrate.FULL). ~25 min on 2 shared cores.
# It starts from the package's current constants (src/ecosim/fitted_constants.json when it
# exists): the committed report is a second pass from the first pass's fit, run as
#   experiments/calibrate.sh --initial-step 0.3 --loo-maxfev 10
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-ecosim}
"$ECOSIM" calibrate --workers "${WORKERS:-2}" --out results/calibration "$@"
