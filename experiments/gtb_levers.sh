#!/usr/bin/env bash
# Reproduce results/gtb_levers/ and results/gtb_levers_ja/: the full GTB lever sweep (32 arms x 20
# replications) and its report, in English and in Japanese. Resumable: run it again after an
# interruption and it does only the missing runs.
#   experiments/gtb_levers.sh                      # local process pool, one worker per core
#   experiments/gtb_levers.sh --scheduler tcp://HOST:8786   # on a Dask cluster
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-.venv/bin/ecosim}
RUNS=${RUNS:-runs/gtb_levers}
status=0
"$ECOSIM" sweep experiments/gtb_levers.yaml --out "$RUNS" "$@" || status=$?
if [ "$status" -gt 1 ]; then exit "$status"; fi   # 1 = some runs failed: still report the rest
"$ECOSIM" report "$RUNS" --out results/gtb_levers
"$ECOSIM" report "$RUNS" --lang ja --out results/gtb_levers_ja
cp "$RUNS/manifest.json" results/gtb_levers/sweep_manifest.json
exit "$status"
