"""Likelihood-free inference of the free constants on the history patterns (ABC-SMC, pyabc).

The point fit (:mod:`ecosim.calibrate`) says where the constants fit best; this module says how
well the figures pin them down. It treats the model as a simulator of the calibration figures
and asks which constants could have produced them: approximate Bayesian computation by
sequential Monte Carlo (ABC-SMC, Toni et al. 2009), as the pyabc library implements it
(Schälte et al. 2022, Bioinformatics 38(20):4812).

Why pyabc's ABC-SMC and not ELFI's BOLFI: the simulator is cheap enough (about 15 CPU-seconds for
the seven clusters) for a few hundred simulations, and ABC-SMC needs no surrogate of a noisy
ten-dimensional discrepancy, which BOLFI's Gaussian process would have to learn first; pyabc is
pure Python (ELFI's BOLFI needs GPy, compiled), is kept up to date, keeps every generation in a
database, and, sampled in one process, is deterministic for a given numpy seed, so the inference
is reproducible and resumes by replay (below).

The set-up:

* **Parameters**: the free constants (``constants.FREE``), in log space.
* **Prior**: uniform in log on the fit's box (``calibrate.BOUNDS``), the same box the point fit
  searches: the figures, not the prior, decide.
* **Data**: the calibration figures only (role ``fit``: the source document's end points and the
  US clusters' figures dated up to 2000). The figures dated 2001-2018 and the source's other
  figures stay out of sample, as in the fit: the posterior predictive reports them.
* **Simulation**: one run of every target cluster with one seed, the seed a function of the
  particle (``particle_seed``), so that the model's noise is part of the likelihood and the same
  particle always gives the same figures.
* **Distance**: the Euclidean norm of the log errors log(model / figure), the square root of the
  point fit's objective (on one seed rather than a median of several, so larger).
* **Tolerance**: each generation's median distance (pyabc's MedianEpsilon), the first
  generation drawn from the prior.

Runs go through the experiment engine (the clusters of a particle in parallel) and each finished
run is kept in a run store. pyabc samples in this process, so with the same numpy seed it asks
for the same particles in the same order: a killed inference started again replays from the
store (its database is rebuilt) and goes on from where it stopped.

The posterior predictive draws particles from the last generation by weight and runs each with a
new seed (seeds neither the inference nor the fit used), on every figure of the clusters: the
calibration figures (in sample) and the later and other figures (out of sample).
"""

from __future__ import annotations

import hashlib
import logging
import math
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecosim import atomic, calibrate, engine, plots, provenance
from ecosim.calibrate import BOUNDS, METRICS, Evaluator, Target
from ecosim.constants import FREE, Constants, fitted
from ecosim.progress import ProgressBar
from ecosim.store import RunStore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PARTICLE_SEEDS = 1_000_000
"""Seeds of the inference's simulations start here: far from the fit's (1..5), its report's
(1..8) and the leave-one-out refits' seeds."""
PREDICTIVE_SEEDS = 3_000_000
"""Seeds of the posterior predictive's runs start here (never used by the inference or the fit)."""
QUICK_CLUSTERS = ("king_skyfront", "link_j", "shonan")
"""--quick infers on the three youngest parks only: the same code on runs of a fraction of a second."""
INTERVAL = (0.05, 0.95)
"""The posterior's and the predictive's interval: 90%."""


class AnalysisExtraMissingError(Exception):
    """pyabc (the ``analysis`` extra) is not installed."""


@dataclass(frozen=True)
class AbcBudget:
    """How much work an inference does.

    Attributes:
        population: accepted particles a generation.
        generations: generations at most, the prior's included.
        max_simulations: simulations at most over all generations (pyabc stops the run after
            the generation that reaches it).
        predictive: posterior draws of the posterior predictive (one run a cluster each).
        clusters: clusters to infer on (all targets' clusters when empty).
        rng_seed: numpy's seed for pyabc's proposals (the same seed replays the same inference).
    """

    population: int = 30
    generations: int = 5
    max_simulations: int = 330
    predictive: int = 40
    clusters: tuple[str, ...] = ()
    rng_seed: int = 1


