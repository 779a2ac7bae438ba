#!/usr/bin/env bash
# Regenerate the committed results after a change of the model, in the order their inputs need:
# every stage writes its results/ folder with its own command (the one its README and manifest name).
#   experiments/regenerate.sh                 # every stage but posterior and those run only when named, in order
#   experiments/regenerate.sh history gtb_levers   # only these stages, in the order given
#   experiments/regenerate.sh --list          # the stages and what each writes
# The posterior (23 minutes on 2 cores since the ninth speed round; 79 before) runs only when named: it installs its median as the
# package's constants; the calibration stage refines the installed point by least squares (from the
# median, right after a posterior) and again from the previous package default (the constants
# committed at PREVIOUS, default HEAD), and experiments/default_point.py --install keeps that
# previous default unless one of the four points clearly beats it (its rule), so every other stage comes after those two. Manifests record the git commit: run this on a clean checkout and
# commit what it writes. ECOSIM and PYTHON name the commands (default: the Makefile's .venv);
# WORKERS the processes (default 2). A stage that fails stops the script; the stages before it stay
# written (each writes its folder atomically) and the sweeps resume where they stopped.
set -euo pipefail
cd "$(dirname "$0")/.."
ECOSIM=${ECOSIM:-.venv/bin/ecosim}
PYTHON=${PYTHON:-.venv/bin/python}
WORKERS=${WORKERS:-2}
PREVIOUS=${PREVIOUS:-HEAD}
export ECOSIM PYTHON

# stage name, what it writes, in running order (the constants first, what reads them after)
STAGES=(
  "posterior|results/posterior, src/ecosim/fitted_constants.json, the sensitivity specs' intervals (only when named)"
  "calibration|results/calibration, results/calibration/from_previous_default, then results/calibration/default_point (installs the point its rule chooses)"
  "history|results/history"
  "greater_tokyo_pattern|results/history/greater_tokyo_pattern (Greater Tokyo's baseline against Japan's foundings and exits)"
  "reach|results/history/reach (reads results/posterior/design.csv)"
  "leave_one_out|results/history/leave_one_out (reads results/posterior)"
  "lineages|results/lineages"
  "stylized_facts|results/stylized_facts"
  "gtb_levers|results/gtb_levers, results/gtb_levers_ja"
  "gtb_robust|results/gtb_robust, results/gtb_robust_ja (reads results/posterior/particles.csv)"
  "sensitivity|results/sensitivity, results/sensitivity_san_diego"
  "dose_response|results/dose_response_greater_tokyo, results/dose_response_kobe"
  "scans|results/history/exit_timing_scan, ipo_news_scan, release_cascade_scan, firm_size_scan, labour_supply_scan, placement_scan, city_limits, grid_size_scan, vc_money_scan, listing_stage_scan, buyout_scan, private_growth_scan, trial_cost_scan, narrow_counts, early_jobs, largest_firms, early_partners_scan, anchor_staff_scan, hybritech_staff_scan, era_teams_scan, early_money_scan, money_and_people_scan, japan_money_scan, predictive_scan (reads results/posterior)"
  "medtech_scan|results/history/medtech_scan (device and service firms turned on with nothing refitted, kept as run at 2b481ed, when the default had one kind of firm; only when named)"
  "medtech_refit|results/history/medtech_refit (the refit that made device and service firms the default, kept as run at 4220caa; only when named)"
  "listing_market_refit|results/history/listing_market_refit and listing_market_refit_selective (the two refits that left the national market for listings out of the US scenarios, kept as run at 241c800 and 99b8bd9; only when named)"
  "us_market_pipeline|results/history/us_market_pipeline (the US clusters on the national market through the posterior, both least-squares fits and the default-point rule, judged by the rule stated before it ran, failed, kept as run at a7fe76d; only when named)"
  "labour_demand_refit|results/history/labour_demand_refit and labour_demand_refit_movers (the refits of a labour market led by demand, judged by the rule stated before them; only when named)"
  "labour_mobility_refit|results/history/labour_mobility_refit (the demand-led labour market refitted with Japan's sourced lower mobility, judged by the rule stated before it; only when named)"
  "kinds_refit|results/history/kinds_refit (the refit that reads each figure by the kinds of firm it counts, judged by the rule stated before it; only when named)"
  "partners_refit|results/history/partners_refit (the refit on Boston's and San Diego's pharma dated by their first deals, judged by the rule stated before it; only when named)"
  "market_rounds_refit|results/history/market_rounds_refit (the national market for listings refitted with the rounds' level freed, judged by the rule stated before it; only when named)"
  "window_refit|results/history/window_refit (the national market whose hot windows pull companies public, refitted, judged by the rule stated before it; only when named)"
  "listed_lives|results/history/listed_lives (listed companies kept without a board's patience: the mechanism alone, and refitted on the national market, judged by the rule stated before it; only when named)"
  "patient_refit|results/history/patient_refit (listed companies kept without a board's patience, refitted without the market, judged by the rule stated before it; only when named)"
  "pull_scan|results/history/pull_scan (listed_lives' refit at three pulls of hot windows, read by the prediction stated before it; only when named, after listed_lives)"
  "cleared_refit|results/history/cleared_refit (the market whose hot months clear, listed companies kept, refitted, judged by the rule stated before it on the exit-timing references of 2009-2020, kept as run at 2b5bcd3; only when named)"
  "timing_refit|results/history/timing_refit (cleared_refit's refit on the exit-timing references restated by their sources, judged by the rule stated before it; only when named)"
  "fade_scan|results/history/fade_scan (timing_refit's point at faster fades of IPO news, read by the prediction stated before it; only when named, after timing_refit)"
  "fade_refit|results/history/fade_refit and fade_refit_again (the market's refit started at a fast fade of IPO news, and its second run from its own point, judged by the rule stated before them; only when named)"
  "market_chain|results/history/market_chain (the national market through the package's chain, posterior, both least-squares fits and the default-point rule, with the listing hazard held, judged by the rule stated before it ran; only when named)"
  "listing_eras|results/history/listing_eras (IPOs by era and listed companies' exits at the default and at market_rounds_refit's refits, whose constants it reads; only when named, after market_rounds_refit)"
  "labour_pool_scan|results/history/labour_pool_scan (the scan that led to the sourced exit rate of idle job seekers, kept as run at 98f1c58 when they left at 5% a year; only when named)"
  "long_run|results/long_run"
  "listed_teams|results/history/listed_teams (the probe that freed a constant, kept as run before that refit; only when named)"
  "screenshots|results/screenshots (make screenshots: Chromium)"
)

