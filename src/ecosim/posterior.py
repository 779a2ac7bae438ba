"""Likelihood-free inference of the free constants on the history patterns (ABC on an emulator).

The point fit (:mod:`ecosim.calibrate`) searches from a start for where the constants fit best;
this module says how well the figures pin them down. It treats the model as a simulator of the
calibration figures and asks which constants could have produced them: approximate Bayesian
computation (ABC) by sequential Monte Carlo (ABC-SMC, Toni et al. 2009) as the pyabc library
implements it (Schälte et al. 2022, Bioinformatics 38(20):4812), run on a Gaussian-process
emulator of the model (Wilkinson 2014, "Accelerating ABC methods using Gaussian processes",
AISTATS).

Why an emulator: ABC-SMC run on the model itself needs thousands of simulations in ten dimensions.
At the population this machine affords on the model (about 30 particles, 300 simulations, 45
minutes) its importance weights degenerate: on the test problem of tests/test_posterior.py (two of
ten constants identified), measured when the method was chosen, the last generation's effective
sample size was 1-5 of 30 and constants no figure constrains came out falsely narrow; with 1,000
particles it was 150-450 and they stayed as wide as the prior (the test checks that its own 800
particles keep it above 30 and the free constants wide). So the model's simulations go where each
one counts: a space-filling design over the prior (a Latin hypercube, each point one run of every
cluster with its own seed), a Gaussian process per figure fitted to them (scikit-learn) and checked
on design points it did not see, and pyabc's ABC-SMC with 1,000 particles a generation on the
emulator, whose simulation is the emulator's mean plus a draw of its predictive spread (the model's
noise and the emulator's own uncertainty). Why pyabc and not ELFI: ELFI's emulator-based BOLFI
needs GPy (compiled) and matplotlib < 3.9, which this project's plotting cannot take; pyabc is pure
Python, kept up to date, keeps every generation in a database and, sampled in one process, is
deterministic for a given numpy seed.

The set-up:

* **Parameters**: the free constants (``constants.FREE``), in log space.
* **Prior**: uniform in log on the fit's box (``calibrate.BOUNDS``), the box the point fit
  searches: the figures, not the prior, decide.
* **Data**: the calibration figures only (role ``fit``: the source document's end points and the
  US clusters' figures dated up to 2000). The figures dated 2001-2018 and the source's other
  figures stay out of sample, as in the fit: the posterior predictive reports them.
* **Simulation**: the log error log(model / figure) of every figure, the model run once with a
  seed that is a function of the point (``particle_seed``), so the model's noise is part of the
  likelihood; on the emulator, the emulator's draw of it.
* **Distance**: the Euclidean norm of the log errors, the square root of the point fit's
  objective (on one seed rather than a median of several, so larger).
* **Proposal**: each particle of a generation is perturbed by a Gaussian kernel shaped by the
  spread of its nearest quarter of the generation (pyabc's LocalTransition). pyabc's default, one
  covariance for all scaled by Silverman's rule, let the importance weights collapse with fourteen
  constants (``AbcBudget.neighbours`` gives the numbers).
* **Tolerance**: each generation's median distance (pyabc's MedianEpsilon), the first drawn from
  the prior; the inference stops after ``generations`` or when fewer than ``min_acceptance`` of
  the proposals are accepted.
* **Sample**: the last generation whose effective sample size is at least ``MIN_ESS_SHARE`` of its
  particles (a later generation whose weights fell on a few particles is reported, not used).

The design's runs go through the experiment engine and each finished run is kept in a run store,
so a killed inference started again reads them back and goes on. The posterior predictive draws
particles from the posterior sample by weight and runs the model itself with each, with a new
seed, on every figure of the clusters: the calibration figures (in sample) and the later and
other figures (out of sample). It checks the emulator as well as the posterior: an interval that
misses the figures it was fitted to would say the emulator led the inference astray.

A full run writes each constant's posterior median to src/ecosim/fitted_constants.json
(:func:`install`), the package default (``ecosim run``'s one point), replacing whatever was there;
experiments/default_point.py then compares it, the posterior's closest particle and the
least-squares fits of ``ecosim calibrate`` with the default the round began from by real runs, and
installs a challenger only when it clearly beats that incumbent (its rule).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import math
import time
import warnings
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from ecosim import atomic, calibrate, engine, plots, provenance
from ecosim.calibrate import BOUNDS, METRICS, Target
from ecosim.constants import FITTED_FILE, FREE, Constants
from ecosim.limits import MAX_SAMPLE_BYTES
from ecosim.store import RunStore

if TYPE_CHECKING:
    from matplotlib.figure import Figure

PARTICLE_SEEDS = 1_000_000
"""Seeds of the design's runs start here: far from the fit's (1..5), its report's (1..8) and the
leave-one-out refits' seeds."""
PREDICTIVE_SEEDS = 3_000_000
"""Seeds of the posterior predictive's runs start here (never used by the design or the fit)."""
QUICK_CLUSTERS = ("king_skyfront", "link_j", "shonan")
"""--quick infers on the three youngest parks only: the same code on runs of a fraction of a second."""
INTERVAL = (0.05, 0.95)
"""The posterior's, the predictive's and the emulator check's interval: 90%."""
Z90 = 1.6449
"""The standard normal's 95th percentile: a normal 90% interval is the mean +- Z90 sd."""


class AnalysisExtraMissingError(Exception):
    """pyabc (the ``analysis`` extra) is not installed."""


@dataclass(frozen=True)
class AbcBudget:
    """How much work an inference does.

    Attributes:
        design: runs of the model (each cluster once) over the prior, the emulator's data.
        holdout: share of the design left out of the emulator's check fit, to test it.
        population: accepted particles a generation of ABC-SMC on the emulator.
        generations: generations at most, the prior's included.
        min_acceptance: the inference stops when a generation accepts fewer of its proposals.
        predictive: posterior draws of the posterior predictive (one run a cluster each).
        clusters: clusters to infer on (all targets' clusters when empty).
        rng_seed: seed of the design, the emulator's optimiser and pyabc's proposals.
        neighbours: share of a generation's particles whose spread shapes the proposal kernel
            around each of them (pyabc's LocalTransition). With fourteen constants, pyabc's
            default kernel (one covariance for all, Silverman's bandwidth) leaves each particle's
            kernel nearly apart from the others, so the importance weights follow one kernel's
            density and collapse: effective sample sizes of 15-78 of 1,000 in generations 1-4 of
            the committed design's emulator, against 354-485 with this kernel.
    """

    design: int = 320
    holdout: float = 0.2
    population: int = 1000
    generations: int = 10
    min_acceptance: float = 0.02
    predictive: int = 40
    clusters: tuple[str, ...] = ()
    rng_seed: int = 1
    neighbours: float = 0.25


