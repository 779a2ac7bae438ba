"""Which point should `ecosim run` use: a least-squares fit, the posterior median or the
posterior's closest particle?

The rule in force (since 5 December 2026): the point that meets the most calibration figures by
their binding test on the held-out seeds 101-108 becomes the package default, the objective
breaking a tie. The paragraphs below tell, in order and each as written at its time, how the rule
got there; where an earlier paragraph states another rule, the later one replaced it.

The package default is one documented point of the free constants (issue 13). Three candidates
(a fourth since December 2026, below):
the least-squares fit of `ecosim calibrate` (results/calibration/fitted_constants.json, fitted on
seeds 1-3; a constant freed after that fit keeps the hand-set value the fit ran with, its
`Constants` default), each constant's posterior median from `ecosim posterior`
(results/posterior/particles.csv), and the posterior's particle closest to the figures (the
posterior sample's smallest distance on the emulator; the sample is posterior.final's
generation). All are run on the calibration's figures with the
calibration report's seeds (1-8), and scored as the calibration scores a point: the sum of squared
log errors of the medians over seeds, the end points within +-25% and the dated figures within a
factor of 1.5.

Stated before running (any can come out ahead): the least-squares fit minimises the objective on
seeds 1-3, so on seeds 1-8 it should score about as well as any point; the posterior median is a
central point of a distribution, not an optimum, and with a correlated posterior it can sit where
no particle is; the closest particle is one joint point of the posterior, picked on the emulator
(whose draws carry the seeds' noise), so its real runs may score worse than its distance says. The
point with the lowest objective on seeds 1-8 was to become the package default (`ecosim posterior
--install-from results/posterior --point median|closest`, or the fit with `ecosim calibrate
--install`), and the README says which. That rule was changed twice, each change said below: the
held-out seeds since early December 2026, and since 5 December 2026, set after the candidates'
scores had been seen, the point that meets the most figures by their binding test on the held-out
seeds (the objective breaking a tie).

Added after the first run on the refit's posterior (where the least-squares fit came out ahead):
the same scores on held-out seeds (101-108), which no point was fitted on, since seeds 1-8
include the fit's own 1-3. They are reported beside the rule, not part of it.

Added after a regeneration (the anchors' documented staff, December 2026) whose posterior had an
effective sample size of 9 in its last generation and whose median lay far from the previous
default (objective 6.76 against the previous default's 4.53 on the new model), so that the
least-squares fit from it landed in another region of the constants (ipo_rate_year 1.32 -> 0.16 a
year): a fourth candidate, the least-squares fit started from the previous package default (the
committed src/ecosim/fitted_constants.json the regeneration began from;
results/calibration/from_previous_default, when experiments/regenerate.sh's calibration stage has
written it). A local fit depends on where it starts; the rule is unchanged (the lowest objective
on seeds 1-8 becomes the default), and this candidate was added before its fit ran.

Changed before the regeneration on the anchors' movers (December 2026), after the one before it
installed the least-squares fit on seeds 1-8 (objective 4.47) while on the held-out seeds it scored
5.64 against the closest particle's 5.01: **the rule now scores on the held-out seeds** (the lowest
objective on seeds 101-108 becomes the default). Seeds 1-8 include the least-squares fits' own
1-3, so on them a fit is favoured by the noise it was fitted to; a point chosen for the package
should be the one that does best on runs nobody fitted. The seeds 1-8 scores stay reported beside
the rule.

Changed after the regeneration on the national markets for listings (5 December 2026), in which the
lowest objective on the held-out seeds (4.133) chose the least-squares fit from the posterior's
median over the fit from the previous default (4.257), although on those seeds the first met 10 of
the 13 end points within +-25% and the second 12 (and on seeds 1-8 the first met 4 of the 6 exit
timing figures, a median IPO under 6 years in Boston alone, the second all 6):
**the rule now counts the figures each point meets by their binding test** (issue 12's targets:
an end point within +-25%, a dated figure within a factor of 1.5, an exit timing by its comparison,
a median under the bound for the IPO and within +-25% of about nine years for the acquisition, which
puts acquisitions after IPOs) on the held-out seeds, and the point that meets the most becomes the
default; the objective breaks a tie. The objective sums squared log errors, so a point can lower it
by coming closer to figures it already misses while missing more of them; the issue's targets bind
as figures met. This change was made after seeing both points' scores and, in a probe run outside
results/ at the previous default's commit, both points' out-of-sample dated figures: the chosen
point's out-of-sample scores are not a clean test of the rule. The lowest objective, the rule
before, stays reported beside it.

Usage:
    python experiments/default_point.py [--workers 2] [--out results/calibration/default_point]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

import pandas as pd

from ecosim import atomic, calibrate, engine, posterior, provenance
from ecosim.constants import FITTED_FILE, FREE, LEAST_SQUARES_FIT, Constants, fitted_point

ROOT = Path(__file__).resolve().parents[1]
SEEDS = 8
"""Seeds 1-8: the calibration report's (calibrate.FULL.report_seeds)."""
HELD_OUT_FIRST = 101
"""The first of the held-out seeds (101-108 with the default --seeds): no point was fitted on them."""