FULL = AbcBudget()
"""The committed inference's budget: about 330 simulations (45 minutes on an idle 2-core
machine) and 40 predictive draws."""
QUICK = AbcBudget(population=6, generations=2, max_simulations=20, predictive=4, clusters=QUICK_CLUSTERS)


def _pyabc() -> Any:
    """pyabc, imported when an inference starts (it is slow to import and an optional extra)."""
    try:
        import pyabc
    except ImportError as exc:
        raise AnalysisExtraMissingError("the posterior needs pyabc: pip install 'ecosim[analysis]'") from exc
    logging.getLogger("ABC").setLevel(logging.WARNING)  # its progress lines; ours are shorter
    return pyabc


def log_box() -> dict[str, tuple[float, float]]:
    """The prior: each free constant's box, in log."""
    return {name: (math.log(BOUNDS[name][0]), math.log(BOUNDS[name][1])) for name in FREE}


def particle_seed(values: dict[str, float]) -> int:
    """The seed of a particle's simulation: a hash of its values, so that the same particle
    always gives the same figures and different particles draw independent noise.
    """
    text = ",".join(f"{name}={float(values[name]):.12g}" for name in FREE)
    digest = hashlib.sha256(text.encode()).digest()
    return PARTICLE_SEEDS + int.from_bytes(digest[:8], "big") % 1_000_000


def constants_of(values: dict[str, float], base: Constants) -> Constants:
    """The constants of a particle (log values of the free constants; the rest from ``base``)."""
    return calibrate.with_values(base, {name: math.exp(float(values[name])) for name in FREE})


@dataclass
class Simulator:
    """The model as pyabc sees it: a particle's log constants -> the log errors of its figures.

    Attributes:
        evaluator: runs the clusters of the targets (its executor and store).
        base: the constants that are not inferred.
        on_simulation: called after each simulation (a progress bar).
        trace: one row per simulation (log constants, seed, distance).
    """

    evaluator: Evaluator
    base: Constants
    on_simulation: Callable[[], None] | None = None
    trace: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        """Run the particle once (its own seed) and return each figure's log error."""
        values = {name: float(parameters[name]) for name in FREE}
        seed = particle_seed(values)
        errors = self.evaluator.errors(self.evaluator.runs(constants_of(values, self.base), seeds=[seed]))
        self.trace.append({**values, "seed": seed, "distance": float(np.sqrt(errors @ errors))})
        if self.on_simulation is not None:
            self.on_simulation()
        return {
            t.cluster + ":" + t.label: float(e) for t, e in zip(self.evaluator.targets, errors, strict=True)
        }


def infer(simulator: Simulator, budget: AbcBudget, database: Path) -> pd.DataFrame:
    """Run ABC-SMC and return every generation's accepted particles.

    Args:
        simulator: the model as pyabc sees it.
        budget: population, generations, simulations and the numpy seed.
        database: pyabc's SQLite file (rebuilt: the run store makes a replay cheap).

    Returns:
        One row per accepted particle: ``generation``, ``epsilon`` (the generation's
        tolerance), ``weight`` (summing to 1 within a generation), ``distance`` and the free
        constants' log values.
    """
    pyabc = _pyabc()
    np.random.seed(budget.rng_seed)  # pyabc's proposals draw from numpy's global generator
    prior = pyabc.Distribution(
        **{name: pyabc.RV("uniform", low, high - low) for name, (low, high) in log_box().items()}
    )
    abc = pyabc.ABCSMC(
        simulator,
        prior,
        pyabc.PNormDistance(p=2),
        population_size=budget.population,
        sampler=pyabc.sampler.SingleCoreSampler(),
        eps=pyabc.MedianEpsilon(initial_epsilon=np.inf),
    )
    database.unlink(missing_ok=True)
    observed = {t.cluster + ":" + t.label: 0.0 for t in simulator.evaluator.targets}
    abc.new("sqlite:///" + str(database.resolve()), observed)
    history = abc.run(max_nr_populations=budget.generations, max_total_nr_simulations=budget.max_simulations)
    epsilons = history.get_all_populations().set_index("t")["epsilon"]
    rows = []
    for t in range(history.max_t + 1):
        for particle in history.get_population(t).particles:
            rows.append(
                {
                    "generation": t,
                    "epsilon": float(epsilons[t]),
                    "weight": float(particle.weight),
                    "distance": float(particle.distance),
                    **{name: float(particle.parameter[name]) for name in FREE},
                }
            )
    table = pd.DataFrame(rows)
    table["weight"] = table["weight"] / table.groupby("generation")["weight"].transform("sum")
    return table


