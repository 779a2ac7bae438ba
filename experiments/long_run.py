"""Growth and its limits: Greater Tokyo run to 2100 -> results/long_run/.

    python experiments/long_run.py [--seeds 3] [--until 2100] [--out results/long_run]

On 12cc608 the firm population grew without limit (Greater Tokyo ~40,000 active firms by 2100,
1.3 GB, 4.5 min a run). People, capital and the pull of a cluster bound a real one: the labour
market (graduates, people moving in, people leaving the industry), outside investors' finite
money, VC partners' deal capacity and an outsider's saturating view of the cluster. This
experiment runs Greater Tokyo to 2100 with the package's constants and records firms, employment
and the labour pool a year, the run's time and its peak memory, so a reader can see whether the
population settles. The README's title and its account of what bounds growth follow the run: the
ceiling the region's own graduates sustain binds only while employment stays under it (bounds).
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from pathlib import Path

import pandas as pd

from ecosim import atomic, provenance
from ecosim.model import BioclusterModel
from ecosim.plots import save_png, subplots, yearly
from ecosim.scenario import load

ROOT = Path(__file__).resolve().parents[1]
SCENARIO = ROOT / "scenarios" / "greater_tokyo.yaml"
SHOWN = ("firms_active", "startups_active", "employment", "employment_ceiling", "labour_pool")
"""Columns of the README's table, by decade."""


def one_run(seed: int, until: int) -> tuple[pd.DataFrame, float]:
    """Yearly firms, employment, labour pool and employment ceiling of one seed, and its wall time
    in seconds.

    The ceiling is the employment the region's own graduates sustain: people leave the industry
    at ``labour_exit_rate_year`` and move in at ``migration_rate_year`` of employment, so once
    the pool is empty employment E changes by G - (exit - migration) E a year and approaches
    G / (exit - migration) (mechanisms/labour.py) when no post draws movers; the movers that open
    posts draw (``movers_per_unfilled_post``, fitted, times the scenario's ``labour_mobility``)
    lift it. Firms arriving from outside bring staff of
    their own and academic founders are not drawn from the pool, so employment can stand a
    little above it.
    """
    scenario = load(SCENARIO, overrides={"end_year": until})
    start = time.perf_counter()
    model = BioclusterModel(scenario, rng=seed)
    c = model.constants
    # The starting stock of graduates (model.build_world) is not a year's flow.
    yearly_pool, graduated = [], model.labour.graduated_total
    while model.running:
        model.step()
        if model.steps % 12 == 0:
            graduates = model.labour.graduated_total - graduated
            graduated = model.labour.graduated_total
            ceiling = graduates / (c.labour_exit_rate_year - c.migration_rate_year)
            yearly_pool.append((int(model.year), model.labour.people, graduates, ceiling))
    seconds = time.perf_counter() - start
    table = yearly(model.datacollector.get_model_vars_dataframe())
    table = table[["firms_active", "startups_active", "employment", "startups_founded"]].copy()
    flows = pd.DataFrame(yearly_pool, columns=["year", "labour_pool", "graduates", "employment_ceiling"])
    table = table.join(flows.set_index("year"))
    return table.assign(seed=seed), seconds


CEILING = (
    "the region's graduates a year over the net rate at which people leave the industry (exits less "
    "the usual movers; mechanisms/labour.py)"
)
"""What the employment ceiling is (by_year.csv's employment_ceiling)."""


def bounds(reach: float) -> tuple[str, str]:
    """The README's title and its account of what bounds growth, by where employment ended against
    the ceiling its graduates sustain (``reach``, employment over the ceiling at the run's end)."""
    if reach <= 1.0:
        return "Growth that meets limits", (
            f"What bounds it: employment approaches a ceiling, {CEILING}, with a time constant of "
            "1 / (exit - migration) years (firms arriving from outside bring a few staff of their own "
            "on top); firms follow the people."
        )
    return "Growth past its graduates' ceiling", (
        f"What bounds it: not the ceiling its own graduates sustain ({CEILING}), which employment "
        "has passed: the posts the region cannot fill draw people from elsewhere "
        "(`movers_per_unfilled_post`, times the scenario's `labour_mobility`), so people follow the "
        "jobs and employment grows as fast as "
        "the firms' money and markets open posts, the labour pool staying near empty."
    )


def growth_per_year(frame: pd.DataFrame, column: str, years: int = 10) -> float:
    """Median over seeds of the yearly growth rate of ``column`` over the run's last ``years``
    years (or all of a shorter run)."""
    last = int(frame["year"].max())
    first = max(last - years, int(frame["year"].min()))
    wide = frame.pivot(index="year", columns="seed", values=column)
    rate = (wide.loc[last] / wide.loc[first]) ** (1.0 / max(1, last - first)) - 1.0
    return float(rate.median())