sweep_and_report() {  # spec name: sweep experiments/NAME.yaml into runs/NAME, report into results/NAME
  local name=$1 status=0
  "$ECOSIM" sweep "experiments/$name.yaml" --out "runs/$name" --workers "$WORKERS" --quiet || status=$?
  if [ "$status" -gt 1 ]; then return "$status"; fi
  "$ECOSIM" report "runs/$name" --out "results/$name"
  cp "runs/$name/manifest.json" "results/$name/sweep_manifest.json"
}

run_stage() {
  case "$1" in
    posterior)
      "$ECOSIM" posterior --out results/posterior --workers "$WORKERS" --quiet
      "$PYTHON" experiments/carry_posterior.py ;;
    history) "$PYTHON" experiments/history.py --seeds 8 --workers "$WORKERS" ;;
    greater_tokyo_pattern) "$PYTHON" experiments/greater_tokyo_pattern.py --workers "$WORKERS" ;;
    reach) "$PYTHON" experiments/reach.py ;;
    leave_one_out) "$PYTHON" experiments/leave_one_out.py ;;
    calibration)
      # The previous package default, the constants committed at $PREVIOUS (HEAD: the checkout
      # this regeneration began from, before the posterior installed its median), read into runs/
      # so that the checkout stays clean for the manifests: the second start and the incumbent.
      mkdir -p runs
      git show "$PREVIOUS:src/ecosim/fitted_constants.json" > runs/previous_default.json
      # A posterior's own run installs its median; a round always ends with default_point. A default
      # made by `ecosim posterior` itself at PREVIOUS means the posterior stage was committed first
      # and PREVIOUS points after it: the incumbent and the second start would both be that median.
      if grep -Eq '"made_by": "ecosim posterior' runs/previous_default.json \
        && ! grep -q -- '--install-from' runs/previous_default.json; then
        echo "regenerate.sh: PREVIOUS=$PREVIOUS holds a posterior's median installed by its own run," \
          "not the default a round ended with: set PREVIOUS to the commit before the posterior stage" >&2
        exit 2
      fi
      WORKERS=$WORKERS experiments/calibrate.sh --seeds 3 --maxfev 48 --no-loo
      WORKERS=$WORKERS experiments/calibrate.sh --seeds 3 --maxfev 48 --no-loo \
        --start runs/previous_default.json \
        --out results/calibration/from_previous_default --store runs/calibration-previous-store
      # The incumbent is the default the round began from (the posterior installed its median since).
      "$PYTHON" experiments/default_point.py --workers "$WORKERS" --incumbent runs/previous_default.json \
        --install ;;
    lineages) experiments/lineages.sh --workers "$WORKERS" --quiet ;;
    stylized_facts) "$PYTHON" experiments/stylized_facts.py --workers "$WORKERS" ;;
    gtb_levers) experiments/gtb_levers.sh --workers "$WORKERS" --quiet ;;
    gtb_robust)
      sweep_and_report gtb_robust
      "$ECOSIM" report runs/gtb_robust --lang ja --out results/gtb_robust_ja ;;
    sensitivity)
      for spec in sensitivity sensitivity_san_diego; do
        "$ECOSIM" sensitivity "experiments/$spec.yaml" --out "results/$spec" --runs "runs/$spec" \
          --workers "$WORKERS" --quiet
      done ;;
    dose_response)
      sweep_and_report dose_response_greater_tokyo
      sweep_and_report dose_response_kobe ;;
    scans)
      "$PYTHON" experiments/exit_timing_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/ipo_news_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/release_cascade_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/firm_size_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/labour_supply_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/placement_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/city_limits.py --workers "$WORKERS"
      "$PYTHON" experiments/grid_size_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/vc_money_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/listing_stage_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/buyout_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/private_growth_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/trial_cost_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/narrow_counts.py --workers "$WORKERS"
      "$PYTHON" experiments/early_jobs.py --workers "$WORKERS"
      "$PYTHON" experiments/largest_firms.py --workers "$WORKERS"
      "$PYTHON" experiments/early_partners_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/anchor_staff_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/hybritech_staff_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/era_teams_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/early_money_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/money_and_people_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/japan_money_scan.py --workers "$WORKERS"
      "$PYTHON" experiments/predictive_scan.py --workers "$WORKERS" ;;
    medtech_scan) "$PYTHON" experiments/medtech_scan.py --workers "$WORKERS" ;;
    labour_pool_scan) "$PYTHON" experiments/labour_pool_scan.py --workers "$WORKERS" ;;
    medtech_refit) "$PYTHON" experiments/medtech_refit.py --workers "$WORKERS" ;;
    listing_market_refit)
      "$PYTHON" experiments/listing_market_refit.py --workers "$WORKERS"
      "$PYTHON" experiments/listing_market_refit.py --workers "$WORKERS" --set ipo_quality_exponent=4 \
        --out results/history/listing_market_refit_selective ;;
    labour_demand_refit)
      "$PYTHON" experiments/labour_demand_refit.py --workers "$WORKERS"
      "$PYTHON" experiments/labour_demand_refit.py --workers "$WORKERS" --set hired_founders_found=0 \
        --store runs/labour_demand_refit_movers-store --out results/history/labour_demand_refit_movers ;;
    us_market_pipeline) "$PYTHON" experiments/us_market_pipeline.py --workers "$WORKERS" ;;
    labour_mobility_refit) "$PYTHON" experiments/labour_mobility_refit.py --workers "$WORKERS" ;;
    kinds_refit) "$PYTHON" experiments/kinds_refit.py --workers "$WORKERS" ;;
    partners_refit) "$PYTHON" experiments/partners_refit.py --workers "$WORKERS" ;;
    market_rounds_refit) "$PYTHON" experiments/market_rounds_refit.py --workers "$WORKERS" ;;
    listing_eras) "$PYTHON" experiments/listing_eras.py --workers "$WORKERS" ;;
    window_refit) "$PYTHON" experiments/window_refit.py --workers "$WORKERS" ;;
    listed_lives) "$PYTHON" experiments/listed_lives.py --workers "$WORKERS" ;;
    patient_refit) "$PYTHON" experiments/patient_refit.py --workers "$WORKERS" ;;
    pull_scan) "$PYTHON" experiments/pull_scan.py --workers "$WORKERS" ;;
    cleared_refit) "$PYTHON" experiments/cleared_refit.py --workers "$WORKERS" ;;
    timing_refit) "$PYTHON" experiments/timing_refit.py --workers "$WORKERS" ;;
    fade_scan) "$PYTHON" experiments/fade_scan.py --workers "$WORKERS" ;;
    fade_refit)
      "$PYTHON" experiments/fade_refit.py --workers "$WORKERS"
      "$PYTHON" experiments/fade_refit.py --again --workers "$WORKERS" ;;
    market_chain) "$PYTHON" experiments/market_chain.py --workers "$WORKERS" ;;
    long_run) "$PYTHON" experiments/long_run.py ;;
    listed_teams) "$PYTHON" experiments/listed_teams.py ;;
    screenshots) make screenshots ;;
    *) echo "error: unknown stage '$1' (experiments/regenerate.sh --list names them)" >&2; return 2 ;;
  esac
}