def generations(particles: pd.DataFrame, trace: pd.DataFrame) -> pd.DataFrame:
    """One row per generation: tolerance, simulations, acceptance rate and the distances."""
    rows = []
    counts = particles.groupby("generation").size()
    sims = _simulations_per_generation(particles, trace)
    for t, part in particles.groupby("generation"):
        rows.append(
            {
                "generation": int(t),
                "epsilon": float(part["epsilon"].iloc[0]),
                "particles": int(counts[t]),
                "simulations": int(sims[int(t)]),
                "acceptance": round(int(counts[t]) / max(int(sims[int(t)]), 1), 3),
                "distance_median": float(weighted_quantile(part["distance"], part["weight"], 0.5)),
            }
        )
    return pd.DataFrame(rows)


def _simulations_per_generation(particles: pd.DataFrame, trace: pd.DataFrame) -> dict[int, int]:
    """Simulations of each generation: the trace in order, cut where each generation's last
    accepted particle was simulated (pyabc samples one generation after the other).
    """
    keys = [tuple(round(v, 10) for v in row) for row in trace[list(FREE)].to_numpy()]
    counts, start = {}, 0
    for t, part in particles.groupby("generation"):
        accepted = {tuple(round(v, 10) for v in row) for row in part[list(FREE)].to_numpy()}
        last = max((i for i in range(start, len(keys)) if keys[i] in accepted), default=start - 1)
        counts[int(t)] = last + 1 - start
        start = last + 1
    return counts


def weighted_quantile(
    values: Sequence[float] | pd.Series, weights: Sequence[float] | pd.Series, q: float
) -> float:
    """The ``q`` quantile of weighted values (the inverse of their weighted distribution,
    interpolated between the midpoints of the weights).
    """
    x = np.asarray(values, dtype=float)
    w = np.asarray(weights, dtype=float)
    order = np.argsort(x)
    x, w = x[order], w[order]
    cumulative = (np.cumsum(w) - 0.5 * w) / w.sum()
    return float(np.interp(q, cumulative, x))


def final(particles: pd.DataFrame) -> pd.DataFrame:
    """The last generation's particles: the posterior sample."""
    return particles[particles["generation"] == particles["generation"].max()].reset_index(drop=True)


def marginals(posterior: pd.DataFrame, point: Constants) -> pd.DataFrame:
    """Each free constant: prior box, posterior median and 90% interval, and the point fit.

    ``shrinkage`` is the posterior's 90% width over the prior's, in log: 1 means the figures
    say nothing about the constant, near 0 that they pin it down.
    """
    rows = []
    low_q, high_q = INTERVAL
    for name in FREE:
        logs = posterior[name]
        w = posterior["weight"]
        low, high = BOUNDS[name]
        p05, p50, p95 = (math.exp(weighted_quantile(logs, w, q)) for q in (low_q, 0.5, high_q))
        prior_width = math.log(high) - math.log(low)
        fit = float(getattr(point, name))
        rows.append(
            {
                "constant": name,
                "prior_low": low,
                "prior_high": high,
                "posterior_p05": p05,
                "posterior_median": p50,
                "posterior_p95": p95,
                "shrinkage": round((math.log(p95) - math.log(p05)) / (prior_width * (high_q - low_q)), 3),
                "point_fit": fit,
                "point_fit_inside": bool(p05 <= fit <= p95),
            }
        )
    return pd.DataFrame(rows)


