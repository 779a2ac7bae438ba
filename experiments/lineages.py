"""Lineages: the Genentech and Hybritech family trees, and what the Hybritech cascade owes to
Lilly's 1986 acquisition and to hub leadership (CONNECT/Biocom).

One command: ``python experiments/lineages.py`` (from the repository root) writes
results/lineages/: counterfactual.csv (one row per arm x seed), counterfactual_summary.csv
(means with 95% confidence intervals and paired differences against san_diego under common
random numbers), counterfactual.png, genentech_tree.png, hybritech_tree.png, anchors.csv,
manifest.json and README.md. Seeds 1..N (default 10) are shared by every arm. The package's
fitted constants are used (src/ecosim/fitted_constants.json).
"""

from __future__ import annotations

import argparse
import dataclasses
import io
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import networkx as nx
import numpy as np
import pandas as pd
from scipy import stats

from ecosim import atomic, lineage, provenance
from ecosim.agents.firm import OPERATING
from ecosim.constants import fitted
from ecosim.plots import plt
from ecosim.runner import run_one
from ecosim.scenario import load

ARMS = {
    "san_diego": "baseline: Lilly buys Hybritech in 1986; CONNECT 1985, Biocom 1995",
    "san_diego_no_acquisition": "no acquisition of Hybritech",
    "san_diego_weak_hub": "no CONNECT/Biocom: weak hub leadership",
}
OUT = Path("results/lineages")
BACKER = {"name": "Kleiner Perkins (Brook Byers, at Hybritech)", "lat": 32.90, "lon": -117.22,
          "founded": 1978, "capital_musd": 15}
"""Sensitivity variant, not a scenario input: Kleiner Perkins seeded Hybritech (the scenario's own
anchor comment) and its partner Brook Byers ran it at first (public record), but
san_diego.yaml has no VC in reach until 1983, so Hybritech runs out of its USD 0.3 m before
1986 in every seed. The variant adds that backer at Hybritech's site (assumption: KP's second
fund, ~USD 15 m, public record approx.) so the 1986 acquisition can happen at all."""
VARIANTS = ("as_is", "with_backer")


def scenario_for(arm: str, variant: str):
    """The arm's scenario, with the Hybritech backer added in the with_backer variant."""
    path = f"scenarios/{arm}.yaml"
    if variant == "as_is":
        return load(path)
    import yaml

    raw = yaml.safe_load(Path(path).read_text())
    base = raw.get("vcs")
    if base is None and "extends" in raw:
        base = yaml.safe_load((Path(path).parent / raw["extends"]).read_text()).get("vcs", [])
    return load(path, {"vcs": [*(base or []), BACKER]})


def anchor_stats(firms: pd.DataFrame, graph: nx.DiGraph, name: str, year: int) -> dict:
    """Size, depth and survival of the lineage rooted at the anchor ``name``."""
    try:
        root = lineage.find_root(graph, name)
    except ValueError:
        return {"lineage_size": 0, "lineage_depth": 0, "anchor_fate": "absent", "alive_at": False}
    tree = lineage.lineage_of(graph, firms, root)
    row = firms[firms["firm_id"] == root].iloc[0]
    fate_year = row["fate_year"] if pd.notna(row["fate_year"]) else np.inf
    return {
        "lineage_size": tree.size,
        "lineage_depth": tree.depth,
        "anchor_fate": row["fate"],
        "anchor_fate_year": None if fate_year == np.inf else round(float(fate_year), 2),
        # Listed and grown firms are still operating; only acquired and failed ones have ended.
        "alive_at": bool(row["fate"] in OPERATING or fate_year >= year),
    }


def one_run(arm: str, seed: int, variant: str = "as_is") -> dict:
    """One arm x seed of the counterfactual (a worker's job)."""
    scenario = scenario_for(arm, variant)
    result = run_one(scenario, seed, constants=fitted())
    s = result.summary
    stats_ = anchor_stats(result.firms, result.lineage, "Hybritech", 1986)
    return {
        "variant": variant, "arm": arm, "seed": seed,
        "hybritech_lineage_size": stats_["lineage_size"],
        "hybritech_depth": stats_["lineage_depth"],
        "hybritech_fate": stats_["anchor_fate"],
        "hybritech_fate_year": stats_.get("anchor_fate_year"),
        "hybritech_alive_1986": stats_["alive_at"],
        "firms_founded": s["startups_founded"],
        "spinouts": s["founded_spinout"] + s["founded_release"],
        "spinouts_employee": s["founded_spinout"],
        "spinouts_release": s["founded_release"],
        "firms_active_end": s["firms_active"],
        "largest_lineage": s["largest_lineage"],
    }


def tree_run(scenario_name: str, anchor: str, seed: int, variant: str = "as_is") -> dict:
    """A run whose anchor lineage will be drawn: returns its size/depth and the data to draw."""
    scenario = scenario_for(scenario_name, variant)
    result = run_one(scenario, seed, constants=fitted())
    return {"seed": seed, "firms": result.firms, "graph": result.lineage,
            **anchor_stats(result.firms, result.lineage, anchor, 1986)}


