"""Which point should `ecosim run` use: a least-squares fit, the posterior median or the
posterior's closest particle?

The rule in force (since 7 December 2026; revised the same day after a referee's review, below):
**the incumbent stays unless a challenger clearly beats it.** The incumbent is the package default
the round began from (`--incumbent`, default src/ecosim/fitted_constants.json; after a posterior,
which installs its median, experiments/regenerate.sh passes the default committed before it), run
as is. The challengers are the candidates below. A challenger is eligible only when it lies inside
the posterior's 90% region (no more than 90% of the posterior sample's weight lies nearer the
sample's centre than it, by Mahalanobis distance in log space), and it replaces the incumbent only
when, on the held-out seeds (16 of them from :data:`HELD_OUT_FIRST`), it meets more figures by
their binding test than the incumbent **and** beats the incumbent (more figures met, the lower
objective breaking a tie) in at least 80% of 2,000 resamples of those seeds (the same resampled
seeds for both points, which share their seeds' random streams). Of several such challengers, the
one meeting the most figures wins (the objective breaking a tie). The held-out seeds are ones no
earlier replacement of the default read: when a round replaces the incumbent, the next round's
seeds start after the ones it read (a round that keeps the incumbent leaves its seeds to the next:
seeds that kept it can only have favoured it by their noise). The paragraphs below tell, in order
and each as written at its time, how the rule got there; where an earlier paragraph states another
rule, the later one replaced it.

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
--install`), and the README says which. That rule was changed four times, each change said below: the
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

Changed on 7 December 2026, after the round that installed the posterior's closest particle by the
rule above it (23 of 29 figures on seeds 101-108 against 22, 21 and 20): that choice rested on one
figure on eight seeds, and it installed a single particle outside two of the posterior's marginal
90% intervals (arrival_rate, hub_coordination). Resampling those eight seeds from runs.csv, the
particle came first of the four in 62% of resamples, the fit from the median in 23%, the fit from
the previous default in 15%: a winner, not a clear one. A referee's proposal became the rule now in
force (the first paragraph): a default changes only on evidence that survives the seeds' noise, and
only to a point where the posterior puts its weight. It was stated, and this script changed, before
it scored the candidates on any new seed, but with the scores on seeds 101-108 and their resampling
seen; it was first run on that round's own candidates (seeds 109-116 newly run) with the particle as
the incumbent, on seeds 101-116 and with eligibility read from the marginal intervals (every
constant inside its p05-p95): the particle stayed (23 of 29 against 22, 21 and 20; the challengers
won 20%, 22% and 0% of the paired resamples).

Revised the same day after a referee's review of that run, before any further round, with the scores
on seeds 109-116 seen (below) and before seeds 117-124 were run; its first run reads 109-124. Two
flaws: (1) seeds 101-108 had chosen the incumbent, so half of the rule's evidence favoured it by the
noise it was chosen on (on 109-116 alone the particle met 21 figures, the fit from the median 24 and
the fit from the previous default 23, winning 52% and 61% of the resamples: under 80%, so on those
seeds alone the particle would stay too); the rule now reads only seeds no earlier choice read,
109-124 this round. (2) Only 24% of the posterior's particles lie inside all fifteen marginal
intervals, so that test excluded most of the posterior rather than its implausible points;
eligibility is now the joint 90% region. Its claim is only that: a challenger must lie where the
posterior puts its weight; the incumbent's own depth is reported, not tested.

Usage:
    python experiments/default_point.py [--workers 2] [--out results/calibration/default_point]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import warnings
from collections.abc import Sequence
from concurrent.futures import Executor
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim import atomic, calibrate, engine, posterior, provenance
from ecosim.constants import FITTED_FILE, FREE, LEAST_SQUARES_FIT, Constants, fitted_point

ROOT = Path(__file__).resolve().parents[1]
SEEDS = 8
"""Seeds 1-8: the calibration report's (calibrate.FULL.report_seeds)."""
HELD_OUT_FIRST = 141
"""The first of the held-out seeds: no point was fitted on them, and no earlier replacement of the
default read them (seeds 101-108 chose the posterior's closest particle in the eleventh session's
round; seeds 109-124 kept it in the twelfth session's and replaced it by the least-squares fit from
the posterior's median in the fourteenth session's, 7 December 2026; seeds 125-140 kept that fit in
the seventeenth session's round, and replaced it in the eighteenth session's, whose results were lost
with its machine before they landed: read once to replace a default, they are not held out again).
Raise it past a round's seeds when that round replaces the incumbent."""
HELD_OUT_SEEDS = 16
"""How many held-out seeds the rule reads (141-156 from HELD_OUT_FIRST): with eight, the winner of
the December 2026 round won 62% of resamples; more seeds narrow what the resamples can move."""
RESAMPLES = 2000
"""Resamples of the held-out seeds (with replacement) the rule's win share counts over."""
WIN_SHARE = 0.8
"""A challenger replaces the incumbent only when it beats it in at least this share of resamples."""
REGION = 0.9
"""A challenger is eligible inside the posterior's region holding this share of its weight."""