def correlations(posterior: pd.DataFrame) -> pd.DataFrame:
    """The weighted correlations of the free constants' logs in the posterior sample."""
    cov = np.cov(posterior[list(FREE)].to_numpy().T, aweights=posterior["weight"].to_numpy())
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    return pd.DataFrame(corr, index=list(FREE), columns=list(FREE)).round(3)


def draws(posterior: pd.DataFrame, n: int, rng_seed: int) -> list[tuple[int, dict[str, float]]]:
    """``n`` particles drawn from the posterior by weight: (draw number, log values)."""
    rng = np.random.default_rng(rng_seed)
    picks = rng.choice(len(posterior), size=n, replace=True, p=posterior["weight"].to_numpy())
    return [(i, {name: float(posterior.iloc[j][name]) for name in FREE}) for i, j in enumerate(picks)]


def predictive_targets(clusters: Sequence[str]) -> list[Target]:
    """Every figure of ``clusters`` the predictive can read from a run's time series: the
    calibration's (in sample) and the later and other figures (out of sample).
    """
    return [
        t
        for t in calibrate.load_targets()
        if t.cluster in clusters and t.metric in METRICS and t.role in ("fit", "holdout", "pattern_holdout")
    ]


def predictive(values: pd.DataFrame, targets: Sequence[Target]) -> pd.DataFrame:
    """The posterior predictive of each figure: median and 90% interval over the draws, whether
    the interval holds the figure, and the median's ratio to it.

    Args:
        values: one row per draw (``key``), cluster, seed and figure (calibrate.values_over).
        targets: the figures.
    """
    rows = []
    for t in targets:
        part = values[(values["cluster"] == t.cluster) & (values["figure"] == t.label)]["value"]
        low, median, high = (float(part.quantile(q)) for q in (INTERVAL[0], 0.5, INTERVAL[1]))
        rows.append(
            {
                "cluster": t.cluster,
                "metric": t.metric,
                "date": t.date,
                "role": t.role,
                "series": t.series,
                "sample": "in sample" if t.role == "fit" else "out of sample",
                "figure": t.value,
                "predictive_p05": low,
                "predictive_median": median,
                "predictive_p95": high,
                "covered": bool(low <= t.value <= high),
                "ratio": round(median / t.value, 3),
                "within_factor_1_5": bool(
                    1 / calibrate.HISTORY_FACTOR <= median / t.value <= calibrate.HISTORY_FACTOR
                ),
                "draws": int(part.size),
            }
        )
    return pd.DataFrame(rows)


def marginals_figure(posterior: pd.DataFrame, particles: pd.DataFrame, table: pd.DataFrame) -> Figure:
    """One panel a constant: the prior box (x axis, log), the first and the last generation's
    weighted histograms, the posterior's 90% interval and the point fit.
    """
    columns = 5
    rows = math.ceil(len(FREE) / columns)
    fig, axes = plots.subplots(rows, columns, figsize=(3.0 * columns, 2.4 * rows), squeeze=False)
    first = particles[particles["generation"] == 0]
    for ax, row in zip(axes.flat, table.itertuples(index=False), strict=False):
        name = row.constant
        edges = np.linspace(math.log(row.prior_low), math.log(row.prior_high), 13)
        ax.hist(first[name], bins=edges, weights=first["weight"], color="0.8", label="prior sample")
        ax.hist(
            posterior[name],
            bins=edges,
            weights=posterior["weight"],
            color=plots.SERIES_COLOURS[0],
            alpha=0.8,
            label="posterior",
        )
        ax.axvspan(
            math.log(row.posterior_p05),
            math.log(row.posterior_p95),
            color=plots.SERIES_COLOURS[0],
            alpha=0.12,
        )
        ax.axvline(math.log(row.point_fit), color=plots.TARGET_COLOUR, lw=1.5, label="point fit")
        ticks = np.linspace(edges[0], edges[-1], 4)
        ax.set_xticks(ticks, [f"{math.exp(v):.3g}" for v in ticks], fontsize=7)
        ax.set_yticks([])
        ax.set_title(name, fontsize=9)
    for ax in list(axes.flat)[len(FREE) :]:
        ax.axis("off")
    axes.flat[0].legend(frameon=False, fontsize=7)
    fig.suptitle("Posterior of the free constants (ABC-SMC): x axis the prior's box, log scale", fontsize=10)
    fig.tight_layout()
    return fig