FULL = AbcBudget()
"""The committed inference's budget: 320 design points (2,240 runs), 1,000 particles a generation
on the emulator (about 59,000 emulator calls), 40 predictive draws (280 runs). The whole command
took 79 minutes on 2 cores at 5083d5e, the ABC-SMC about 50 of them on one core; with abc_parts and
FittedProcess, 23 minutes at 4ef5bb4, every output file but the manifest the same
(benchmarks/README.md, ninth round)."""
QUICK = AbcBudget(design=12, population=40, generations=2, predictive=2, clusters=QUICK_CLUSTERS)


def _pyabc() -> Any:
    """pyabc, imported when an inference starts (it is slow to import and an optional extra)."""
    try:
        import pyabc
    except ImportError as exc:
        raise AnalysisExtraMissingError("the posterior needs pyabc: pip install 'ecosim[analysis]'") from exc
    logging.getLogger("ABC").setLevel(logging.WARNING)  # its progress lines; ours are shorter
    return pyabc


def log_box(free: Sequence[str] = FREE) -> dict[str, tuple[float, float]]:
    """The prior: each free constant's box, in log."""
    return {name: (math.log(BOUNDS[name][0]), math.log(BOUNDS[name][1])) for name in free}


def particle_seed(values: dict[str, float], free: Sequence[str] = FREE) -> int:
    """The seed of a point's run: a hash of its values, so that the same point always gives the
    same figures and different points draw independent noise.
    """
    text = ",".join(f"{name}={float(values[name]):.12g}" for name in free)
    digest = hashlib.sha256(text.encode()).digest()
    return PARTICLE_SEEDS + int.from_bytes(digest[:8], "big") % 1_000_000


def constants_of(values: dict[str, float], base: Constants, free: Sequence[str] = FREE) -> Constants:
    """The constants of a point (log values of the free constants; the rest from ``base``)."""
    return calibrate.with_values(base, {name: math.exp(float(values[name])) for name in free})


def figure_key(target: Target) -> str:
    """A figure's name in the tables: cluster and label (``boston:firms_census@2000``)."""
    return f"{target.cluster}:{target.label}"


def design_points(n: int, seed: int, free: Sequence[str] = FREE) -> list[dict[str, float]]:
    """``n`` points of a Latin hypercube over the prior (log values of the free constants)."""
    from scipy.stats import qmc

    unit = qmc.LatinHypercube(d=len(free), rng=np.random.default_rng(seed)).random(n)
    box = log_box(free)
    return [
        {
            name: float(box[name][0] + u * (box[name][1] - box[name][0]))
            for name, u in zip(free, row, strict=True)
        }
        for row in unit
    ]


def simulate(
    points: Sequence[dict[str, float]],
    targets: Sequence[Target],
    backend: engine.Backend | int,
    scenario_dir: Path,
    store: RunStore | None,
    seeds: Callable[[int, dict[str, float]], int],
    progress: bool = True,
    space: calibrate.Space | None = None,
) -> pd.DataFrame:
    """Run the model at each point (every cluster once) and return each figure's log error.

    Args:
        points: log values of the free constants.
        targets: the figures to read.
        backend: where runs execute (or a number of local workers).
        scenario_dir: folder of the scenario files.
        store: the folder of finished runs (read back, not run again).
        seeds: the seed of point i.
        progress: whether to draw the progress bar of the runs.
        space: the constants the points vary and those held (the package's: None).

    Returns:
        One row per point: its log values, ``seed``, one column a figure (figure_key) with
        log(max(model, 0.5) / figure) as calibrate.Evaluator.errors reads it, ``distance``, and
        ``stopped``: the clusters whose run ended at the growth limit, with the year
        (``boston 2008``; empty when none did).
    """
    space = space or calibrate.Space()
    base = space.base()
    keyed = {i: [seeds(i, p)] for i, p in enumerate(points)}
    values = calibrate.values_over(
        [(i, constants_of(p, base, space.free)) for i, p in enumerate(points)],
        targets,
        keyed,
        backend,
        scenario_dir,
        store=store,
        progress=progress,
    )
    wide = values.pivot_table(index="key", columns=["cluster", "figure"], values="value", aggfunc="first")
    stops = values.dropna(subset=["stopped_at"]).drop_duplicates(["key", "cluster"])
    stopped = {
        key: " ".join(f"{row.cluster} {int(row.stopped_at)}" for row in part.itertuples())
        for key, part in stops.groupby("key")
    }
    rows = []
    for i, p in enumerate(points):
        errors = {figure_key(t): t.log_error(float(wide.loc[i, (t.cluster, t.label)])) for t in targets}
        e = np.array(list(errors.values()))
        distance = float(np.sqrt(e @ e))
        rows.append({**p, "seed": keyed[i][0], **errors, "distance": distance, "stopped": stopped.get(i, "")})
    return pd.DataFrame(rows)


def unit(values: np.ndarray, free: Sequence[str] = FREE) -> np.ndarray:
    """Log values of the free constants (columns in ``free``'s order) as coordinates in the unit cube."""
    box = np.array([log_box(free)[name] for name in free])
    return (values - box[:, 0]) / (box[:, 1] - box[:, 0])


