#!/usr/bin/env bash
# Reproduce results/lineages/: the San Diego counterfactual sweep (experiments/lineages.yaml: three
# scenario files x 30 replications), its report, and the Genentech and Hybritech family trees.
# Resumable: run it again after an interruption and the sweep does only the missing runs.
#   experiments/lineages.sh                                   # local process pool
#   experiments/lineages.sh --replications 2 --until 1990     # a quick look (use another RUNS folder)
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-.venv/bin/ecosim}
PYTHON=${PYTHON:-.venv/bin/python}
RUNS=${RUNS:-runs/lineages}
OUT=${OUT:-results/lineages}
status=0
"$ECOSIM" sweep experiments/lineages.yaml --out "$RUNS" "$@" || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi   # 1 = some runs failed: still report the rest
"$ECOSIM" report "$RUNS" --out "$OUT/counterfactual"
cp "$RUNS/manifest.json" "$OUT/counterfactual/sweep_manifest.json"
"$PYTHON" experiments/lineages.py --runs "$RUNS" --out "$OUT"
exit "$status"