def predictive_figure(table: pd.DataFrame) -> Figure:
    """Model over figure for every figure: the predictive median and 90% interval, in sample and
    out of sample side by side, with the factor-1.5 band.
    """
    from matplotlib.ticker import FuncFormatter, NullFormatter

    table = table.reset_index(drop=True)
    fig, ax = plots.subplots(1, 1, figsize=(8.5, 0.22 * len(table) + 1.2))
    colours = {"in sample": plots.SERIES_COLOURS[0], "out of sample": plots.SERIES_COLOURS[4]}
    for i, row in table.iterrows():
        y = len(table) - 1 - i
        colour = colours[row["sample"]]
        ax.plot(
            [row["predictive_p05"] / row["figure"], row["predictive_p95"] / row["figure"]],
            [y, y],
            color=colour,
            lw=2,
        )
        ax.plot([row["ratio"]], [y], "o", color=colour, ms=4)
    ax.axvline(1.0, color="0.3", lw=0.8)
    ax.axvspan(1 / calibrate.HISTORY_FACTOR, calibrate.HISTORY_FACTOR, color="0.9", zorder=0)
    ax.set_xscale("log")
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:g}"))
    ax.xaxis.set_minor_formatter(NullFormatter())  # plain numbers: no mathtext, no font search
    ax.set_yticks(
        range(len(table))[::-1],
        [f"{r.cluster} {r.metric.replace('_census', '')} {r.date}" for r in table.itertuples()],
        fontsize=7,
    )
    for label, colour in colours.items():
        ax.plot([], [], color=colour, lw=2, label=label)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_xlabel("model / figure (posterior predictive: median and 90% interval; grey: within x1.5)")
    fig.tight_layout()
    return fig