@dataclass(frozen=True)
class FittedProcess:
    """A fitted Gaussian process of the Emulator's kernel (a constant times an anisotropic RBF, plus
    white noise) as numbers, predicting as scikit-learn's GaussianProcessRegressor does.

    The inference asks the emulator about 60,000 times for one point's every figure; scikit-learn
    checks its input and walks its kernel objects each time, which was most of an emulator call.
    ``predict`` makes the same array operations, in the same order, on the process's fitted numbers
    (its ``predict`` with ``return_std=True``, scikit-learn 1.9: the kernel of the test points and
    the training points, the mean through ``alpha_``, the variance through the Cholesky factor
    ``L_``, undone normalisation), so the numbers are the same to the last bit
    (tests/test_posterior.py checks it against scikit-learn's own).
    """

    constant: float
    length_scale: np.ndarray
    noise: float
    scaled_train: np.ndarray
    alpha: np.ndarray
    cholesky: np.ndarray
    y_mean: Any
    y_std: Any

    @classmethod
    def of(cls, model: Any) -> FittedProcess:
        """The numbers of a fitted GaussianProcessRegressor with the Emulator's kernel."""
        kernel = model.kernel_
        length_scale = np.squeeze(kernel.k1.k2.length_scale).astype(float)
        return cls(
            constant=kernel.k1.k1.constant_value,
            length_scale=length_scale,
            noise=kernel.k2.noise_level,
            scaled_train=model.X_train_ / length_scale,
            alpha=model.alpha_,
            cholesky=model.L_,
            y_mean=model._y_train_mean,
            y_std=model._y_train_std,
        )

    def predict(self, u: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and sd at the points ``u`` (rows, on the unit cube)."""
        from scipy.linalg import solve_triangular
        from scipy.spatial.distance import cdist

        rbf = np.exp(-0.5 * cdist(u / self.length_scale, self.scaled_train, metric="sqeuclidean"))
        # scikit-learn multiplies by an array full of the constant and adds the white kernel's
        # zero cross-covariance: the same bits as the scalar product alone.
        k_trans = self.constant * rbf
        mean = self.y_std * (k_trans @ self.alpha) + self.y_mean
        v = solve_triangular(self.cholesky, k_trans.T, lower=True, check_finite=False)
        # The kernel's diagonal: the constant times the RBF's 1, plus the white noise.
        variance = np.full(u.shape[0], self.constant * 1.0 + self.noise)
        variance -= np.einsum("ij,ji->i", v.T, v)
        variance[variance < 0] = 0.0
        undone = np.outer(variance, self.y_std**2).reshape(*variance.shape, -1)  # normalisation undone
        return mean, np.sqrt(np.squeeze(undone, axis=1))


class Emulator:
    """One Gaussian process a figure: the log error as a function of the constants.

    Each is scikit-learn's GaussianProcessRegressor with a constant times an anisotropic RBF
    kernel (a length scale a constant, so the figures a constant does not move learn to ignore
    it) plus white noise (the model's seed noise), on the unit cube of the prior. Its predictive
    spread at a point is the emulator's uncertainty and the model's noise together: what a new
    run there would scatter by.

    Args:
        keys: the figures (figure_key), in the order of the columns of ``y``.
        x: design points, log values (rows) of the free constants (columns in ``free``'s order).
        y: the log errors of the figures at the design points.
        seed: seed of the optimiser's restarts.
        bounds: the figures that are upper bounds (Target.comparison ``below``): a run under
            one has a log error of 0, so a draw is never below 0 either.
        free: the free constants (constants.FREE unless a refit holds some or frees more).
    """

    def __init__(
        self,
        keys: Sequence[str],
        x: np.ndarray,
        y: np.ndarray,
        seed: int,
        bounds: Sequence[str] = (),
        free: Sequence[str] = FREE,
    ) -> None:
        from sklearn.exceptions import ConvergenceWarning
        from sklearn.gaussian_process import GaussianProcessRegressor
        from sklearn.gaussian_process.kernels import RBF, ConstantKernel, WhiteKernel

        self.keys = list(keys)
        self.free = tuple(free)
        self.bounds = [key in bounds for key in self.keys]
        self.models = []
        for j in range(y.shape[1]):
            kernel = ConstantKernel(1.0, (1e-3, 1e3)) * RBF(
                length_scale=np.full(len(self.free), 0.5), length_scale_bounds=(0.02, 100.0)
            ) + WhiteKernel(0.05, (1e-5, 10.0))
            model = GaussianProcessRegressor(
                kernel, normalize_y=True, n_restarts_optimizer=1, random_state=seed
            )
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)  # a length scale at its bound: ignored
                model.fit(unit(x, self.free), y[:, j])
            self.models.append(model)

        self.fitted = [FittedProcess.of(model) for model in self.models]

    def only(self, keys: Sequence[str]) -> Emulator:
        """The same emulator restricted to some figures (a leave-one-out inference sees only them)."""
        part = object.__new__(Emulator)
        part.keys = list(keys)
        part.free = self.free
        part.models = [self.models[self.keys.index(key)] for key in keys]
        part.fitted = [self.fitted[self.keys.index(key)] for key in keys]
        part.bounds = [self.bounds[self.keys.index(key)] for key in keys]
        return part

    def predict(self, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Mean and predictive sd of every figure's log error at points ``x`` (rows): scikit-learn's
        ``predict(return_std=True)`` of each process, computed by FittedProcess.
        """
        u = unit(np.atleast_2d(x), self.free)
        means, sds = zip(*(f.predict(u) for f in self.fitted), strict=True)
        return np.column_stack(means), np.column_stack(sds)

    def __call__(self, parameters: dict[str, float]) -> dict[str, float]:
        """A simulation as pyabc asks for one: each figure's log error drawn from the emulator."""
        mean, sd = self.predict(np.array([[float(parameters[name]) for name in self.free]]))
        drawn = mean[0] + sd[0] * np.random.standard_normal(len(self.keys))  # pyabc seeds numpy's generator
        drawn = np.where(self.bounds, np.maximum(drawn, 0.0), drawn)
        return dict(zip(self.keys, drawn.tolist(), strict=True))


def emulator_check(
    design: pd.DataFrame, keys: Sequence[str], budget: AbcBudget, free: Sequence[str] = FREE
) -> pd.DataFrame:
    """How well an emulator fitted without part of the design predicts that part.

    Returns:
        One row per figure: R squared of the predicted mean on the left-out runs, the share of
        them inside the 90% predictive interval (0.9 if the emulator's spread is right), the
        emulator's median predictive sd, and the runs fitted and left out.
    """
    rng = np.random.default_rng(budget.rng_seed)
    order = rng.permutation(len(design))
    left_out = max(1, round(budget.holdout * len(design)))
    test, train = order[:left_out], order[left_out:]
    x = design[list(free)].to_numpy()
    y = design[list(keys)].to_numpy()
    emulator = Emulator(keys, x[train], y[train], budget.rng_seed, free=free)
    mean, sd = emulator.predict(x[test])
    rows = []
    for j, key in enumerate(keys):
        actual = y[test, j]
        residual = actual - mean[:, j]
        spread = float(np.sum((actual - actual.mean()) ** 2))
        rows.append(
            {
                "figure": key,
                "r_squared": round(1 - float(residual @ residual) / spread, 3) if spread > 0 else math.nan,
                "inside_90": round(float(np.mean(np.abs(residual) <= Z90 * sd[:, j])), 3),
                "predictive_sd": round(float(np.median(sd[:, j])), 3),
                "fitted_on": len(train),
                "left_out": len(test),
            }
        )
    return pd.DataFrame(rows)


def infer(
    simulator: Callable[[dict[str, float]], dict[str, float]],
    keys: Sequence[str],
    budget: AbcBudget,
    database: Path,
    fingerprint: str | None = None,
    free: Sequence[str] = FREE,
) -> pd.DataFrame:
    """Run pyabc's ABC-SMC and return every generation's accepted particles.

    A finished inference is read back instead of run again when ``database`` holds one made for
    the same ``fingerprint`` (recorded beside it, in ``<database>.json``, once it finished): on the
    full budget the inference was the longest step of ``ecosim posterior`` (about 50 minutes on one
    core before abc_parts), and a report stopped in its predictive would otherwise redo it.

    Args:
        simulator: log values of the free constants -> each figure's log error (keys).
        keys: the figures; the data are log errors of 0.
        budget: population, generations, acceptance floor and the numpy seed.
        database: pyabc's SQLite file (rebuilt unless it holds this inference, finished).
        fingerprint: what the inference is a function of (``inference_fingerprint``); None
            always runs it.
        free: the free constants, the prior's dimensions.

    Returns:
        One row per accepted particle: ``generation``, ``epsilon`` (the generation's
        tolerance), ``weight`` (summing to 1 within a generation), ``distance`` and the free
        constants' log values.
    """
    pyabc = _pyabc()
    finished = database.with_name(database.name + ".json")
    if fingerprint is not None and database.exists() and _read_fingerprint(finished) == fingerprint:
        return _particles(pyabc.History("sqlite:///" + str(database.resolve())), free)
    finished.unlink(missing_ok=True)
    np.random.seed(budget.rng_seed)  # pyabc's proposals draw from numpy's global generator
    from ecosim import abc_parts  # imports pyabc (checked above)

    abc = pyabc.ABCSMC(
        simulator,
        abc_parts.box_prior(log_box(free)),
        pyabc.PNormDistance(p=2),
        model_prior=abc_parts.OneModel(),
        population_size=budget.population,
        transitions=abc_parts.CachedLocalTransition(k_fraction=budget.neighbours),
        sampler=pyabc.sampler.SingleCoreSampler(),
        eps=pyabc.MedianEpsilon(initial_epsilon=np.inf),
    )
    database.unlink(missing_ok=True)
    abc.new("sqlite:///" + str(database.resolve()), dict.fromkeys(keys, 0.0))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # pyabc compares an infinite first tolerance
        try:
            history = abc.run(
                max_nr_populations=budget.generations, min_acceptance_rate=budget.min_acceptance
            )
        except np.linalg.LinAlgError:
            # The weights fell on one particle, whose neighbours' covariance came out infinite, and
            # the next proposal kernel cannot be built (numpy's SVD does not converge; 40 particles
            # of a toy on an AMD EPYC, tests/test_posterior.py). The generations before are stored
            # whole, and the sample is read from them by the same rule (final, MIN_ESS_SHARE).
            history = abc.history
    if fingerprint is not None:
        atomic.write_json(finished, {"fingerprint": fingerprint})
    return _particles(history, free)


def inference_fingerprint(
    design: pd.DataFrame,
    keys: Sequence[str],
    bounds: Sequence[str],
    budget: AbcBudget,
    free: Sequence[str] = FREE,
) -> str:
    """A hash of what the inference on the emulator is a function of: the design's constants and
    figures (the emulator's data), the figures and which of them are bounds, the budget's
    inference settings (not the emulator check's holdout nor the predictive's draws) and pyabc's
    version.
    """
    settings = {
        "keys": list(keys),
        "bounds": list(bounds),
        "budget": {k: v for k, v in asdict(budget).items() if k not in ("predictive", "holdout")},
        "pyabc": _pyabc().__version__,
    }
    digest = hashlib.sha256(json.dumps(settings, sort_keys=True).encode())
    digest.update(design[[*free, *keys]].to_csv(index=False, float_format="%.17g").encode())
    return digest.hexdigest()


def _read_fingerprint(path: Path) -> str | None:
    try:
        return json.loads(path.read_text(encoding="utf-8")).get("fingerprint")
    except (OSError, ValueError, AttributeError):
        return None


def _particles(history: Any, free: Sequence[str] = FREE) -> pd.DataFrame:
    """Every generation's accepted particles of a pyabc History (infer's table)."""
    populations = history.get_all_populations().set_index("t")
    rows = []
    for t in range(history.max_t + 1):
        for particle in history.get_population(t).particles:
            rows.append(
                {
                    "generation": t,
                    "epsilon": float(populations.loc[t, "epsilon"]),
                    "simulations": int(populations.loc[t, "samples"]),
                    "weight": float(particle.weight),
                    "distance": float(particle.distance),
                    **{name: float(particle.parameter[name]) for name in free},
                }
            )
    table = pd.DataFrame(rows)
    table["weight"] = table["weight"] / table.groupby("generation")["weight"].transform("sum")
    return table


def generations(particles: pd.DataFrame) -> pd.DataFrame:
    """One row per generation: tolerance, simulations, acceptance, effective sample size and the
    median distance.
    """
    rows = []
    for t, part in particles.groupby("generation"):
        w = part["weight"].to_numpy()
        sims = int(part["simulations"].iloc[0])
        rows.append(
            {
                "generation": int(t),
                "epsilon": float(part["epsilon"].iloc[0]),
                "particles": len(part),
                "simulations": sims,
                "acceptance": round(len(part) / max(sims, 1), 3),
                "effective_sample_size": round(effective_sample_size(w), 1),
                "distance_median": float(weighted_quantile(part["distance"], part["weight"], 0.5)),
            }
        )
    return pd.DataFrame(rows)


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


MIN_ESS_SHARE = 0.1
"""The posterior sample is the last generation whose effective sample size is at least this share
of its particles. A generation whose importance weights fall on a few particles describes the
proposal kernel around them more than the posterior: the inference at e5ddfd5 ended on a generation
of effective sample size 9 of 1,000 (146 the generation before), and its median scored worse than
the point fit (objective 6.76 against 4.28). Chosen before the next inference ran; the share is a
judgement call, borrowed from the floor below which sequential Monte Carlo samplers resample (half
the particles in Del Moral, Doucet & Jasra 2006, J. R. Stat. Soc. B 68: 411-436), used here to
choose which generation is reported: a tenth keeps the later, tighter generations, whose
effective sample sizes this kernel usually leaves between 80 and 470 of 1,000."""


def effective_sample_size(weights: Sequence[float] | pd.Series) -> float:
    """Kish's effective sample size of importance ``weights``: (sum w)^2 / sum w^2."""
    w = np.asarray(weights, dtype=float)
    return float(w.sum() ** 2 / np.sum(w**2))


def final(particles: pd.DataFrame) -> pd.DataFrame:
    """The posterior sample: the particles of the last generation whose effective sample size is
    at least MIN_ESS_SHARE of its particles.

    When no later generation keeps that share, it is the prior's (equally weighted, it always
    does), and the report says so (sample_sentence): the figures then narrowed nothing the
    inference can show.

    Raises:
        SampleError: when a weight is not a finite number >= 0 or a generation's weights sum to
            nothing (never read as a collapse).
    """
    weights = pd.to_numeric(particles["weight"], errors="coerce")
    if not (np.isfinite(weights).all() and (weights >= 0).all()):
        raise SampleError("the particles' weights must be finite numbers, weights >= 0")
    sums = weights.groupby(particles["generation"]).sum()
    if not len(sums) or (sums <= 0).any():
        raise SampleError("every generation's weights must sum to more than 0")
    sizes = weights.groupby(particles["generation"]).agg(lambda w: effective_sample_size(w) / len(w))
    chosen = sizes[sizes >= MIN_ESS_SHARE].index.max()
    return particles[particles["generation"] == chosen].reset_index(drop=True)


def sample_sentence(steps: pd.DataFrame, chosen: int) -> str:
    """Which generation is the posterior sample, and why (MIN_ESS_SHARE)."""
    row = steps.set_index("generation").loc[chosen]
    rule = (
        f"the last whose effective sample size is at least {MIN_ESS_SHARE:.0%} of its particles "
        "(posterior.MIN_ESS_SHARE)"
    )
    if chosen == int(steps["generation"].max()):
        return f"The posterior sample is that generation, {rule}."
    if chosen == int(steps["generation"].min()):
        return (
            f"No generation after the prior's is {rule}: the weights collapsed, and the posterior "
            "sample is the prior's generation (the figures narrowed nothing this inference shows)."
        )
    return (
        f"The posterior sample is generation {chosen} (tolerance {row['epsilon']:.2f}, effective "
        f"sample size {row['effective_sample_size']:.0f}), {rule}: the later ones' weights fell "
        "on a few particles."
    )


def marginals(posterior: pd.DataFrame, point: Constants, free: Sequence[str] = FREE) -> pd.DataFrame:
    """Each free constant: prior box, posterior median and 90% interval, and the point fit.

    ``shrinkage`` is the posterior's 90% width over the prior's, in log: 1 means the figures
    say nothing about the constant, near 0 that they pin it down.
    """
    rows = []
    low_q, high_q = INTERVAL
    for name in free:
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


def correlations(posterior: pd.DataFrame, free: Sequence[str] = FREE) -> pd.DataFrame:
    """The weighted correlations of the free constants' logs in the posterior sample."""
    cov = np.cov(posterior[list(free)].to_numpy().T, aweights=posterior["weight"].to_numpy())
    sd = np.sqrt(np.diag(cov))
    with np.errstate(invalid="ignore", divide="ignore"):
        corr = cov / np.outer(sd, sd)
    return pd.DataFrame(corr, index=list(free), columns=list(free)).round(3)


def draws(
    posterior: pd.DataFrame, n: int, rng_seed: int, names: Sequence[str] = FREE
) -> list[dict[str, float]]:
    """``n`` particles drawn from the posterior by weight (with replacement), as log values."""
    rng = np.random.default_rng(rng_seed)
    weights = posterior["weight"].to_numpy(dtype=float)
    picks = rng.choice(len(posterior), size=n, replace=True, p=weights / weights.sum())
    return [{name: float(posterior[name].iloc[j]) for name in names} for j in picks]


class SampleError(ValueError):
    """A posterior sample that cannot be read (missing, too large, a column missing, bad values)."""


def read_sample(path: str | Path, names: Sequence[str]) -> pd.DataFrame:
    """The posterior sample of an ``ecosim posterior`` report's particles.csv (:func:`final`), with
    their weights and the log values of ``names``.

    Raises:
        SampleError: naming the file and what is wrong with it.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_SAMPLE_BYTES:
            raise SampleError(
                f"{path}: {size:,} bytes, more than {MAX_SAMPLE_BYTES:,} (limits.MAX_SAMPLE_BYTES)"
            )
        table = pd.read_csv(path)
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        if isinstance(exc, SampleError):
            raise
        raise SampleError(f"{path}: cannot be read as a posterior sample ({type(exc).__name__})") from None
    for column in ("generation", "weight", *names):
        if column not in table.columns:
            raise SampleError(
                f"{path}: no column {column!r} (a particles.csv of `ecosim posterior` has one a constant)"
            )
    try:
        sample = final(table)
    except SampleError as error:
        raise SampleError(f"{path}: {error}") from None
    values = sample[["weight", *names]].apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if (
        not len(sample)
        or not np.isfinite(values).all()
        or (values[:, 0] < 0).any()
        or values[:, 0].sum() <= 0
    ):
        raise SampleError(
            f"{path}: the posterior sample's weights and log values must be finite numbers, weights >= 0"
        )
    return sample


def draw_constants(
    sample: pd.DataFrame, names: Sequence[str], n: int, rng_seed: int
) -> list[dict[str, float]]:
    """``n`` draws of the constants ``names`` from a posterior sample, in their own units
    (rounded to 6 significant digits, as a spec would write them).
    """
    return [
        {name: float(f"{math.exp(value):.6g}") for name, value in drawn.items()}
        for drawn in draws(sample, n, rng_seed, names)
    ]


def median_point(sample: pd.DataFrame, free: Sequence[str] = FREE) -> dict[str, float]:
    """Each free constant's weighted posterior median (in log, so the median of the value)."""
    return {
        name: float(f"{math.exp(weighted_quantile(sample[name], sample['weight'], 0.5)):.8g}")
        for name in free
    }


def closest_point(sample: pd.DataFrame, free: Sequence[str] = FREE) -> dict[str, float]:
    """The posterior sample's particle closest to the figures (smallest distance on the emulator,
    the heavier one on a tie): one joint point of the posterior, where the marginal medians,
    taken constant by constant, can sit where a correlated posterior has no particle.
    """
    best = sample.sort_values(["distance", "weight"], ascending=[True, False]).iloc[0]
    return {name: float(f"{math.exp(best[name]):.8g}") for name in free}


POINTS = {
    "median": (median_point, "posterior median"),
    "closest": (closest_point, "posterior's closest particle"),
}
"""The points of a posterior the package default can be: how each is read, and its name."""


def install(
    folder: str | Path,
    target: Path = FITTED_FILE,
    command: list[str] | None = None,
    point: str = "median",
) -> dict[str, Any]:
    """Make a point of an ``ecosim posterior`` report the package default.

    ``ecosim run`` stays one run of one documented point (experiments/default_point.py compares
    them): each free constant's posterior median (``median``, marginals.csv's ``posterior_median``)
    or the particle closest to the figures (``closest``), written to ``target``
    (src/ecosim/fitted_constants.json) with the report it came from and a hash of its particles.

    Raises:
        SampleError: the folder has no readable posterior sample, or its sample is the prior's
            generation (every later one collapsed: :func:`final`), which no figure narrowed and
            which must never become the package default as if it were a fit; or its manifest is
            missing, unreadable or says the inference saw some clusters only (a ``--quick`` one:
            :func:`check_installable`).
    """
    folder = Path(folder)
    particles = folder / "particles.csv"
    read, name = POINTS[point]
    if (folder / "manifest.json").exists():
        # A report of another model (calibrate.Space) is refused as such, not for the columns its
        # sample lacks; a missing manifest is refused below, once the sample is read.
        check_installable(folder / "manifest.json")
    sample = read_sample(particles, FREE)
    if (sample["generation"] == 0).all():
        raise SampleError(
            f"{particles}: the posterior sample is the prior's generation (the later ones' weights "
            "collapsed), which the figures narrowed nothing: not installed"
        )
    if point == "closest" and "distance" not in sample.columns:
        raise SampleError(f"{particles}: no column 'distance' (the closest particle needs it)")
    values = read(sample)
    outside = [n for n, v in values.items() if not BOUNDS[n][0] <= v <= BOUNDS[n][1]]
    if outside:
        raise SampleError(f"{particles}: the {name} of {outside[0]} lies outside the prior's box")
    made_at = check_installable(folder / "manifest.json").get("git_commit")
    record = {
        "constants": values,
        "point": name,
        "made_by": " ".join(command) if command else "ecosim posterior",
        "report": str(folder),
        "report_hash": calibrate.file_hash([particles]),
        "report_commit": made_at,
        "date": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "least_squares_fit": "results/calibration/fitted_constants.json (ecosim calibrate)",
    }
    atomic.write_json(target, record)
    return record


def check_installable(path: Path) -> dict[str, Any]:
    """The manifest of a report that may become the package default: a posterior inferred on
    every cluster's figures. A ``--quick`` posterior (three parks, a dozen design runs, CI's
    budget), one of some clusters only, or one of another model (constants held, freed or figures
    fitted beside the package's: calibrate.Space) is never installed, and a report whose manifest
    is missing or damaged cannot show which it is.

    Raises:
        SampleError: naming the manifest and what is wrong with it.
    """
    refused = "not installed"
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SampleError(
            f"{path}: no manifest (it says which figures the posterior saw): {refused}"
        ) from None
    except (OSError, ValueError, RecursionError) as error:  # unreadable, not JSON, nested past Python
        raise SampleError(
            f"{path}: cannot read the manifest ({error.__class__.__name__}): {refused}"
        ) from None
    budget = manifest.get("budget") if isinstance(manifest, dict) else None
    if not isinstance(budget, dict) or not isinstance(budget.get("clusters"), list):
        raise SampleError(
            f"{path}: not an ecosim posterior report's manifest (no budget.clusters): {refused}"
        )
    if budget["clusters"]:  # --quick infers on QUICK_CLUSTERS; the package default on all of them
        clusters = ", ".join(str(c) for c in budget["clusters"][:8])
        raise SampleError(
            f"{path}: a posterior of {clusters} only (--quick, CI's budget), never the package "
            f"default: {refused}"
        )
    changed = ", ".join(_refit_of(manifest))  # --set, --free or --also-fit: calibrate.Space
    if changed:
        raise SampleError(
            f"{path}: a posterior of another model (its {changed} apart from the package's), never "
            f"the package default: {refused}"
        )
    return manifest


def design_targets(design: pd.DataFrame, path: Path) -> list[Target]:
    """The calibration's figures, each of which a posterior's ``design`` (read from ``path``) holds
    a column for, as the checks that reread a design (experiments/reach.py, leave_one_out.py) need.

    Raises:
        SampleError: naming the figures the design lacks: it was made on other figures (an older
            reference, such as the exit timing of 2009-2020), and a check on it would leave them out.
    """
    missing = [figure_key(t) for t in calibrate.TARGETS if figure_key(t) not in design.columns]
    if missing:
        raise SampleError(
            f"{path}: no column for {', '.join(missing[:4])}{' ...' if len(missing) > 4 else ''}: the "
            "design was made on other figures; make the posterior again (ecosim posterior)"
        )
    return list(calibrate.TARGETS)


def another_model(folder: Path) -> dict[str, Any]:
    """What a posterior report in ``folder`` held, freed or fitted beside the package's
    (calibrate.Space.record, from its manifest; empty for the package's, or when the manifest is
    missing or unreadable: :func:`check_installable` says why where it matters).
    """
    try:
        manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return {}
    return _refit_of(manifest)


def _refit_of(manifest: Any) -> dict[str, Any]:
    """A posterior manifest's ``refit_of_another_model`` (empty when it has none)."""
    changed = manifest.get("refit_of_another_model") if isinstance(manifest, dict) else None
    return changed if isinstance(changed, dict) else {}


def predictive_targets(clusters: Sequence[str]) -> list[Target]:
    """Every figure of ``clusters`` the predictive can read from a run's time series or its
    exit timing: the calibration's (in sample) and the later and other figures (out of sample).
    """
    return [
        t
        for t in calibrate.load_targets()
        if t.cluster in clusters
        and t.metric in METRICS
        and not t.of  # one organization's count is in the run summary, not the time series
        and t.role in ("fit", "holdout", "pattern_holdout")
    ] + [t for t in calibrate.exit_timing_targets() if t.cluster in clusters]


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
                "metric": t.column,
                "date": t.date,
                "role": t.role,
                "series": t.series,
                "sample": "in sample" if t.role == "fit" else "out of sample",
                "figure": t.value,
                "predictive_p05": low,
                "predictive_median": median,
                "predictive_p95": high,
                # An upper bound is covered by an interval that reaches under it.
                "covered": bool(low < t.value if t.comparison == "below" else low <= t.value <= high),
                "ratio": round(median / t.value, 3),
                "within_factor_1_5": t.met(median, 1 / calibrate.HISTORY_FACTOR, calibrate.HISTORY_FACTOR),
                "draws": int(part.size),
            }
        )
    return pd.DataFrame(rows)


def marginals_figure(posterior: pd.DataFrame, particles: pd.DataFrame, table: pd.DataFrame) -> Figure:
    """One panel a constant: the prior box (x axis, log), the first generation's and the posterior
    sample's weighted histograms, the posterior's 90% interval and the point fit.
    """
    columns = 5
    rows = math.ceil(len(table) / columns)
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
            label="posterior's 90% interval",
        )
        if row.point_fit > 0:  # a mechanism the point fit leaves off (0) has no place on a log axis
            ax.axvline(math.log(row.point_fit), color=plots.TARGET_COLOUR, lw=1.5, label="default before")
        ticks = np.linspace(edges[0], edges[-1], 4)
        ax.set_xticks(ticks, [f"{math.exp(v):.3g}" for v in ticks], fontsize=7)
        ax.set_yticks([])
        ax.set_title(name, fontsize=9)
    for ax in list(axes.flat)[len(table) :]:
        ax.axis("off")
    axes.flat[0].legend(frameon=False, fontsize=7)
    fig.suptitle("Posterior of the free constants (ABC-SMC): x axis the prior's box, log scale", fontsize=10)
    fig.tight_layout()
    return fig