def markdown(table: pd.DataFrame) -> list[str]:
    """A table as Markdown lines (index first)."""
    head = [table.index.name or "", *table.columns]
    rows = [
        [str(i), *(f"{v:,.0f}" for v in row)] for i, row in zip(table.index, table.to_numpy(), strict=True)
    ]
    return [
        "| " + " | ".join(head) + " |",
        "|" + " --- |" * len(head),
        *("| " + " | ".join(r) + " |" for r in rows),
    ]


def main() -> int:
    """Run the seeds one after another (to measure each run's time and the process's memory)."""
    parser = argparse.ArgumentParser(description="Greater Tokyo to 2100: does growth settle?")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--until", type=int, default=2100)
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "long_run")
    args = parser.parse_args()
    tables, seconds = [], []
    for seed in range(1, args.seeds + 1):
        table, took = one_run(seed, args.until)
        tables.append(table)
        seconds.append(took)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    frame = pd.concat(tables).rename_axis("year").reset_index()
    by_decade = frame[frame["year"] % 10 == 0].groupby("year")[list(SHOWN)].median().round(0)
    firm_growth = growth_per_year(frame, "firms_active")
    job_growth = growth_per_year(frame, "employment")
    end = frame[frame["year"] == args.until]
    reach = float((end["employment"] / end["employment_ceiling"]).median())
    per_thousand = float((1000 * end["firms_active"] / end["employment"]).median())
    fig, (left, right) = subplots(1, 2, figsize=(12, 4.2))
    series = (
        (left, "firms_active", "#1f77b4", "active firms"),
        (right, "employment", "#d62728", "employment"),
        (right, "employment_ceiling", "#ff9896", "employment ceiling (graduates / net exit rate)"),
        (right, "labour_pool", "#7f7f7f", "labour pool"),
    )
    for seed, part in frame.groupby("seed"):
        for ax, column, color, label in series:
            ax.plot(part["year"], part[column], color=color, alpha=0.7, label=label if seed == 1 else None)
    left.set_title("Greater Tokyo: active firms (one line a seed)")
    right.set_title("Greater Tokyo: employment and the labour pool (one line a seed)")
    left.set_ylabel("firms")
    right.set_ylabel("people")
    for ax in (left, right):
        ax.set_xlabel("year")
    # Off the lines: the firms rise to the right (upper left is free), the ceiling runs along the
    # right panel's top and the pool along its bottom (its legend goes under the plot).
    left.legend(frameon=False, loc="upper left")
    right.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=3)
    fig.tight_layout()
    title, bound = bounds(reach)
    lines = [
        f"# {title}: Greater Tokyo to {args.until}",
        "",
        f"Produced by `python experiments/long_run.py --seeds {args.seeds} --until {args.until}` with the "
        "package's constants; medians over seeds at each decade:",
        "",
        *markdown(by_decade),
        "",
        f"Wall time a run: {', '.join(f'{s:.0f} s' for s in seconds)}; peak memory of the process "
        f"{peak_mb:.0f} MB.",
        "",
        f"Over the last ten years of the run (to {args.until}) active firms grew {firm_growth:.1%} a year "
        "and "
        f"employment {job_growth:.1%} a year (medians over seeds); employment stood at "
        f"{reach:.0%} of its ceiling, with {per_thousand:.0f} active firms per 1,000 jobs.",
        "",
        bound + " Founding teams are people who "
        "leave their employer, and people released by a firm found only if still looking for a job "
        "when they are ready, with odds set by the region's monthly job-finding rate: when firms "
        "cannot fill their posts the released are hired instead (mechanisms/founding.py). Outside "
        "money and VC partners' deal capacity are finite (mechanisms/funding.py, agents/vc.py); "
        "an outsider's view of the cluster saturates (BioclusterModel.visible_mass).",
        "",
        "Files: `by_year.csv`, `long_run.png`, `manifest.json`.",
    ]
    with atomic.staged_dir(args.out) as stage:
        frame.to_csv(stage / "by_year.csv", index=False)
        save_png(fig, stage / "long_run.png", dpi=110)
        (stage / "README.md").write_text("\n".join(lines) + "\n")
        atomic.write_json(
            stage / "manifest.json",
            {
                **provenance.base_manifest(["python", *sys.argv]),
                "seeds": list(range(1, args.seeds + 1)),
                "scenarios": {"greater_tokyo": load(SCENARIO).digest()},
                "seconds_per_run": [round(s, 1) for s in seconds],
                "peak_memory_mb": round(peak_mb, 1),
            },
        )
    print(by_decade.to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