def posterior(
    out_dir: str | Path,
    budget: AbcBudget = FULL,
    backend: engine.Backend | None = None,
    scenario_dir: str | Path = "scenarios",
    store_dir: str | Path = "runs/posterior",
    command: list[str] | None = None,
    log: Callable[[str], None] | None = print,
) -> dict[str, Any]:
    """Infer, run the posterior predictive and write the report.

    Args:
        out_dir: report folder (particles.csv, generations.csv, marginals.csv,
            correlations.csv, predictive.csv, posterior.png, predictive.png, simulations.csv,
            manifest.json, README.md), written atomically.
        budget: population, generations, simulations, predictive draws, clusters.
        backend: where runs execute (None: in this process).
        scenario_dir: folder of the scenario files.
        store_dir: folder of the finished runs and pyabc's database (the resume state).
        command: the command line for the manifest.
        log: where progress lines go (None: silent).

    Returns:
        The summary recorded in the manifest.
    """
    started = time.monotonic()
    say = log or (lambda _message: None)
    out_dir, scenario_dir, store_dir = Path(out_dir), Path(scenario_dir), Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    targets = calibrate.targets_for(budget.clusters)
    executor = backend.executor if backend is not None else engine.SerialExecutor()
    evaluator = Evaluator(
        targets=targets, seeds=[], scenario_dir=scenario_dir, executor=executor, store=RunStore(store_dir)
    )
    point = fitted()
    say(
        f"posterior: {len(FREE)} free constants, {len(targets)} figures, population "
        f"{budget.population}, at most {budget.generations} generations and "
        f"{budget.max_simulations} simulations; finished runs kept in {store_dir}"
    )
    bar = ProgressBar("simulations", budget.max_simulations) if log is not None else None
    simulator = Simulator(
        evaluator, point, on_simulation=(lambda: bar(len(simulator.trace))) if bar else None
    )
    particles = infer(simulator, budget, store_dir / "abc.db")
    if bar is not None:
        bar.close()
    trace = pd.DataFrame(simulator.trace)
    sample = final(particles)
    table = marginals(sample, point)
    clusters = sorted({t.cluster for t in targets})
    figures = predictive_targets(clusters)
    picked = draws(sample, budget.predictive, budget.rng_seed)
    say(f"posterior predictive: {len(picked)} draws x {len(clusters)} clusters, {len(figures)} figures")
    values = calibrate.values_over(
        [(i, constants_of(v, point)) for i, v in picked],
        figures,
        {i: [PREDICTIVE_SEEDS + i] for i, _ in picked},
        backend if backend is not None else 1,
        scenario_dir,
        store=evaluator.store,
    )
    checks = predictive(values, figures)
    steps = generations(particles, trace)
    summary = {
        "simulations": len(trace),
        "runs_read_back": evaluator.reused,
        "generations": len(steps),
        "final_epsilon": round(float(steps["epsilon"].iloc[-1]), 4),
        "final_distance_median": round(float(steps["distance_median"].iloc[-1]), 4),
        "covered_in_sample": _share(checks, "in sample", "covered"),
        "covered_out_of_sample": _share(checks, "out of sample", "covered"),
        "within_factor_1_5_in_sample": _share(checks, "in sample", "within_factor_1_5"),
        "within_factor_1_5_out_of_sample": _share(checks, "out of sample", "within_factor_1_5"),
        "point_fit_inside": f"{int(table['point_fit_inside'].sum())}/{len(table)}",
    }
    with atomic.staged_dir(out_dir) as stage:
        particles.to_csv(stage / "particles.csv", index=False)
        steps.to_csv(stage / "generations.csv", index=False)
        trace.to_csv(stage / "simulations.csv", index=False)
        table.to_csv(stage / "marginals.csv", index=False)
        correlations(sample).to_csv(stage / "correlations.csv")
        checks.to_csv(stage / "predictive.csv", index=False)
        plots.save_png(marginals_figure(sample, particles, table), stage / "posterior.png", dpi=90)
        plots.save_png(predictive_figure(checks), stage / "predictive.png", dpi=90)
        manifest = {
            **provenance.base_manifest(command),
            "seconds": round(time.monotonic() - started, 1),
            "backend": backend.label if backend is not None else "serial",
            "store": str(store_dir),
            "budget": asdict(budget),
            "free_constants": list(FREE),
            "prior": {name: list(BOUNDS[name]) for name in FREE},
            "figures_inferred": [f"{t.cluster}:{t.label}" for t in targets],
            "seeds": {
                "simulations": f"{PARTICLE_SEEDS} + (hash of the particle) mod 1,000,000",
                "predictive": [PREDICTIVE_SEEDS + i for i, _ in picked],
            },
            "scenarios": calibrate.scenario_digests(clusters, scenario_dir),
            "summary": summary,
        }
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(
            stage / "README.md", readme(table, steps, checks, correlations(sample), summary, manifest)
        )
    say(f"report: {out_dir}/ ({manifest['seconds']:.0f} s)")
    return summary


def _share(table: pd.DataFrame, sample: str, column: str) -> str:
    part = table[table["sample"] == sample]
    return f"{int(part[column].sum())}/{len(part)}"