RATIO_TICKS = tuple(
    sorted({1.0, *(r for q in (calibrate.HISTORY_FACTOR, 2.0, 3.0, 5.0, 10.0) for r in (q, 1 / q))})
)
"""The ratios marked on the predictive figure's log axis: x1.5 (calibrate.HISTORY_FACTOR), 2, 3, 5
and 10 either way."""
FIGURE_DPI = 90
"""The resolution of the posterior's figures (posterior.png, predictive.png)."""


def predictive_figure(table: pd.DataFrame) -> Figure:
    """Model over figure for every figure: the predictive median and 90% interval, in sample and
    out of sample side by side, with the factor-1.5 band.
    """
    from matplotlib.ticker import FixedLocator, FuncFormatter, NullLocator

    table = table.reset_index(drop=True)
    # Constrained layout lays the rows' names out at the dpi the figure is written at
    # (tight_layout, at another, left them past the left edge).
    fig = plots.figure((8.5, 0.22 * len(table) + 1.6), layout="constrained")
    ax = fig.subplots()
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
    # Ratios a reader can name, each with its reciprocal (a log axis marks only the powers of
    # ten, here 1 alone); a locator, unlike set_xticks, leaves the limits to the data.
    ax.xaxis.set_major_locator(FixedLocator(RATIO_TICKS))
    ax.xaxis.set_minor_locator(NullLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda value, _pos: f"{value:.2g}"))  # plain: 0.67
    ax.set_yticks(
        range(len(table))[::-1],
        [f"{r.cluster} {r.metric.replace('_census', '')} {r.date}" for r in table.itertuples()],
        fontsize=7,
    )
    for label, colour in colours.items():
        ax.plot([], [], color=colour, lw=2, label=label)
    ax.legend(frameon=False, fontsize=8, loc="lower right")
    ax.set_xlabel(
        "model / figure (posterior predictive: median and 90% interval; "
        f"grey: within x{calibrate.HISTORY_FACTOR:g})"
    )
    fig.suptitle("Posterior predictive check: the model's value over each source figure", fontsize=10)
    return fig