def mean_ci(values: pd.Series) -> tuple[float, float, float]:
    """Mean and 95% t confidence interval."""
    values = values.astype(float)
    mean = float(values.mean())
    if len(values) < 2 or values.std(ddof=1) == 0:
        return mean, mean, mean
    half = float(stats.t.ppf(0.975, len(values) - 1) * values.std(ddof=1) / np.sqrt(len(values)))
    return mean, mean - half, mean + half


METRICS = ("hybritech_lineage_size", "hybritech_depth", "hybritech_alive_1986", "firms_founded",
           "spinouts", "spinouts_employee", "spinouts_release", "firms_active_end")


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Per variant, arm and metric: mean with 95% CI, and the paired difference from the baseline."""
    return pd.concat([_summarise(runs[runs["variant"] == v]).assign(variant=v)
                      for v in runs["variant"].unique()], ignore_index=True)


def _summarise(runs: pd.DataFrame) -> pd.DataFrame:
    base = runs[runs["arm"] == "san_diego"].set_index("seed")
    rows = []
    for arm in ARMS:
        part = runs[runs["arm"] == arm].set_index("seed")
        for metric in METRICS:
            mean, low, high = mean_ci(part[metric])
            diff = (part[metric].astype(float) - base[metric].astype(float)).dropna()
            d_mean, d_low, d_high = mean_ci(diff)
            rows.append({"arm": arm, "metric": metric, "mean": round(mean, 3),
                         "ci95_low": round(low, 3), "ci95_high": round(high, 3),
                         "diff_vs_baseline": round(d_mean, 3), "diff_ci95_low": round(d_low, 3),
                         "diff_ci95_high": round(d_high, 3), "seeds": len(part)})
    return pd.DataFrame(rows)


def figure(summary: pd.DataFrame, path: Path) -> None:
    """Bars with 95% CIs: Hybritech lineage size, firms founded, spinouts, by arm."""
    shown = ("hybritech_lineage_size", "firms_founded", "spinouts")
    variants = list(dict.fromkeys(summary["variant"]))
    fig, grid = plt.subplots(len(variants), len(shown), figsize=(12, 3.4 * len(variants)), squeeze=False)
    colours = ("#1f77b4", "#ff7f0e", "#2ca02c")
    for (row, variant), (col, metric) in ((r, c) for r in enumerate(variants) for c in enumerate(shown)):
        ax = grid[row, col]
        part = summary[(summary["metric"] == metric) & (summary["variant"] == variant)]
        part = part.set_index("arm").loc[list(ARMS)]
        err = np.array([part["mean"] - part["ci95_low"], part["ci95_high"] - part["mean"]])
        ax.bar(range(len(ARMS)), part["mean"], yerr=err, color=colours, capsize=4)
        ax.set_xticks(range(len(ARMS)))
        ax.set_xticklabels(["baseline", "no acquisition", "weak hub"], fontsize=9)
        ax.set_title(f"{metric.replace('_', ' ')} ({variant.replace('_', ' ')})", fontsize=10)
    fig.suptitle("San Diego counterfactuals: means and 95% CIs over seeds (1978-2020)", fontsize=10)
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=90)
    plt.close(fig)
    atomic.write_bytes(path, buffer.getvalue())


def readme(summary: pd.DataFrame, anchors: pd.DataFrame, trees: dict, seeds: int, manifest: dict) -> str:
    """The folder's README."""
    lines = [
        "# Lineages: Genentech, Hybritech and the San Diego counterfactuals",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}` with the "
        f"package's fitted constants, seeds 1-{seeds} shared by every arm (common random numbers).",
        "",
        "## Counterfactual comparison (means, 95% t intervals over seeds; paired differences vs baseline)",
        "",
        "Variant `as_is` runs the scenario files unchanged; `with_backer` adds Hybritech's seed investor",
        "(Kleiner Perkins) as a VC at Hybritech's site, a sensitivity check, not a scenario input",
        "(see `BACKER` in experiments/lineages.py): it shows what a backer next door adds to the",
        "anchor's survival (see the anchor table below).",
        "",
        "| variant | arm | metric | mean | 95% CI | diff vs baseline | 95% CI of diff |",
        "| --- | --- | --- | ---: | --- | ---: | --- |",
    ]
    for r in summary.itertuples(index=False):
        lines.append(f"| {r.variant} | {r.arm} | {r.metric} | {r.mean:.2f} | "
                     f"{r.ci95_low:.2f} to {r.ci95_high:.2f} | "
                     f"{r.diff_vs_baseline:+.2f} | {r.diff_ci95_low:+.2f} to {r.diff_ci95_high:+.2f} |")
    lines += ["", "## Anchor survival across seeds", "",
              "| scenario | anchor | seeds | alive in 1986 | mean lineage size | max lineage size | "
              "max depth |", "| --- | --- | ---: | ---: | ---: | ---: | ---: |"]
    for r in anchors.groupby(["scenario", "anchor"]).agg(
            seeds=("seed", "size"), alive=("alive_at", "sum"), mean_size=("lineage_size", "mean"),
            max_size=("lineage_size", "max"), max_depth=("lineage_depth", "max")).reset_index().itertuples():
        lines.append(f"| {r.scenario} | {r.anchor} | {r.seeds} | {r.alive} | {r.mean_size:.1f} | "
                     f"{r.max_size} | {r.max_depth} |")
    lines += ["", "## Trees", ""]
    for name, info in trees.items():
        lines.append(f"- `{info['file']}`: {name} lineage in seed {info['seed']}, variant {info['variant']} "
                     f"({info['size']} firms, "
                     f"depth {info['depth']}): the seed with the largest {name} lineage among seeds "
                     f"1-{seeds} (a chosen example, not a typical run; the table above gives the spread).")
    lines += ["", "Files: counterfactual.csv (arm x seed), counterfactual_summary.csv, counterfactual.png, "
              "anchors.csv, genentech_tree.png, hybritech_tree.png, manifest.json.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the experiment and write results/lineages/."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--out", default=str(OUT))
    args = parser.parse_args(argv)
    started = time.monotonic()
    seeds = list(range(1, args.seeds + 1))
    out = Path(args.out)
    with ProcessPoolExecutor(max_workers=args.workers,
                             mp_context=multiprocessing.get_context("spawn")) as pool:
        counter = [pool.submit(one_run, arm, seed, variant)
                   for variant in VARIANTS for arm in ARMS for seed in seeds]
        genentech = [pool.submit(tree_run, "bay_area", "Genentech", seed) for seed in seeds]
        runs = pd.DataFrame([f.result() for f in counter])
        gen_runs = [f.result() for f in genentech]
    summary = summarise(runs)
    anchors = pd.DataFrame(
        [{"scenario": "bay_area", "anchor": "Genentech", "seed": r["seed"],
          **{k: r[k] for k in ("lineage_size", "lineage_depth", "anchor_fate", "alive_at")}}
         for r in gen_runs]
        + [{"scenario": "san_diego", "anchor": "Hybritech", "seed": int(r.seed),
            "lineage_size": r.hybritech_lineage_size, "lineage_depth": r.hybritech_depth,
            "anchor_fate": r.hybritech_fate, "alive_at": r.hybritech_alive_1986}
           for r in runs[(runs["arm"] == "san_diego") & (runs["variant"] == "as_is")].itertuples()]
        + [{"scenario": "san_diego + backer", "anchor": "Hybritech", "seed": int(r.seed),
            "lineage_size": r.hybritech_lineage_size, "lineage_depth": r.hybritech_depth,
            "anchor_fate": r.hybritech_fate, "alive_at": r.hybritech_alive_1986}
           for r in runs[(runs["arm"] == "san_diego") & (runs["variant"] == "with_backer")].itertuples()])
    best_gen = max(gen_runs, key=lambda r: (r["lineage_size"], -r["seed"]))
    base = runs[runs["arm"] == "san_diego"]
    best = base.sort_values(["hybritech_lineage_size", "variant", "seed"],
                            ascending=[False, True, True]).iloc[0]
    hyb = tree_run("san_diego", "Hybritech", int(best["seed"]), str(best["variant"]))
    hyb["variant"] = str(best["variant"])
    trees = {}
    with atomic.staged_dir(out) as stage:
        for name, info, file in (("Genentech", best_gen, "genentech_tree.png"),
                                 ("Hybritech", hyb, "hybritech_tree.png")):
            tree = lineage.lineage_of(info["graph"], info["firms"], lineage.find_root(info["graph"], name))
            variant = " with its backer" if info.get("variant") == "with_backer" else ""
            title = (f"{name} lineage{variant} (seed {info['seed']}): {tree.size} firms, "
                     f"{tree.depth} generations")
            lineage.draw(tree, stage / file, title=title)
            lineage.size_by_year(tree, until=2020).to_csv(stage / file.replace(".png", "_by_year.csv"),
                                                         index=False)
            trees[name] = {"file": file, "seed": info["seed"], "size": tree.size, "depth": tree.depth,
                           "variant": info.get("variant", "as_is")}
        runs.to_csv(stage / "counterfactual.csv", index=False)
        summary.to_csv(stage / "counterfactual_summary.csv", index=False)
        anchors.to_csv(stage / "anchors.csv", index=False)
        figure(summary, stage / "counterfactual.png")
        manifest = {
            **provenance.base_manifest(["python", "experiments/lineages.py", *(argv or sys.argv[1:])]),
            "seeds": seeds,
            "arms": ARMS,
            "variants": {"as_is": "scenario files unchanged", "with_backer": BACKER},
            "scenario_hashes": {a: load(f"scenarios/{a}.yaml").digest() for a in (*ARMS, "bay_area")},
            "constants": dataclasses.asdict(fitted()),
            "trees": trees,
            "seconds": round(time.monotonic() - started, 1),
        }
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(summary, anchors, trees, len(seeds), manifest))
    print(summary[summary["metric"].isin(["hybritech_lineage_size", "firms_founded", "spinouts"])]
          .to_string(index=False))
    print(f"wrote {out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