if [ "${1:-}" = "--list" ]; then
  for stage in "${STAGES[@]}"; do printf '%-22s %s\n' "${stage%%|*}" "${stage#*|}"; done
  exit 0
fi
if [ $# -eq 0 ]; then
  set --
  for stage in "${STAGES[@]}"; do
    name=${stage%%|*}
    case $name in posterior | listed_teams | medtech_scan | labour_pool_scan | medtech_refit | listing_market_refit | us_market_pipeline | labour_demand_refit | labour_mobility_refit | kinds_refit | partners_refit | market_rounds_refit | listing_eras | window_refit | listed_lives | patient_refit | pull_scan | cleared_refit | timing_refit | fade_scan | fade_refit | market_chain) ;; *) set -- "$@" "$name" ;; esac
  done
fi
for name in "$@"; do   # check every name before running any
  found=0
  for stage in "${STAGES[@]}"; do [ "${stage%%|*}" = "$name" ] && found=1; done
  if [ "$found" = 0 ]; then
    echo "error: unknown stage '$name' (experiments/regenerate.sh --list names them)" >&2
    exit 2
  fi
done
for name in "$@"; do
  start=$(date +%s)
  echo "== $name"
  run_stage "$name"
  echo "== $name done in $(( $(date +%s) - start )) s"
done