FROM_PREVIOUS = "least-squares fit from the previous default"
"""The fourth candidate: the least-squares fit started from the previous package default."""
INCUMBENT = "package default before this round"
"""The incumbent's name when its constants are none of the candidates' (a new posterior or fit
moved them all); when they are one candidate's, the incumbent goes by that candidate's name."""


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


def incumbent(record: Path, points: dict[str, dict[str, float]], free: Sequence[str] = FREE) -> str:
    """The incumbent's name: the candidate whose constants are the package default's of ``record``
    (to the JSON's eight significant digits), else :data:`INCUMBENT`, added to ``points`` then."""
    values = fit_values(record, free)
    for name, point in points.items():
        if all(math.isclose(point[n], values[n], rel_tol=1e-6) for n in free):
            return name
    points[INCUMBENT] = values
    return INCUMBENT


def outside_posterior(point: dict[str, float], marginals: pd.DataFrame) -> list[str]:
    """The constants of ``point`` outside the posterior's marginal 90% intervals (marginals.csv's
    p05-p95): shown beside the rule, not read by it (:func:`posterior_depth` is; most of the
    posterior's own particles lie outside one interval or more)."""
    return [
        name
        for name, value in point.items()
        if not marginals.loc[name, "posterior_p05"] <= value <= marginals.loc[name, "posterior_p95"]
    ]


def posterior_depth(point: dict[str, float], sample: pd.DataFrame) -> float:
    """The share of the posterior sample's weight nearer its centre than ``point``, by Mahalanobis
    distance in log space (the sample's weighted mean and covariance; ``sample`` as
    posterior.read_sample gives it, log values and ``weight``): 0 at the centre, 1 beyond every
    particle. A challenger is eligible when it is at most :data:`REGION`."""
    names = list(point)
    logs = sample[names].to_numpy(float)
    weight = sample["weight"].to_numpy(float)
    weight = weight / weight.sum()
    centre = weight @ logs
    spread = (logs - centre).T @ ((logs - centre) * weight[:, None])
    inverse = np.linalg.pinv(spread)
    particles = np.einsum("ij,jk,ik->i", logs - centre, inverse, logs - centre)
    offset = np.log([point[n] for n in names]) - centre
    return float(weight[particles < float(offset @ inverse @ offset)].sum())


BINDING_TEST = {"end_point": "within_25pct", "history": "within_factor_1_5", "exit_timing": "within_25pct"}
"""Each series' binding test (issue 12's targets), a column of the calibration's model-vs-data table
(calibrate.TESTS): an end point within +-25%, a dated figure within a factor of 1.5, an exit timing
by its comparison (under the bound; about: within +-25%)."""


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