def rejection(design: pd.DataFrame, share: float = 0.1) -> pd.DataFrame:
    """The design's runs closest to the figures (the ``share`` with the smallest distances), as
    an equally weighted sample: rejection ABC on the model itself, without the emulator, a check
    on the emulator's posterior (coarse: a tolerance as wide as the design is small).
    """
    kept = design.nsmallest(max(2, round(share * len(design))), "distance")
    return kept.assign(weight=1.0 / len(kept)).reset_index(drop=True)


def posterior(
    out_dir: str | Path,
    budget: AbcBudget = FULL,
    backend: engine.Backend | None = None,
    scenario_dir: str | Path = "scenarios",
    store_dir: str | Path = "runs/posterior-store",
    command: list[str] | None = None,
    log: Callable[[str], None] | None = print,
    space: calibrate.Space | None = None,
) -> dict[str, Any]:
    """Run the design, fit and check the emulator, infer, run the predictive, write the report.

    Args:
        out_dir: report folder (design.csv, emulator_check.csv, particles.csv, generations.csv,
            marginals.csv, correlations.csv, predictive.csv, posterior.png, predictive.png,
            manifest.json, README.md), written atomically.
        budget: design, emulator check, ABC and predictive sizes, clusters, seed.
        backend: where runs execute (None: in this process).
        scenario_dir: folder of the scenario files.
        store_dir: folder of the finished runs and pyabc's database (the resume state).
        command: the command line for the manifest.
        log: where progress lines go (None: silent, and no progress bar either).
        space: the constants inferred and held, and the figures seen beside the targets (the
            package's when None); a posterior of another space is never installed
            (:func:`check_installable`).

    Returns:
        The summary recorded in the manifest.
    """
    started = time.monotonic()
    say = log or (lambda _message: None)
    out_dir, scenario_dir, store_dir = Path(out_dir), Path(scenario_dir), Path(store_dir)
    store_dir.mkdir(parents=True, exist_ok=True)
    store = RunStore(store_dir)
    workers = backend if backend is not None else 1
    space = space or calibrate.Space()
    free = space.free
    also = [t for t in space.also_fit if not budget.clusters or t.cluster in budget.clusters]
    targets = calibrate.targets_for(budget.clusters) + also
    seen = dataclasses.replace(space, also_fit=tuple(also))
    keys = [figure_key(t) for t in targets]
    point = space.base()
    say(
        f"posterior: {len(free)} free constants, {len(targets)} figures; design of {budget.design} "
        f"points (one run a cluster each), finished runs kept in {store_dir}"
    )
    points = design_points(budget.design, budget.rng_seed, free)
    design = simulate(
        points,
        targets,
        workers,
        scenario_dir,
        store,
        lambda _i, p: particle_seed(p, free),
        progress=log is not None,
        space=space,
    )
    say("emulator: one Gaussian process a figure, checked on the design points it did not see")
    check = emulator_check(design, keys, budget, free)
    bounds = [figure_key(t) for t in targets if t.comparison == "below"]
    emulator = Emulator(
        keys, design[list(free)].to_numpy(), design[keys].to_numpy(), budget.rng_seed, bounds, free
    )
    say(f"ABC-SMC on the emulator: {budget.population} particles a generation, at most {budget.generations}")
    fingerprint = inference_fingerprint(design, keys, bounds, budget, free)
    particles = infer(emulator, keys, budget, store_dir / "abc.db", fingerprint, free)
    steps = generations(particles)
    sample = final(particles)
    table = marginals(sample, point, free).merge(
        marginals(rejection(design), point, free)[
            ["constant", "posterior_p05", "posterior_median", "posterior_p95"]
        ].rename(columns=lambda c: c.replace("posterior_", "rejection_")),
        on="constant",
    )
    clusters = sorted({t.cluster for t in targets})
    figures = predictive_targets(clusters)
    picked = draws(sample, budget.predictive, budget.rng_seed, free)
    say(f"posterior predictive: {len(picked)} draws x {len(clusters)} clusters, {len(figures)} figures")
    values = calibrate.values_over(
        [(i, constants_of(v, point, free)) for i, v in enumerate(picked)],
        figures,
        {i: [PREDICTIVE_SEEDS + i] for i in range(len(picked))},
        workers,
        scenario_dir,
        store=store,
        progress=log is not None,
    )
    checks = predictive(values, figures)
    corr = correlations(sample, free)
    summary = {
        "design_runs": len(design) * len(clusters),
        "design_runs_stopped": [s for s in design["stopped"] if s],
        "emulator_r_squared_median": round(float(check["r_squared"].median()), 3),
        "emulator_inside_90_median": round(float(check["inside_90"].median()), 3),
        "generations": len(steps),
        "final_epsilon": round(float(steps["epsilon"].iloc[-1]), 4),
        "final_effective_sample_size": float(steps["effective_sample_size"].iloc[-1]),
        "sample_generation": int(sample["generation"].iloc[0]),
        "covered_in_sample": _share(checks, "in sample", "covered"),
        "covered_out_of_sample": _share(checks, "out of sample", "covered"),
        "within_factor_1_5_in_sample": _share(checks, "in sample", "within_factor_1_5"),
        "within_factor_1_5_out_of_sample": _share(checks, "out of sample", "within_factor_1_5"),
        "point_fit_inside": f"{int(table['point_fit_inside'].sum())}/{len(table)}",
    }
    with atomic.staged_dir(out_dir) as stage:
        design.to_csv(stage / "design.csv", index=False)
        check.to_csv(stage / "emulator_check.csv", index=False)
        particles.to_csv(stage / "particles.csv", index=False)
        steps.to_csv(stage / "generations.csv", index=False)
        table.to_csv(stage / "marginals.csv", index=False)
        corr.to_csv(stage / "correlations.csv")
        checks.to_csv(stage / "predictive.csv", index=False)
        plots.save_png(marginals_figure(sample, particles, table), stage / "posterior.png", dpi=FIGURE_DPI)
        plots.save_png(predictive_figure(checks), stage / "predictive.png", dpi=FIGURE_DPI)
        manifest = {
            **provenance.base_manifest(command),
            "seconds": round(time.monotonic() - started, 1),
            "backend": backend.label if backend is not None else "serial",
            "store": str(store_dir),
            "budget": asdict(budget),
            "free_constants": list(free),
            "prior": {name: list(BOUNDS[name]) for name in free},
            # What it held, freed and fitted beside (those of the clusters inferred).
            **({"refit_of_another_model": seen.record()} if not seen.package else {}),
            "figures_inferred": keys,
            "seeds": {
                "design": f"{PARTICLE_SEEDS} + (hash of the point) mod 1,000,000 (design.csv)",
                "predictive": [PREDICTIVE_SEEDS + i for i in range(len(picked))],
            },
            "scenarios": calibrate.scenario_digests(clusters, scenario_dir),
            "summary": summary,
        }
        atomic.write_json(stage / "manifest.json", manifest)
        atomic.write_text(stage / "README.md", readme(table, steps, check, checks, corr, summary, manifest))
    say(f"report: {out_dir}/ ({manifest['seconds']:.0f} s)")
    return summary


