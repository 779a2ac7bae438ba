#!/usr/bin/env bash
# Full calibration (results/calibration/ and src/ecosim/fitted_constants.json): the shared
# constants of ecosim.constants.FREE fitted to 13 figures of 7 clusters by Nelder-Mead on common
# random numbers, a 6-seed report and a leave-one-out check (defaults: calibrate.FULL).
# It starts from the package's current constants (src/ecosim/fitted_constants.json when it
# exists). The committed report is a pass from the previous fit, run as
#   experiments/calibrate.sh --seeds 3 --initial-step 0.3 --maxfev 30 --loo-maxfev 4
# (about 8 minutes on 2 idle cores).
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-ecosim}
"$ECOSIM" calibrate --workers "${WORKERS:-2}" --out results/calibration "$@"