def met_and_objective(medians: Sequence[float], targets: Sequence[calibrate.Target]) -> tuple[int, float]:
    """The figures met by their binding test and the objective of one set of medians (one per
    target, in order): what :func:`score` reads from a model-vs-data table, without the table."""
    met = sum(
        t.met(m, *calibrate.TESTS[BINDING_TEST[t.series]]) for t, m in zip(targets, medians, strict=True)
    )
    errors = [t.log_error(m) ** 2 for t, m in zip(targets, medians, strict=True)]
    return met, float(np.nansum(errors))  # a figure no run reached adds nothing, as in score()


def beats(challenger: tuple[int, float], holder: tuple[int, float]) -> bool:
    """Whether (figures met, objective) ``challenger`` beats ``holder``: more figures met, or as
    many and a lower objective."""
    return challenger[0] > holder[0] or (challenger[0] == holder[0] and challenger[1] < holder[1])


def seed_matrix(runs: pd.DataFrame, point: str, targets: Sequence[calibrate.Target]) -> np.ndarray:
    """One point's values from runs.csv's rows: a row a target (in order), a column a seed (sorted)."""
    part = runs[runs["point"] == point].set_index(["cluster", "target", "seed"])["value"].unstack("seed")
    return part.reindex([(t.cluster, t.label) for t in targets]).sort_index(axis=1).to_numpy(float)


def win_share(
    runs: pd.DataFrame,
    targets: Sequence[calibrate.Target],
    challenger: str,
    holder: str,
    resamples: int = RESAMPLES,
    seed: int = 0,
) -> float:
    """The share of resamples of the seeds (with replacement, the same for both points) in which
    ``challenger``'s medians beat ``holder``'s (:func:`beats`)."""
    ours, theirs = seed_matrix(runs, challenger, targets), seed_matrix(runs, holder, targets)
    if ours.shape != theirs.shape:
        raise ValueError(f"{challenger} and {holder} were not run on the same seeds")
    rng = np.random.default_rng(seed)
    n = ours.shape[1]
    wins = 0
    with warnings.catch_warnings():  # a figure no run of a resample reached is a NaN median: missed
        warnings.simplefilter("ignore", RuntimeWarning)
        for _ in range(resamples):
            pick = rng.integers(0, n, n)
            wins += beats(
                met_and_objective(np.nanmedian(ours[:, pick], axis=1), targets),
                met_and_objective(np.nanmedian(theirs[:, pick], axis=1), targets),
            )
    return wins / resamples


def figures_met(scores: pd.DataFrame) -> pd.Series:
    """The binding_met column's counts ("10/29" counts as ten)."""
    return scores["binding_met"].map(lambda cell: int(str(cell).split("/")[0]))


def most_met(scores: pd.DataFrame) -> str:
    """The point that meets the most figures by their binding test, the lowest objective among
    those (one row a point, indexed by its name)."""
    ranked = pd.DataFrame({"met": figures_met(scores), "objective": scores["objective"].astype(float)})
    return str(ranked.sort_values(["met", "objective"], ascending=[False, True], kind="stable").index[0])


def judge(
    held_out: pd.DataFrame,
    runs: pd.DataFrame,
    targets: Sequence[calibrate.Target],
    points: dict[str, dict[str, float]],
    holder: str,
    marginals: pd.DataFrame,
    sample: pd.DataFrame,
) -> pd.DataFrame:
    """The held-out scores with the columns the rule reads: which point is the incumbent, each
    point's depth in the posterior (:func:`posterior_depth`) and each challenger's win share over
    the incumbent; beside them, for the reader, the constants outside their marginal 90% intervals."""
    return held_out.assign(
        incumbent=[name == holder for name in held_out.index],
        posterior_depth=[round(posterior_depth(points[name], sample), 3) for name in held_out.index],
        outside_posterior_90=[
            " ".join(outside_posterior(points[name], marginals)) for name in held_out.index
        ],
        wins_over_incumbent=[
            float("nan") if name == holder else win_share(runs, targets, name, holder)
            for name in held_out.index
        ],
    )


