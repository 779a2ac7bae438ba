"""Lineages: the Genentech and Hybritech family trees, beside the San Diego counterfactual sweep.

The counterfactual itself (San Diego with and without Lilly's 1986 purchase of Hybritech, and
without its hub organisations) is the sweep spec experiments/lineages.yaml, run by ``ecosim
sweep`` and reported by ``ecosim report``. A sweep keeps each run's yearly table and summary, not
its firms, so this script does what a sweep cannot: it draws family trees. From the sweep folder
it reads every run's anchor numbers (Hybritech's lineage, depth and end), replays the baseline
replication with the largest Hybritech lineage (same scenario, same seed: the same run, checked
against the stored summary) to draw its tree, and runs the Bay Area with the sweep's seeds to draw
the largest Genentech lineage.

One command after the sweep (experiments/lineages.sh runs all three):

    python experiments/lineages.py --runs runs/lineages --out results/lineages

writes anchors.csv (one row per anchor and run), genentech_tree.png, hybritech_tree.png, their
``*_by_year.csv``, manifest.json and README.md; ``ecosim report`` writes the counterfactual
tables into results/lineages/counterfactual/.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim import atomic, engine, lineage, lineage_figure, provenance, sweep
from ecosim.engine import Outcome, Run
from ecosim.i18n import text
from ecosim.scenario import load
from ecosim.store import RunStore

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "experiments" / "lineages.yaml"
BAY_AREA = ROOT / "scenarios" / "bay_area.yaml"
SOLD = 1986
"""The year Lilly bought Hybritech: an anchor 'alive in 1986' had not ended before it."""


def anchor_rows(runs: pd.DataFrame, scenario: str, anchor: str) -> pd.DataFrame:
    """One row per successful run: the anchor's lineage size, depth, end and whether it lived to 1986."""
    ok = runs[runs["status"] == "ok"]
    key = f"summary.anchor.{anchor}"
    end = ok[f"{key}.end_year"] if f"{key}.end_year" in ok.columns else pd.Series(np.nan, index=ok.index)

    def column(name: str) -> pd.Series:
        """A summary number of the anchor (NaN where the runs did not record it)."""
        return ok[f"{key}.{name}"] if f"{key}.{name}" in ok.columns else pd.Series(np.nan, index=ok.index)

    return pd.DataFrame(
        {
            "scenario": scenario,
            "arm": ok["arm"],
            "anchor": anchor,
            "replication": ok["replication"].astype(int),
            "lineage_size": ok[f"{key}.lineage"].astype(int),
            "lineage_depth": ok[f"{key}.depth"].astype(int),
            "end_year": end,
            "alive_1986": ok[f"{key}.lineage"].gt(0) & (end.isna() | (end >= SOLD)),
            "peak_headcount": column("peak_headcount"),
            "children_spinout": column("children_spinout"),
            "children_release": column("children_release"),
        }
    )


TREE = frozenset({"summary", "firms", "lineage"})
"""What a run hands back to draw its tree."""


def bay_area_run(replication: int, root_seed: int, until: int | None, outputs=frozenset({"summary"})) -> Run:
    """Replication ``replication`` of the Bay Area with the sweep's seed scheme."""
    seed = np.random.SeedSequence(root_seed, spawn_key=(replication,))
    return Run(load(BAY_AREA), seed, until=until, outputs=outputs, runner=sweep.ANCHOR_RUNNER)


def done(outcome: Outcome) -> Outcome:
    """The outcome of a run that must have finished."""
    if not outcome.ok:
        raise SystemExit(f"error: a run failed: {outcome.error}")
    return outcome


def replay(plan: sweep.SweepPlan, arm: str, replication: int, stored: pd.Series) -> Outcome:
    """Run one task of the sweep again (keeping its tree) and check that it is the stored run."""
    task = next(t for t in plan.tasks if t.arm.name == arm and t.replication == replication)
    run = Run(
        task.scenario,
        task.seed(),
        until=task.until,
        constants=task.run.constants,
        outputs=TREE,
        runner=sweep.ANCHOR_RUNNER,
    )
    result = done(engine.execute(run))
    for key in ("anchor_lineage", "startups_founded"):
        if result.summary[key] != stored[f"summary.{key}"]:
            raise SystemExit(
                f"error: replaying {task.run_id} gives {key} {result.summary[key]}, "
                f"the sweep stored {stored[f'summary.{key}']}: not the same run"
            )
    return result