FROM_PREVIOUS = "least-squares fit from the previous default"
"""The fourth candidate: the least-squares fit started from the previous package default."""


def fit_values(fit_file: Path, free: Sequence[str] = FREE) -> dict[str, float]:
    """A least-squares fit's constants of ``free`` (a constant freed after it keeps its hand-set value)."""
    fit = json.loads(fit_file.read_text(encoding="utf-8"))["constants"]
    hand_set = Constants()
    return {name: float(fit.get(name, getattr(hand_set, name))) for name in free}


def candidates(
    fit_file: Path, particles: Path, previous_fit: Path | None = None, free: Sequence[str] = FREE
) -> dict[str, dict[str, float]]:
    """The points (their constants of ``free``, those a refit of another model moves when it holds
    some of FREE: calibrate.Space): the least-squares fit, the posterior median, the closest
    particle and, when ``previous_fit`` exists, the least-squares fit from the previous default."""
    sample = posterior.read_sample(particles, free)
    points = {
        LEAST_SQUARES_FIT: fit_values(fit_file, free),
        **{label: read(sample, free) for read, label in posterior.POINTS.values()},
    }
    if previous_fit is not None and previous_fit.exists():
        points[FROM_PREVIOUS] = fit_values(previous_fit, free)
    return points


BINDING_TEST = {"end_point": "within_25pct", "history": "within_factor_1_5", "exit_timing": "within_25pct"}
"""Each series' binding test (issue 12's targets), a column of the calibration's model-vs-data table:
an end point within +-25%, a dated figure within a factor of 1.5, an exit timing by its comparison
(under the bound; about: within +-25%)."""


def binding_met(table: pd.DataFrame) -> str:
    """How many of the figures meet their series' binding test (:data:`BINDING_TEST`), as "k/n"."""
    met = [bool(row[BINDING_TEST[row["series"]]]) for _, row in table.iterrows()]
    return f"{sum(met)}/{len(met)}"


def score(table: pd.DataFrame) -> dict[str, object]:
    """The calibration's scores of one point's model-vs-data table, and the figures met by their
    binding test."""
    return {
        "binding_met": binding_met(table),
        "objective": round(float((table["log_error"] ** 2).sum()), 3),
        "within_25pct": f"{int(table['within_25pct'].sum())}/{len(table)}",
        "end_points_within_25pct": calibrate.within(table, "end_point", "within_25pct"),
        "within_factor_1_5": f"{int(table['within_factor_1_5'].sum())}/{len(table)}",
    }


def by_the_rule(held_out: pd.DataFrame) -> str:
    """The point the rule makes the default: the most figures met by their binding test on the
    held-out seeds, the lowest objective among those (one row a point, indexed by its name)."""
    met = held_out["binding_met"].map(lambda cell: int(str(cell).split("/")[0]))
    ranked = pd.DataFrame({"met": met, "objective": held_out["objective"].astype(float)})
    return str(ranked.sort_values(["met", "objective"], ascending=[False, True], kind="stable").index[0])


def lowest_objective(scores: pd.DataFrame) -> str:
    """The point with the lowest objective (the rule in force until 5 December 2026)."""
    return str(scores["objective"].astype(float).idxmin())