def incumbent_of(held_out: pd.DataFrame) -> str:
    """The incumbent's row name in the held-out scores :func:`judge` wrote."""
    return str(held_out.index[held_out["incumbent"].astype(bool)][0])


def by_the_rule(held_out: pd.DataFrame) -> str:
    """The point the rule makes the default, from the held-out scores :func:`judge` wrote: the
    incumbent, unless an eligible challenger (inside the posterior's 90% region) meets more figures
    and wins at least :data:`WIN_SHARE` of the resamples; of several, the one that meets the most
    (:func:`most_met`)."""
    holder = incumbent_of(held_out)
    met = figures_met(held_out)
    eligible = held_out["posterior_depth"].astype(float) <= REGION
    clear = held_out["wins_over_incumbent"].astype(float) >= WIN_SHARE
    replacing = held_out[eligible & clear & (met > met[holder]) & (held_out.index != holder)]
    return most_met(replacing) if len(replacing) else holder


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
    installed_now: bool = False,
) -> str:
    """The result in words and tables (``tables``: the held-out seeds' model-vs-data tables);
    ``installed_now``: the rule's point was installed by this run (--install).
    """
    installed = fitted_point()
    best = by_the_rule(held_out)
    holder = incumbent_of(held_out)
    span = f"{held_out_seeds[0]}-{held_out_seeds[-1]}"
    lines = [
        "# The package default: least-squares fit, posterior median or closest particle?",
        "",
        "Produced by `python experiments/default_point.py` (manifest.json). Every point runs on the "
        f"calibration's {tables['figure'].nunique()} figures with seeds 1-{seeds} (the calibration "
        f"report's) and with the held-out seeds {span}, which no point was fitted on; the scores "
        "are the calibration's (sum of squared log errors of the medians over seeds; end points "
        "within +-25%; dated figures within a factor of 1.5; each figure by its binding test). "
        "Points: " + "; ".join(f"{name} from `{path}`" for name, path in sources.items()) + ".",
        "",
        "## The rule",
        "",
        f"The incumbent, the {holder} (the package default this round began from), stays unless a "
        f"challenger inside the posterior's {REGION:.0%} region (its depth: the share of the "
        "posterior's weight nearer the centre, by Mahalanobis distance in log space, at most "
        f"{REGION:.2f}) meets more figures by their binding test on seeds {span}, which no earlier "
        f"replacement of the default read, and beats the incumbent in at least {WIN_SHARE:.0%} of "
        f"{RESAMPLES:,} paired resamples of those seeds (stated in the script; a share is good to "
        f"about +-{200 * (0.25 / RESAMPLES) ** 0.5:.0f} points, Monte Carlo). The constants outside "
        "their marginal 90% intervals are shown for the reader, not read by the rule:",
        "",
        *score_table(held_out, judged=True),
        "",
        f"**By the rule the default is the {best}**"
        + (
            ": no eligible challenger met more figures and won that often."
            if best == holder
            else f": it replaces the incumbent ({held_out.loc[best, 'wins_over_incumbent']:.0%} of "
            "resamples won)."
        )
        + f" The point that meets the most figures on these seeds is the {most_met(held_out)}; the "
        f"lowest objective, the rule in force until 5 December 2026, is the "
        f"{lowest_objective(held_out)}'s. "
        + (
            # An incumbent kept is installed as its own record, which names the fit it came from.
            f"This run installed it as the package default (src/ecosim/fitted_constants.json, a {installed})."
            if installed_now
            else f"The package default (src/ecosim/fitted_constants.json) is the {installed}."
            + ("" if best == installed else " It is not the rule's point: install it.")
        ),
        "",
        f"Model median over the figure on seeds {span}, by figure:",
        "",
    ]
    wide = tables.pivot_table(index="figure", columns="point", values="model_over_figure", sort=False)
    lines.append("| figure | " + " | ".join(wide.columns) + " |")
    lines.append("| --- |" + " ---: |" * len(wide.columns))
    for figure, row in wide.iterrows():
        lines.append(f"| {figure} | " + " | ".join(f"{v:.2f}" for v in row) + " |")
    lines += [
        "",
        f"## On seeds 1-{seeds}",
        "",
        f"They include the least-squares fits' own seeds 1-3: reported beside the rule, not read by "
        f"it. There the {most_met(scores)} meets the most figures by their binding test and the "
        f"{lowest_objective(scores)} scores the lowest objective.",
        "",
        *score_table(scores),
        "",
        f"Files: scores.csv and model_vs_data.csv (seeds 1-{seeds}), scores_held_out.csv (with the "
        "columns the rule reads) and model_vs_data_held_out.csv (seeds "
        f"{span}), runs.csv (every run's value, one row per point, cluster, figure and seed of both "
        "sets: the seeds the scores rest on can be resampled from it), manifest.json.",
        "",
    ]
    return "\n".join(lines)