def draw_tree(result, anchor: str, title: str, png: Path) -> dict:
    """Draw the anchor's lineage of a run; return what the README says of it."""
    tree = lineage.lineage_of(result.lineage, result.firms, lineage.find_root(result.lineage, anchor))
    lineage_figure.draw(tree, png, heading=title)
    lineage.size_by_year(tree, until=2020).to_csv(png.with_name(png.stem + "_by_year.csv"), index=False)
    return {"file": png.name, "size": tree.size, "depth": tree.depth}


def median_count(values: pd.Series) -> str:
    """A median of counts over replications: whole, or halfway between two counts (an even number
    of replications), which a format rounding half to even would show as the count below."""
    median = float(values.median())
    return f"{median:,.0f}" if median.is_integer() else f"{median:,.1f}"


def readme(anchors: pd.DataFrame, trees: dict, manifest: dict) -> str:
    """The folder's README."""
    lines = [
        "# Lineages: the Genentech and Hybritech family trees",
        "",
        f"Produced by `{manifest['command']}` at git commit `{manifest['git_commit']}` from the sweep of "
        f"`experiments/lineages.yaml` ({manifest['replications']} replications, root seed "
        f"{manifest['root_seed']}); the Bay Area runs use the same seeds. The San Diego counterfactual "
        "(each arm against history, paired by replication) is in "
        "[counterfactual/](counterfactual/README.md), written by `ecosim report`.",
        "",
        "## The anchors across replications",
        "",
        "| scenario | anchor | runs | alive in 1986 | mean lineage | largest lineage "
        "| most generations after it |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    grouped = anchors.groupby(["scenario", "anchor"], sort=False).agg(
        runs=("replication", "size"),
        alive=("alive_1986", "sum"),
        mean=("lineage_size", "mean"),
        largest=("lineage_size", "max"),
        deepest=("lineage_depth", "max"),
    )
    for (scenario, anchor), r in grouped.iterrows():
        lines.append(
            f"| {scenario} | {anchor} | {int(r.runs)} | {int(r.alive)} | {r['mean']:.1f} | "
            f"{int(r.largest)} | {int(r.deepest)} |"
        )
    lines += [
        "",
        "## What the counterfactual moves, mechanism by mechanism",
        "",
        "Medians over replications of San Diego's arms: the anchor's peak staff, its direct children "
        "by channel (employee spinouts: staff who left it to found; release: people it let go or who "
        "left its buyer, and its serial founders) and its whole lineage. The difference between arms "
        "in the direct children is the mechanism's first step; the rest of the lineage is what those "
        "children went on to found.",
        "",
        "| arm | anchor | peak staff | spinouts from it | release foundings from it | lineage | ended |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    san_diego = anchors[anchors["anchor"] == "Hybritech"]
    for (arm, anchor), part in san_diego.groupby(["arm", "anchor"], sort=False):
        ended = part["end_year"].median()
        lines.append(
            f"| {arm} | {anchor} | {median_count(part['peak_headcount'])} | "
            f"{median_count(part['children_spinout'])} | {median_count(part['children_release'])} | "
            f"{median_count(part['lineage_size'])} | "
            f"{'still operating' if pd.isna(ended) else f'{ended:.1f}'} |"
        )
    lines += ["", "## Trees", ""]
    for name, info in trees.items():
        by_year = info["file"].replace(".png", "_by_year.csv")
        size = text("lineage_size", firms=f"{info['size']:,}", generations=info["depth"])
        lines.append(
            f"- `{info['file']}`: the {name} lineage of {info['scenario']} replication "
            f"{info['replication']} ({size}), the "
            "largest of the replications: a chosen example, not a typical run (the table above "
            f"gives the spread); `{by_year}` has it year by year."
        )
    lines += [
        "",
        "Files: anchors.csv (one row per anchor and run), genentech_tree.png, hybritech_tree.png, "
        "their _by_year.csv, manifest.json; counterfactual/ (the sweep report).",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Read the sweep, draw the trees, write the folder."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", default="runs/lineages", help="the sweep of experiments/lineages.yaml")
    parser.add_argument("--out", default="results/lineages")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    started = time.monotonic()
    store = RunStore(args.runs)
    recorded = store.read_manifest()
    if recorded is None:
        raise SystemExit(
            f"error: {args.runs}: no sweep here (run `ecosim sweep {SPEC.relative_to(ROOT)} "
            f"--out {args.runs}` first)"
        )
    spec = recorded["spec"]
    plan = sweep.plan(SPEC, {"replications": spec["replications"], "until": spec["until"]})
    if sweep.spec_digest(plan.spec) != recorded["spec_digest"]:
        raise SystemExit(f"error: {args.runs} holds a sweep of another spec than {SPEC.relative_to(ROOT)}")
    runs, _ = store.load()
    hybritech = anchor_rows(runs, "san_diego", "Hybritech")
    hybritech["scenario"] = hybritech["arm"]
    replications = range(plan.spec.replications)
    bay_area = [bay_area_run(r, plan.spec.root_seed, plan.spec.until) for r in replications]
    with engine.backend(args.workers) as backend:
        outcomes = engine.run_ordered(bay_area, backend.executor)
    bay = pd.DataFrame(
        [{"replication": r, **done(o).summary} for r, o in zip(replications, outcomes, strict=True)]
    )
    bay_runs = bay.add_prefix("summary.").rename(columns={"summary.replication": "replication"})
    genentech = anchor_rows(bay_runs.assign(status="ok", arm="bay_area"), "bay_area", "Genentech")
    anchors = pd.concat([genentech, hybritech], ignore_index=True)

    best_hyb = (
        hybritech[hybritech["arm"] == plan.baseline]
        .sort_values(["lineage_size", "replication"], ascending=[False, True])
        .iloc[0]
    )
    stored = runs[(runs["arm"] == plan.baseline) & (runs["replication"] == best_hyb["replication"])].iloc[0]
    hyb_run = replay(plan, plan.baseline, int(best_hyb["replication"]), stored)
    best_gen = int(
        genentech.sort_values(["lineage_size", "replication"], ascending=[False, True]).iloc[0]["replication"]
    )
    gen_run = done(engine.execute(bay_area_run(best_gen, plan.spec.root_seed, plan.spec.until, TREE)))

    out = Path(args.out)
    with atomic.staged_dir(out) as stage:
        trees = {
            "Genentech": {
                "scenario": "bay_area",
                "replication": best_gen,
                **draw_tree(
                    gen_run,
                    "Genentech",
                    f"Genentech lineage (Bay Area, replication {best_gen})",
                    stage / "genentech_tree.png",
                ),
            },
            "Hybritech": {
                "scenario": "san_diego",
                "replication": int(best_hyb["replication"]),
                **draw_tree(
                    hyb_run,
                    "Hybritech",
                    f"Hybritech lineage (San Diego, replication {best_hyb['replication']})",
                    stage / "hybritech_tree.png",
                ),
            },
        }
        anchors.to_csv(stage / "anchors.csv", index=False)
        manifest = {
            **provenance.base_manifest(["python", "experiments/lineages.py", *(argv or sys.argv[1:])]),
            "sweep": {k: recorded.get(k) for k in ("spec_file", "spec_digest", "git_commit")},
            "replications": plan.spec.replications,
            "root_seed": plan.spec.root_seed,
            "until": plan.spec.until,
            "seeds": "replication r: numpy SeedSequence(root_seed, spawn_key=(r,)), as in the sweep",
            "scenario_hashes": {
                "bay_area": load(BAY_AREA).digest(),
                **{t.arm.name: t.scenario.digest() for t in plan.tasks if t.replication == 0},
            },
            "trees": trees,
            "seconds": round(time.monotonic() - started, 1),
        }
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(anchors, trees, manifest))
    print(
        anchors.groupby(["scenario", "anchor"], sort=False)[["lineage_size", "alive_1986"]].mean().to_string()
    )
    print(f"wrote {out}/ in {time.monotonic() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