def stopped_sentence(stopped: Sequence[str]) -> str:
    """What the README says of the design's runs that ended at the growth limit."""
    runs = [run for point in stopped for run in _pairs(point.split())]
    if not runs:
        return "No run passed the growth limit (limits.MAX_FIRMS firms)."
    return (
        f"{len(runs)} passed the growth limit (limits.MAX_FIRMS firms) and ended there, their "
        f"later figures read at the last month ({'; '.join(runs)}): far from every history."
    )


def refit_lines(changed: dict[str, Any]) -> list[str]:
    """What the README says of a posterior of another model (calibrate.Space.record): nothing for
    the package's.
    """
    if not changed:
        return []
    parts = {
        "held": lambda v: "held " + ", ".join(f"{k}={x}" for k, x in v.items()),
        "freed": lambda v: "freed " + ", ".join(v),
        "also_fitted": lambda v: "fitted beside the targets " + ", ".join(v),
    }
    said = "; ".join(parts[key](value) for key, value in changed.items())
    return [f"- **A refit of another model**, never installed as the package default: {said}."]


def _pairs(words: Sequence[str]) -> list[str]:
    """``["boston", "2008", "kobe", "2010"]`` as ``["boston 2008", "kobe 2010"]``."""
    return [f"{words[i]} {words[i + 1]}" for i in range(0, len(words) - 1, 2)]


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
    check: pd.DataFrame,
    checks: pd.DataFrame,
    corr: pd.DataFrame,
    summary: dict[str, Any],
    manifest: dict[str, Any],
) -> str:
    """The report's README: method, the emulator's check, the posterior, the predictive check."""
    budget = manifest["budget"]
    lines = [
        "# Posterior of the free constants (ABC on an emulator of the model)",
        "",
        f"Written by `{manifest['command']}` at commit {manifest.get('git_commit', '?')[:7]} in "
        f"{manifest['seconds'] / 60:.0f} minutes ({manifest['backend']}). Method and why: "
        "src/ecosim/posterior.py.",
        "",
        f"- Prior: uniform in log on the point fit's box. Data: the {len(manifest['figures_inferred'])} "
        "calibration figures (the source document's end points and the US clusters' figures up to "
        "2000); the figures dated 2001-2018 and the source's other figures are never seen.",
        *refit_lines(manifest.get("refit_of_another_model", {})),
        f"- The model: {budget['design']} points of a Latin hypercube over the prior, each run once "
        f"for every cluster with its own seed ({summary['design_runs']} runs, design.csv). "
        + stopped_sentence(summary["design_runs_stopped"]),
        "- The emulator: a Gaussian process a figure (scikit-learn), the model's seed noise "
        "included. Fitted without a random "
        f"{budget['holdout']:.0%} of the design, it predicted those runs with a median R squared "
        f"of {summary['emulator_r_squared_median']:.2f}, and its 90% intervals held a median "
        f"{summary['emulator_inside_90_median']:.0%} of them (emulator_check.csv, one row a figure).",
        f"- ABC-SMC (pyabc) on the emulator: {budget['population']} particles a generation, "
        f"{summary['generations']} generations; last tolerance: distance "
        f"{summary['final_epsilon']:.2f} (the Euclidean norm of the log errors), effective sample "
        f"size {summary['final_effective_sample_size']:.0f}. "
        + sample_sentence(steps, summary["sample_generation"]),
        "",
        "## Generations (generations.csv)",
        "",
        "| generation | tolerance | simulations | acceptance | effective sample size | median distance |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in steps.itertuples(index=False):
        lines.append(
            f"| {row.generation} | {row.epsilon:.2f} | {row.simulations:,} | {row.acceptance:.2f} | "
            f"{row.effective_sample_size:.0f} | {row.distance_median:.2f} |"
        )
    lines += [
        "",
        "## The emulator's check (emulator_check.csv)",
        "",
        "| figure | R squared | inside its 90% interval | predictive sd (log) |",
        "| --- | --- | --- | --- |",
    ]
    for row in check.itertuples(index=False):
        lines.append(
            f"| {row.figure} | {row.r_squared:.2f} | {row.inside_90:.0%} | {row.predictive_sd:.2f} |"
        )
    lines += [
        "",
        "## The posterior (marginals.csv, correlations.csv, posterior.png)",
        "",
        "Shrinkage: the posterior's 90% width over the prior's, in log (1: the figures say nothing "
        "about the constant). Rejection: the closest tenth of the design's runs of the model itself "
        "(no emulator; coarse), as a check. Default before: the package default when this inference "
        "ran (the previous round's point, marginals.csv's `point_fit`), not a fit of these figures: "
        "the calibration that follows refines the point installed from this posterior.",
        "",
        "| constant | prior box | posterior median | 90% interval | shrinkage | rejection 90% "
        "| default before | inside |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in table.itertuples(index=False):
        lines.append(
            f"| {row.constant} | {_fmt(row.prior_low)}-{_fmt(row.prior_high)} | "
            f"{_fmt(row.posterior_median)} | {_fmt(row.posterior_p05)}-{_fmt(row.posterior_p95)} | "
            f"{row.shrinkage:.2f} | {_fmt(row.rejection_p05)}-{_fmt(row.rejection_p95)} | "
            f"{_fmt(row.point_fit)} | {'yes' if row.point_fit_inside else 'no'} |"
        )
    lines += ["", "Strongest correlations (logs, weighted):", ""]
    lines += [f"- {a} and {b}: {c:+.2f}" for a, b, c in strongest(corr)]
    lines += [
        "",
        "## Posterior predictive (predictive.csv, predictive.png)",
        "",
        f"{budget['predictive']} draws from the posterior, each a run of the model itself with a "
        "new seed: the interval folds in what the figures leave unknown about the constants and "
        "the model's noise.",
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
        "`ecosim run` stays one run of one documented point: experiments/default_point.py keeps the "
        "default the round began from (the incumbent) unless one of this posterior's median, its "
        "closest particle and the point fits of results/calibration (trust-region least squares on "
        "the median of three seeds) clearly beats it on held-out seeds, by its rule. The point fit "
        "in results/calibration when this report was written lies inside "
        f"the posterior's 90% interval for {summary['point_fit_inside']} constants. A robust "
        "sweep can draw the fitted constants together from particles.csv, correlations included "
        "(`posterior:` in experiments/gtb_robust.yaml); marginals.csv gives the 90% intervals a "
        "sensitivity spec can take as independent ranges.",
        "",
    ]
    return "\n".join(lines)