def score_table(scores: pd.DataFrame, judged: bool = False) -> list[str]:
    """The README's table of the points' scores (one row a point); ``judged``: with the columns
    the rule reads (:func:`judge`)."""
    head = (
        "| point | met by the binding test | objective | within 25% | end points within 25% | within x1.5 |"
    )
    rule = "| --- | ---: | ---: | ---: | ---: | ---: |"
    if judged:
        head += " resamples won over the incumbent | depth in the posterior | outside a marginal 90% |"
        rule += " ---: | ---: | --- |"
    lines = [head, rule]
    for name, row in scores.iterrows():
        line = (
            f"| {name} | {row['binding_met']} | {row['objective']:.3f} | {row['within_25pct']} | "
            f"{row['end_points_within_25pct']} | {row['within_factor_1_5']} |"
        )
        if judged:
            won = "incumbent" if row["incumbent"] else f"{row['wins_over_incumbent']:.0%}"
            outside = row["outside_posterior_90"] if isinstance(row["outside_posterior_90"], str) else ""
            line += f" {won} | {row['posterior_depth']:.2f} | {outside or 'none'} |"
        lines.append(line)
    return lines


def score_points(
    points: dict[str, dict[str, float]],
    targets: list[calibrate.Target],
    seeds: list[int],
    executor: Executor | None,
    scenario_dir: Path = ROOT / "scenarios",
) -> tuple[dict[str, dict[str, object]], list[pd.DataFrame], pd.DataFrame]:
    """Run every point on the figures with ``seeds`` and the scenario files of ``scenario_dir``:
    each point's scores, its model-vs-data table (the figure's value in ``target``, its name in
    ``figure``), and every run's value (one row per point, cluster, seed and figure), so that a
    reader can resample the seeds the scores rest on."""
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
                figure=[f"{t.cluster} {t.label}" for t in targets],
                comparison=[t.comparison for t in targets],
                model_over_figure=table["model_median"] / table["target"],
            )
        )
        values_by_seed.append(runs.assign(point=name))
        print(f"{name}, seeds {seeds[0]}-{seeds[-1]}: {scores[name]}", file=sys.stderr)
    per_seed = pd.concat(values_by_seed, ignore_index=True)
    return scores, tables, per_seed[["point", "cluster", "target", "seed", "value", "stopped_at"]]