def _fmt(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def strongest(corr: pd.DataFrame, n: int = 4) -> list[tuple[str, str, float]]:
    """The ``n`` strongest correlations between two different constants."""
    pairs = [
        (a, b, float(corr.loc[a, b]))
        for i, a in enumerate(corr.index)
        for b in corr.columns[i + 1 :]
        if not math.isnan(corr.loc[a, b])
    ]
    return sorted(pairs, key=lambda p: -abs(p[2]))[:n]


def readme(
    table: pd.DataFrame,
    steps: pd.DataFrame,
    checks: pd.DataFrame,
    corr: pd.DataFrame,
    summary: dict[str, Any],
    manifest: dict[str, Any],
) -> str:
    """The report's README: method, the posterior, the predictive check, what it means."""
    budget = manifest["budget"]
    lines = [
        "# Posterior of the free constants (ABC-SMC)",
        "",
        f"Written by `{manifest['command']}` at commit "
        f"{manifest.get('git_commit', '?')[:7]} in {manifest['seconds'] / 60:.0f} minutes "
        f"({manifest['backend']}). Method: src/ecosim/posterior.py (pyabc's ABC-SMC, why pyabc "
        "and not ELFI, the prior, the distance, the seeds).",
        "",
        f"- Prior: uniform in log on the point fit's box. Data: the {len(manifest['figures_inferred'])} "
        "calibration figures (the source document's end points and the US clusters' figures up to "
        "2000); the figures dated 2001-2018 and the source's other figures are never seen.",
        f"- Population {budget['population']}, {summary['generations']} generations, "
        f"{summary['simulations']} simulations (one run of each cluster with the particle's own seed). "
        f"Last tolerance: distance {summary['final_epsilon']:.2f} (the Euclidean norm of the log "
        f"errors; its square, {summary['final_epsilon'] ** 2:.1f}, compares with the point fit's "
        "objective on one seed).",
        "",
        "## Generations (generations.csv)",
        "",
        "| generation | tolerance | simulations | acceptance | median distance |",
        "| --- | --- | --- | --- | --- |",
    ]
    for row in steps.itertuples(index=False):
        lines.append(
            f"| {row.generation} | {row.epsilon:.2f} | {row.simulations} | {row.acceptance:.2f} | "
            f"{row.distance_median:.2f} |"
        )
    lines += [
        "",
        "## The posterior (marginals.csv, correlations.csv, posterior.png)",
        "",
        "Shrinkage: the posterior's 90% width over the prior's, in log (1: the figures say nothing "
        "about the constant).",
        "",
        "| constant | prior box | posterior median | 90% interval | shrinkage | point fit | fit inside |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.constant} | {_fmt(row.prior_low)}-{_fmt(row.prior_high)} | "
            f"{_fmt(row.posterior_median)} | {_fmt(row.posterior_p05)}-{_fmt(row.posterior_p95)} | "
            f"{row.shrinkage:.2f} | {_fmt(row.point_fit)} | {'yes' if row.point_fit_inside else 'no'} |"
        )
    lines += ["", "Strongest correlations (logs, weighted):", ""]
    lines += [f"- {a} and {b}: {c:+.2f}" for a, b, c in strongest(corr)]
    lines += [
        "",
        "## Posterior predictive (predictive.csv, predictive.png)",
        "",
        f"{budget['predictive']} draws from the posterior, each run once with a new seed: the "
        "interval folds in what the figures leave unknown about the constants and the model's "
        "noise.",
        "",
        f"- In sample: the 90% interval holds the figure for {summary['covered_in_sample']}; the "
        f"median is within x1.5 for {summary['within_factor_1_5_in_sample']}.",
        f"- Out of sample (dated 2001-2018, and the source's other figures): the interval holds "
        f"{summary['covered_out_of_sample']}; the median within x1.5: "
        f"{summary['within_factor_1_5_out_of_sample']}.",
        "",
        "| cluster | figure | date | sample | figure value | predictive median | 90% interval | holds it |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in checks.itertuples(index=False):
        lines.append(
            f"| {row.cluster} | {row.metric} | {row.date} | {row.sample} | {_fmt(row.figure)} | "
            f"{_fmt(row.predictive_median)} | {_fmt(row.predictive_p05)}-{_fmt(row.predictive_p95)} | "
            f"{'yes' if row.covered else 'no'} |"
        )
    lines += [
        "",
        "## The package default",
        "",
        "`ecosim run` stays one run: its constants are the point fit of results/calibration "
        "(trust-region least squares on the median of three seeds), the highest point of the "
        "likelihood the least-squares objective stands for (the MAP under a flat prior). The "
        f"point fit lies inside the posterior's 90% interval for {summary['point_fit_inside']} "
        "constants. The sensitivity and robustness specs (experiments/sensitivity.yaml, "
        "experiments/gtb_robust.yaml) take the posterior's 90% intervals as the ranges of the "
        "fitted constants.",
        "",
    ]
    return "\n".join(lines)