def readme(
    scores: pd.DataFrame,
    tables: pd.DataFrame,
    sources: dict[str, str],
    seeds: int,
    held_out: pd.DataFrame,
    held_out_seeds: list[int],
) -> str:
    """The result in words and tables."""
    installed = fitted_point()
    best = by_the_rule(held_out)
    lines = [
        "# The package default: least-squares fit, posterior median or closest particle?",
        "",
        "Produced by `python experiments/default_point.py` (manifest.json). Every point runs on the "
        f"calibration's {tables['target'].nunique()} figures with seeds 1-{seeds} (the calibration "
        "report's: 1-8); the scores are the calibration's (sum of squared log errors of the "
        "medians over seeds; end points within +-25%; dated figures within a factor of 1.5). Points: "
        + "; ".join(f"{name} from `{path}`" for name, path in sources.items())
        + ".",
        "",
        *score_table(scores),
    ]
    wide = tables.pivot_table(index="target", columns="point", values="model_over_figure", sort=False)
    lines += [
        "",
        "Model median over the figure, by figure:",
        "",
        "| figure | " + " | ".join(wide.columns) + " |",
    ]
    lines.append("| --- |" + " ---: |" * len(wide.columns))
    for figure, row in wide.iterrows():
        lines.append(f"| {figure} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    lines += [
        "",
        "## Reading",
        "",
        f"On seeds 1-{seeds} the {by_the_rule(scores)} meets the most figures by their binding test "
        f"and the {lowest_objective(scores)} scores the lowest objective; they include the "
        "least-squares fits' own seeds 1-3. The rule (stated in the script) scores the points on "
        f"seeds {held_out_seeds[0]}-{held_out_seeds[-1]}, which no point was fitted on:",
        "",
        *score_table(held_out),
        "",
        f"On the held-out seeds the {best} meets the most figures by their binding test (the "
        "objective breaks a tie): by the rule it is the default. The lowest objective there, the "
        f"rule in force until 5 December 2026, is the {lowest_objective(held_out)}'s. The package "
        f"default (src/ecosim/fitted_constants.json) is the {installed}."
        + ("" if best == installed else " It is not the best point: install the best one."),
        "",
        "Files: scores.csv and model_vs_data.csv (seeds 1-"
        f"{seeds}), scores_held_out.csv and model_vs_data_held_out.csv (seeds {held_out_seeds[0]}-"
        f"{held_out_seeds[-1]}, the ones the rule reads), runs.csv (every run's value, one row per "
        "point, cluster, figure and seed of both sets: the seeds the scores rest on can be "
        "resampled from it), manifest.json.",
        "",
    ]
    return "\n".join(lines)


def score_table(scores: pd.DataFrame) -> list[str]:
    """The README's table of the points' scores (one row a point)."""
    return [
        "| point | met by the binding test | objective | within 25% | end points within 25% | within x1.5 |",
        "| --- | ---: | ---: | ---: | ---: | ---: |",
        *(
            f"| {name} | {row['binding_met']} | {row['objective']:.3f} | {row['within_25pct']} | "
            f"{row['end_points_within_25pct']} | {row['within_factor_1_5']} |"
            for name, row in scores.iterrows()
        ),
    ]


def score_points(
    points: dict[str, dict[str, float]],
    targets: list[calibrate.Target],
    seeds: list[int],
    executor: Executor | None,
    scenario_dir: Path = ROOT / "scenarios",
) -> tuple[dict[str, dict[str, object]], list[pd.DataFrame], pd.DataFrame]:
    """Run every point on the figures with ``seeds`` and the scenario files of ``scenario_dir``:
    each point's scores, its model-vs-data table, and every run's value (one row per point,
    cluster, seed and figure), so that a reader can resample the seeds the scores rest on."""
    evaluator = calibrate.Evaluator(
        targets=targets, seeds=seeds, scenario_dir=scenario_dir, executor=executor
    )
    scores, tables, values_by_seed = {}, [], []
    for name, values in points.items():
        runs = evaluator.runs(calibrate.with_values(Constants(), values))
        table = calibrate.model_vs_data(runs, targets, len(seeds))
        scores[name] = score(table)
        tables.append(
            table.assign(
                point=name,
                target=[f"{t.cluster} {t.label}" for t in targets],
                model_over_figure=table["model_median"] / table["target"],
            )
        )
        values_by_seed.append(runs.assign(point=name))
        print(f"{name}, seeds {seeds[0]}-{seeds[-1]}: {scores[name]}", file=sys.stderr)
    per_seed = pd.concat(values_by_seed, ignore_index=True)
    return scores, tables, per_seed[["point", "cluster", "target", "seed", "value", "stopped_at"]]