def install(
    best: str,
    fit_file: Path,
    particles: Path,
    target: Path = FITTED_FILE,
    previous_fit: Path | None = None,
    holder: tuple[str, Path] | None = None,
) -> None:
    """Make ``best`` the package default (``target``): the incumbent's record as it was when
    ``holder`` (its name and record) names it, the least-squares fit's record as ``ecosim
    calibrate --install`` writes it (the fit from the previous default's with its name as its
    ``point``), or a posterior's point as ``ecosim posterior --install-from`` does."""
    if holder is not None and best == holder[0]:
        atomic.write_json(target, json.loads(holder[1].read_text(encoding="utf-8")))
        return
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
    """Run the points and write the comparison."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=SEEDS, help=f"seeds 1-N (default {SEEDS})")
    parser.add_argument(
        "--held-out-seeds",
        type=int,
        default=HELD_OUT_SEEDS,
        help=f"held-out seeds {HELD_OUT_FIRST}-... (default {HELD_OUT_SEEDS}), the ones the rule reads",
    )
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
    parser.add_argument(
        "--incumbent",
        type=Path,
        default=FITTED_FILE,
        help="the package default this round began from (default: the installed one)",
    )
    parser.add_argument("--particles", type=Path, default=ROOT / "results" / "posterior" / "particles.csv")
    parser.add_argument("--out", type=Path, default=ROOT / "results" / "calibration" / "default_point")
    parser.add_argument(
        "--install",
        action="store_true",
        help="also make the rule's point (the incumbent unless a challenger clearly beats it) the default",
    )
    args = parser.parse_args()
    made_at = provenance.base_manifest(["python", *sys.argv])  # the tree the runs see, before --install
    points = candidates(args.fit, args.particles, args.previous_fit)
    holder = incumbent(args.incumbent, points)
    marginals = pd.read_csv(args.particles.parent / "marginals.csv").set_index("constant")
    sample = posterior.read_sample(args.particles, FREE)
    targets = calibrate.targets_for(args.clusters)
    seeds = list(range(1, args.seeds + 1))
    held_out_seeds = list(range(HELD_OUT_FIRST, HELD_OUT_FIRST + args.held_out_seeds))
    with engine.backend(args.workers) as backend:
        rows, tables, runs = score_points(points, targets, seeds, backend.executor)
        held_out, held_tables, held_runs = score_points(points, targets, held_out_seeds, backend.executor)
    scores = pd.DataFrame(rows).T
    held = judge(pd.DataFrame(held_out).T, held_runs, targets, points, holder, marginals, sample)
    if args.install:  # before the README, which names the installed point
        install(
            by_the_rule(held),
            args.fit,
            args.particles,
            previous_fit=args.previous_fit,
            holder=(holder, args.incumbent),
        )
    sources = {LEAST_SQUARES_FIT: str(args.fit.resolve().relative_to(ROOT))} | {
        label: str(args.particles.resolve().relative_to(ROOT)) for _, label in posterior.POINTS.values()
    }
    if FROM_PREVIOUS in points:
        sources[FROM_PREVIOUS] = str(args.previous_fit.resolve().relative_to(ROOT))
    if INCUMBENT in points:
        sources[INCUMBENT] = str(args.incumbent.resolve().relative_to(ROOT))
    held_table = pd.concat(held_tables, ignore_index=True)
    with atomic.staged_dir(args.out) as stage:
        scores.rename_axis("point").to_csv(stage / "scores.csv")
        held.rename_axis("point").to_csv(stage / "scores_held_out.csv")
        pd.concat(tables, ignore_index=True).to_csv(stage / "model_vs_data.csv", index=False)
        held_table.to_csv(stage / "model_vs_data_held_out.csv", index=False)
        pd.concat([runs, held_runs], ignore_index=True).to_csv(stage / "runs.csv", index=False)
        atomic.write_text(
            stage / "README.md",
            readme(scores, held_table, sources, len(seeds), held, held_out_seeds, args.install),
        )
        atomic.write_json(
            stage / "manifest.json",
            {
                **made_at,
                "seeds": seeds,
                "held_out_seeds": held_out_seeds,
                "resamples": RESAMPLES,
                "win_share": WIN_SHARE,
                "incumbent": holder,
                "rule_chooses": by_the_rule(held),
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