def install(
    best: str, fit_file: Path, particles: Path, target: Path = FITTED_FILE, previous_fit: Path | None = None
) -> None:
    """Make ``best`` the package default (``target``): the least-squares fit's record as ``ecosim
    calibrate --install`` writes it (the fit from the previous default's with its name as its
    ``point``), or a posterior's point as ``ecosim posterior --install-from`` does."""
    if best == LEAST_SQUARES_FIT:
        atomic.write_json(target, json.loads(fit_file.read_text(encoding="utf-8")))
        return
    if best == FROM_PREVIOUS:
        assert previous_fit is not None
        record = json.loads(previous_fit.read_text(encoding="utf-8"))
        atomic.write_json(target, {**record, "point": FROM_PREVIOUS})
        return
    point = next(key for key, (_, label) in posterior.POINTS.items() if label == best)
    folder = os.path.relpath(particles.parent)  # recorded as typed: results/posterior from the root
    posterior.install(folder, target=target, command=["python", *sys.argv], point=point)


def main() -> int:
    """Run both points and write the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"seeds 1-N (default {SEEDS})")
    parser.add_argument(
        "--clusters", nargs="*", default=[], help="only these clusters' figures (default all)"
    )
    parser.add_argument(
        "--fit", type=Path, default=ROOT / "results" / "calibration" / "fitted_constants.json"
    )
    parser.add_argument(
        "--previous-fit",
        type=Path,
        default=ROOT / "results" / "calibration" / "from_previous_default" / "fitted_constants.json",
        help="the least-squares fit from the previous default (a candidate when it exists)",
    )
    parser.add_argument("--particles", type=Path, default=ROOT / "results" / "posterior" / "particles.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "calibration" / "default_point")
    parser.add_argument(
        "--install",
        action="store_true",
        help="also make the best point (the rule: most figures met on held-out seeds) the package default",
    )
    args = parser.parse_args()
    made_at = provenance.base_manifest(["python", *sys.argv])  # the tree the runs see, before --install
    points = candidates(args.fit, args.particles, args.previous_fit)
    targets = calibrate.targets_for(args.clusters)
    seeds = list(range(1, args.seeds + 1))
    held_out_seeds = list(range(HELD_OUT_FIRST, HELD_OUT_FIRST + args.seeds))
    with engine.backend(args.workers) as backend:
        rows, tables, runs = score_points(points, targets, seeds, backend.executor)
        held_out, held_tables, held_runs = score_points(points, targets, held_out_seeds, backend.executor)
    scores = pd.DataFrame(rows).T
    held = pd.DataFrame(held_out).T
    both = pd.concat(tables, ignore_index=True)
    if args.install:  # before the README, which names the installed point
        best = by_the_rule(held)
        install(best, args.fit, args.particles, previous_fit=args.previous_fit)
    sources = {LEAST_SQUARES_FIT: str(args.fit.resolve().relative_to(ROOT))} | {
        label: str(args.particles.resolve().relative_to(ROOT)) for _, label in posterior.POINTS.values()
    }
    if FROM_PREVIOUS in points:
        sources[FROM_PREVIOUS] = str(args.previous_fit.resolve().relative_to(ROOT))
    with atomic.staged_dir(args.out) as stage:
        scores.rename_axis("point").to_csv(stage / "scores.csv")
        held.rename_axis("point").to_csv(stage / "scores_held_out.csv")
        both.to_csv(stage / "model_vs_data.csv", index=False)
        pd.concat(held_tables, ignore_index=True).to_csv(stage / "model_vs_data_held_out.csv", index=False)
        pd.concat([runs, held_runs], ignore_index=True).to_csv(stage / "runs.csv", index=False)
        atomic.write_text(
            stage / "README.md", readme(scores, both, sources, len(seeds), held, held_out_seeds)
        )
        atomic.write_json(
            stage / "manifest.json",
            {
                **made_at,
                "seeds": seeds,
                "held_out_seeds": held_out_seeds,
                "points": points,
                "scenarios": calibrate.scenario_digests(
                    sorted({t.cluster for t in targets}), ROOT / "scenarios"
                ),
                "sources": sources,
            },
        )
    print(
        f"wrote {args.out}" + (f"; installed the {fitted_point()}" if args.install else ""), file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
