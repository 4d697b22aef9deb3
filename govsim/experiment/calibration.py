"""Calibration by approximate Bayesian computation (ABC-SMC, pyabc) to observed patterns.

``govsim calibrate SPEC.toml`` fits the free parameters of a scenario's arm to target
patterns (:mod:`govsim.experiment.calibspec`). Each evaluation runs ``replicates`` models
at a particle's parameter values and takes the targets' statistics of their time series;
a particle's distance is the root mean square of (simulated - observed) / tolerance over
the targets.
ABC-SMC (Toni et al. 2009; Beaumont et al. 2009) then narrows the particles generation by
generation, with pyabc's median epsilon schedule and a multivariate normal perturbation
whose covariance is twice the weighted covariance of the previous generation (Beaumont et
al. 2009; Filippi et al. 2013).

Why that kernel: with fewer targets than free parameters (the baseline fits nine to five
patterns) the posterior is a ridge, wide along the directions the patterns leave open.
pyabc's default kernel, the population's covariance shrunk by Silverman's factor (0.42 of
it for 100 particles in nine dimensions), is a lumpy mixture along that ridge, and a
particle's importance weight, prior over the mixture's density, then varies by orders of
magnitude: in a baseline refit one particle carried half the weight by the fourth
generation and all of it by the fifth (an effective sample size of 1.0 of 150 particles;
1.1 of 40 in an earlier committed fit). On a linear ridge of the same dimensions (nine
uniform parameters, five noisy linear statistics) the default kernel ends at an effective
sample size of 2 to 5 of 100, the kernel of twice the covariance at 62 to 86.

pyabc sees every free parameter on the unit interval, u = (x - low) / (high - low), and
the model maps it back, so that the kernel's covariance is well conditioned (on the
parameters' own scales, a dispute rate of 2e-5 beside minutes of mobilisation, its
condition number is about 1e12; on the unit scale about 20). The uniform prior is the same
on either scale.

The folder holds:

- ``calibration.db``: pyabc's history (every generation, committed when complete), from
  which a killed calibration resumes (``--resume``) at the next generation;
- ``manifest.json``: the spec, the generations done and whether the run is complete;
- ``posterior.csv``: the last generation's particles (weight, distance, parameters);
- ``posterior_summary.csv`` and ``best.json``: per parameter the prior, the weighted
  median and 90% interval; the particle closest to the targets;
- ``fit.csv``: per target the observed value, the simulated mean and sd over
  ``check_replicates`` runs at the posterior median, the tolerance, whether the mean is
  within it, and the source; ``govsim calibrate --check DIR`` reruns it with fresh seeds
  (``fit_check.csv``);
- ``posterior.png`` (marginal posteriors) and ``fit.png`` (targets against simulated).

Executors: one worker runs pyabc's single-core sampler (with seeds derived from the spec's
seed and the generation, so the same spec gives the same particles); more workers its
multicore evaluation-parallel sampler; ``scheduler`` its Dask sampler. Each generation
starts from the database, so a resumed calibration runs the same generations as an
uninterrupted one (with one worker, the same particles). Parallel samplers draw their
seeds afresh in each worker, so their particles vary from run to run while the posterior
they estimate does not.

References
----------
Toni, T., Welch, D., Strelkowa, N., Ipsen, A. & Stumpf, M. P. H. (2009). Approximate
Bayesian computation scheme for parameter inference and model selection in dynamical
systems. *J. R. Soc. Interface* 6(31):187-202.
Klinger, E., Rickert, D. & Hasenauer, J. (2018). pyABC: distributed, likelihood-free
inference. *Bioinformatics* 34(20):3591-3593.
Beaumont, M. A., Cornuet, J.-M., Marin, J.-M. & Robert, C. P. (2009). Adaptive approximate
Bayesian computation. *Biometrika* 96(4):983-990.
Filippi, S., Barnes, C. P., Cornebise, J. & Stumpf, M. P. H. (2013). On optimality of
kernels for approximate Bayesian computation using sequential Monte Carlo. *Statistical
Applications in Genetics and Molecular Biology* 12(1):87-107.
Grimm, V. et al. (2005). Pattern-oriented modeling of agent-based complex systems.
*Science* 310(5750):987-991.
"""

from __future__ import annotations

import json
import logging
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.experiment.calibspec import CalibrationSpec, Target, load_calibration
from govsim.experiment.runner import ExecutorError, replicate_seeds
from govsim.experiment.spec import SpecError
from govsim.experiment.store import StoreError, hold_folder, write_failure

__all__ = ["CalibrationResult", "calibrate", "check_calibration", "effective_sample_size",
           "posterior_draws",
           "statistics", "weighted_quantile"]

DB = "calibration.db"
KIND = "calibration"
#: how pyabc's parameters map to the spec's: "unit" (each on [0, 1], see the module's
#: docstring); a database written on another scale cannot be resumed
SCALE = "unit"


# -- the model's side: statistics of one run ----------------------------------------
def statistics(ts: pd.DataFrame, targets: Sequence[Target], warmup: int, residents: int,
               households: int) -> dict[str, float]:
    """The targets' statistics of one run's daily table, over the days after ``warmup``.

    Example
    -------
    >>> import pandas as pd
    >>> from govsim.experiment.calibspec import Target
    >>> ts = pd.DataFrame({"step": [1, 2, 3, 4], "mediated": [0, 1, 1, 0],
    ...                    "disputes": [2, 2, 2, 2]})
    >>> t = [Target("m", "mediated", "rate", 10.6, 3, "s"),
    ...      Target("s", "mediated", "complement", 0.5, 0.1, "s", of="disputes")]
    >>> statistics(ts, t, warmup=2, residents=1000, households=400)
    {'m': 182.5, 's': 0.75}
    """
    window = ts[ts["step"] > warmup]
    days = max(1, len(window))
    out = {}
    for t in targets:
        x = window[t.measure].to_numpy(float)
        if t.statistic == "mean":
            value = float(x.mean()) if len(x) else float("nan")
        elif t.statistic == "final":
            value = float(ts[t.measure].iloc[-1])
        elif t.statistic == "rate":
            scale = 1000.0 / residents if t.per == "residents" else 1.0 / households
            value = float(x.sum()) * scale * 365.0 / days
        else:
            total = float(window[t.of].to_numpy(float).sum())
            share = float(x.sum()) / total if total > 0 else float("nan")
            value = share if t.statistic == "share" else 1.0 - share
        out[t.name] = value
    return out


def simulate(spec: CalibrationSpec, values: dict[str, Any], seed: int) -> dict[str, float]:
    """The targets' statistics of one run of ``spec`` at ``values`` with ``seed``."""
    from govsim.model import CommunityModel
    from govsim.scenario import load_scenario
    params = load_scenario(spec.scenario).params(spec.arm, spec.overrides(values),
                                                 residents=spec.residents)
    model = CommunityModel(params=params, rng=seed)
    model.run_for(spec.steps)
    households = len(np.unique(model.state.household))
    return statistics(model.timeseries(), spec.targets, spec.warmup,
                      params["community.residents"], households)


def _mean_stats(spec: CalibrationSpec, values: dict[str, Any],
                seeds: Sequence[int]) -> dict[str, float]:
    runs = [simulate(spec, values, s) for s in seeds]
    return {t.name: float(np.nanmean([r[t.name] for r in runs])) for t in spec.targets}


class _Model:
    """pyabc's model: a particle's parameters -> the targets' statistics (picklable)."""

    def __init__(self, spec: CalibrationSpec, names: dict[str, str]):
        self.spec = spec
        self.names = names          # pyabc's parameter names -> dotted keys

    def __call__(self, particle) -> dict[str, float]:
        values = _values(self.spec, self.names, particle)
        seeds = [int(s) for s in np.random.randint(0, 2**62, size=self.spec.replicates,
                                                   dtype=np.int64)]
        return _mean_stats(self.spec, values, seeds)


class _Distance:
    """Root mean square of (x - x0) / tolerance over the targets (inf where a statistic
    is missing). Not the largest ratio: a count that is often zero (a rare event) holds
    the largest ratio at one value for most particles, and the median epsilon schedule
    then stalls on that plateau."""

    def __init__(self, tolerances: dict[str, float]):
        self.tolerances = tolerances

    def __call__(self, x: dict, x0: dict) -> float:
        d = np.array([(float(x[k]) - float(x0[k])) / tol
                      for k, tol in self.tolerances.items()])
        return float("inf") if np.isnan(d).any() else float(np.sqrt(np.mean(d * d)))


# -- the folder ---------------------------------------------------------------------
@dataclass
class CalibrationResult:
    """What a calibration wrote: the posterior, its summary, the fit table."""

    folder: Path
    generations: int
    posterior: pd.DataFrame
    summary: pd.DataFrame
    fit: pd.DataFrame
    epsilon: float

    @property
    def effective_sample_size(self) -> float:
        return effective_sample_size(self.posterior)


def effective_sample_size(posterior: pd.DataFrame) -> float:
    """Kish's effective sample size of the last generation, (sum w)^2 / sum w^2: the number
    of equally weighted particles the weighted sample is worth. Far below the population,
    a few particles carry the posterior and its intervals understate the uncertainty.

    References
    ----------
    Kish, L. (1965). *Survey Sampling*. Wiley. Del Moral, P., Doucet, A. & Jasra, A. (2012).
    An adaptive sequential Monte Carlo method for approximate Bayesian computation.
    *Statistics and Computing* 22:1009-1020.
    """
    w = posterior["weight"].to_numpy(dtype=float)
    return float(w.sum() ** 2 / (w ** 2).sum()) if len(w) else 0.0


def _pyabc():
    try:
        import pyabc
    except ImportError:
        raise ExecutorError("govsim calibrate needs pyabc: pip install 'govsim[calibrate]'"
                            ) from None
    logging.getLogger("ABC").setLevel(logging.WARNING)
    for name in ("ABC.Sampler", "ABC.History", "ABC.Epsilon", "ABC.Distance",
                 "ABC.Adaptation", "ABC.Population", "ABC.Predictor"):
        logging.getLogger(name).setLevel(logging.WARNING)
    return pyabc


def _sampler(pyabc, workers: int | None, scheduler: str | None):
    """pyabc's sampler for the executor, and what to close after the run."""
    if scheduler:
        from govsim.experiment.runner import dask_client
        client, cluster = dask_client(scheduler, workers)
        return (pyabc.sampler.DaskDistributedSampler(dask_client=client),
                [c for c in (client, cluster) if c is not None])
    if (workers or 1) > 1:
        return pyabc.sampler.MulticoreEvalParallelSampler(n_procs=workers), []
    return pyabc.sampler.SingleCoreSampler(), []


def _names(spec: CalibrationSpec) -> dict[str, str]:
    return {f"p{i}": key for i, key in enumerate(spec.prior)}


def _values(spec: CalibrationSpec, names: dict[str, str], parameter) -> dict[str, float]:
    """A particle's parameters (each on the unit interval) on the spec's own scales."""
    out = {}
    for name, key in names.items():
        low, high = spec.prior[key]
        out[key] = float(low + float(parameter[name]) * (high - low))
    return out


def _no_shrinkage(n: float, dimension: int) -> float:
    """The kernel's bandwidth factor: the population's covariance, not shrunk."""
    return 1.0


#: the perturbation's covariance, in units of the previous generation's weighted
#: covariance (Beaumont et al. 2009; see the module's docstring)
KERNEL_SCALE = 2.0


def _abc(pyabc, spec: CalibrationSpec, sampler):
    names = _names(spec)
    prior = pyabc.Distribution(**{name: pyabc.RV("uniform", 0.0, 1.0) for name in names})
    distance = _Distance({t.name: t.tolerance for t in spec.targets})
    kernel = pyabc.MultivariateNormalTransition(scaling=KERNEL_SCALE,
                                                bandwidth_selector=_no_shrinkage)
    return pyabc.ABCSMC(_Model(spec, names), prior, distance, transitions=kernel,
                        population_size=spec.population, sampler=sampler)


def _write_json(path: Path, data: dict[str, Any]) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n")
    tmp.replace(path)


def _write_csv(path: Path, table: pd.DataFrame) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    table.to_csv(tmp, index=False, float_format="%.6g")
    tmp.replace(path)


def _manifest(folder: Path) -> dict[str, Any]:
    try:
        data = json.loads((folder / "manifest.json").read_text())
    except (OSError, ValueError):
        raise StoreError(f"{folder} holds no calibration (no readable manifest.json)"
                         ) from None
    if data.get("kind") != KIND:
        raise StoreError(f"{folder} holds no calibration (its manifest is not one)")
    return data


def _progress(total: int, initial: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit="generation", dynamic_ncols=True,
                file=sys.stderr)


def _generation_seed(seed: int, t: int) -> int:
    return int(np.random.SeedSequence([seed, t + 1]).generate_state(1)[0])


def calibrate(spec: str | Path | CalibrationSpec, out: str | Path | None = None,
              workers: int | None = 1, scheduler: str | None = None, resume: bool = False,
              force: bool = False, quiet: bool = True) -> CalibrationResult:
    """Fit a scenario's free parameters to target patterns by ABC-SMC; write the folder.

    Parameters
    ----------
    spec : path or CalibrationSpec
        A TOML calibration spec (:mod:`govsim.experiment.calibspec`).
    out : path, optional
        The output folder (default ``results/calibrate-<spec stem>``).
    workers : int, optional
        Processes evaluating particles (1: single-core and reproducible).
    scheduler : str, optional
        A Dask scheduler address, or "local" to start a local cluster.
    resume : bool
        Continue a killed calibration in ``out`` from its database.
    force : bool
        Replace the results in ``out``.
    quiet : bool
        No progress bar.

    Returns
    -------
    CalibrationResult

    Raises
    ------
    SpecError, StoreError, ExecutorError
        Bad input (nothing written).
    StoreWriteError
        A write that failed midway; the folder resumes from its database.

    Example
    -------
    >>> import govsim  # doctest: +SKIP
    >>> result = govsim.calibrate("calibrations/baseline.toml")  # doctest: +SKIP
    >>> result.fit[["target", "observed", "simulated_mean", "within"]]  # doctest: +SKIP

    References
    ----------
    Toni et al. (2009), *J. R. Soc. Interface* 6:187-202; Klinger, Rickert & Hasenauer
    (2018), *Bioinformatics* 34(20):3591-3593.
    """
    spec = spec if isinstance(spec, CalibrationSpec) else load_calibration(spec)
    out = Path(out) if out is not None else Path("results") / f"calibrate-{Path(spec.source).stem}"
    pyabc = _pyabc()
    identity = spec.to_dict()
    with hold_folder(out, resume, force):
        db = out / DB
        if resume:
            manifest = _manifest(out)
            if _model_part(manifest.get("spec")) != _model_part(identity):
                raise StoreError(f"{out} holds a calibration of another spec; use --force "
                                 "to replace it")
            if manifest.get("scale") != SCALE:
                raise StoreError(f"{out} holds a calibration by an earlier govsim, with "
                                 "parameters on their own scales; use --force to start "
                                 "it again")
            # a larger budget extends a calibration: more generations from its database
            manifest["spec"] = identity
            manifest["complete"] = False
        else:
            for name in (DB, "manifest.json", "posterior.csv", "posterior_summary.csv",
                         "best.json", "fit.csv", "fit_check.csv", "posterior.png",
                         "fit.png"):
                (out / name).unlink(missing_ok=True)
            manifest = {"kind": KIND, "spec": identity, "scale": SCALE, "generations": 0,
                        "complete": False, "epsilons": []}
        try:
            _write_json(out / "manifest.json", manifest)
        except OSError as exc:
            raise write_failure(exc, out, resumable=False,
                                state="nothing was written") from exc
        sampler, to_close = _sampler(pyabc, workers, scheduler)
        try:
            result = _run(pyabc, spec, out, db, sampler, manifest, quiet, workers)
        finally:
            for resource in to_close:
                resource.close()
    return result


def _model_part(identity: dict[str, Any] | None) -> dict[str, Any] | None:
    """A spec's identity without the budget entries a resumed run may raise."""
    if identity is None:
        return None
    budget = {k: v for k, v in identity.get("budget", {}).items()
              if k not in ("generations", "min_epsilon", "check_replicates")}
    return {**identity, "budget": budget}


def _run(pyabc, spec, out, db, sampler, manifest, quiet, workers) -> CalibrationResult:
    from sqlalchemy.exc import OperationalError
    url = f"sqlite:///{db.resolve()}"
    abc = _abc(pyabc, spec, sampler)
    try:
        if db.exists() and _has_run(pyabc, url):
            abc.load(url, 1)
        else:
            db.unlink(missing_ok=True)
            np.random.seed(_generation_seed(spec.seed, -1))
            abc.new(url, {t.name: t.observed for t in spec.targets})
        done = abc.history.max_t + 1
        bar = _progress(spec.generations, done, quiet)
        eps = manifest["epsilons"][-1] if manifest["epsilons"] else float("inf")
        try:
            while done < spec.generations and not eps <= spec.min_epsilon:
                if done > 0:
                    # every generation starts from the database, as a resumed run does:
                    # an ABCSMC object caches the sample its epsilon was first set from
                    abc = _abc(pyabc, spec, sampler)
                    abc.load(url, 1)
                np.random.seed(_generation_seed(spec.seed, done))
                abc.run(max_nr_populations=1, minimum_epsilon=spec.min_epsilon)
                if abc.history.max_t + 1 == done:   # the generation did not finish
                    break
                done = abc.history.max_t + 1
                eps = float(abc.history.get_all_populations()["epsilon"].iloc[-1])
                manifest["epsilons"] = [float(e) for e in
                                        abc.history.get_all_populations()["epsilon"][1:]]
                manifest["generations"] = done
                manifest["simulations"] = int(abc.history.total_nr_simulations)
                _write_json(out / "manifest.json", manifest)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(epsilon=f"{eps:.3g}")
        finally:
            if bar is not None:
                bar.close()
        posterior = _posterior(abc.history, spec)
    except OSError as exc:
        raise write_failure(exc, out, state=f"{manifest['generations']} generations are "
                                            "in the database") from exc
    except OperationalError as exc:
        raise write_failure(OSError(str(exc.orig)), out,
                            state=f"{manifest['generations']} generations are in the "
                                  "database") from exc
    try:
        summary = posterior_summary(posterior, spec)
        fit = fit_table(spec, _median(summary), _fit_seeds(spec.seed, spec.check_replicates),
                        workers)
        _write_csv(out / "posterior.csv", posterior)
        _write_csv(out / "posterior_summary.csv", summary)
        best = posterior.sort_values("distance", kind="stable").iloc[0]
        _write_json(out / "best.json", {
            "distance": float(best["distance"]),
            "parameters": {k: float(best[k]) for k in spec.prior},
            "posterior_median": _median(summary)})
        _write_csv(out / "fit.csv", fit)
        _figures(out, posterior, summary, fit, spec)
        manifest["complete"] = True
        _write_json(out / "manifest.json", manifest)
    except OSError as exc:
        raise write_failure(exc, out, state=f"{manifest['generations']} generations are "
                                            "in the database") from exc
    return CalibrationResult(out, manifest["generations"], posterior, summary, fit,
                             float(eps))


def _has_run(pyabc, url: str) -> bool:
    try:
        history = pyabc.History(url, create=False)
        return len(history.all_runs()) > 0
    except Exception:  # an empty or torn file from a kill before the first commit
        return False


def _posterior(history, spec: CalibrationSpec) -> pd.DataFrame:
    t = history.max_t
    if t < 0:
        raise StoreError("the calibration finished no generation")
    population = history.get_population(t=t)
    names = _names(spec)
    rows = []
    for particle in population.particles:
        rows.append({"generation": t, "weight": float(particle.weight),
                     "distance": float(particle.distance),
                     **_values(spec, names, particle.parameter)})
    table = pd.DataFrame(rows)
    table["weight"] = table["weight"] / table["weight"].sum()
    return table


def weighted_quantile(x: np.ndarray, w: np.ndarray, q: float) -> float:
    """The ``q`` quantile of a weighted sample (inverse of the weighted ECDF, midpoint).

    Example
    -------
    >>> weighted_quantile(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 2.0]), 0.5)
    2.5
    """
    order = np.argsort(x, kind="stable")
    x, w = np.asarray(x, float)[order], np.asarray(w, float)[order]
    cum = np.cumsum(w) - 0.5 * w
    cum /= w.sum()
    return float(np.interp(q, cum, x))


def posterior_summary(posterior: pd.DataFrame, spec: CalibrationSpec) -> pd.DataFrame:
    """Per free parameter: prior range, weighted median and 90% interval."""
    rows = []
    w = posterior["weight"].to_numpy()
    for key, (lo, hi) in spec.prior.items():
        x = posterior[key].to_numpy()
        rows.append({"parameter": key, "prior_low": lo, "prior_high": hi,
                     "median": weighted_quantile(x, w, 0.5),
                     "q05": weighted_quantile(x, w, 0.05),
                     "q95": weighted_quantile(x, w, 0.95)})
    return pd.DataFrame(rows)


def _median(summary: pd.DataFrame) -> dict[str, float]:
    return {r.parameter: float(r.median) for r in summary.itertuples()}


def _fit_seeds(seed: int, n: int, fresh: int | None = None) -> list[int]:
    """Seeds of the fit table: a stream apart from the calibration's (or, for --check,
    from fresh entropy)."""
    master = np.random.SeedSequence([seed, 1] if fresh is None else [fresh])
    return replicate_seeds(int(master.generate_state(1)[0]), n)


def _one(args):
    spec, values, seed = args
    return simulate(spec, values, seed)


def fit_table(spec: CalibrationSpec, values: dict[str, float], seeds: Sequence[int],
              workers: int | None = 1) -> pd.DataFrame:
    """Target, observed, simulated mean and sd over runs at ``values``, tolerance, within."""
    jobs = [(spec, values, s) for s in seeds]
    if (workers or 1) > 1 and len(jobs) > 1:
        import multiprocessing as mp
        from concurrent.futures import ProcessPoolExecutor
        with ProcessPoolExecutor(max_workers=min(workers, len(jobs)),
                                 mp_context=mp.get_context("spawn")) as pool:
            runs = list(pool.map(_one, jobs))
    else:
        runs = [_one(j) for j in jobs]
    rows = []
    for t in spec.targets:
        x = np.array([r[t.name] for r in runs], float)
        mean = float(np.nanmean(x))
        rows.append({"target": t.name, "measure": t.measure, "statistic": t.statistic,
                     "observed": t.observed, "simulated_mean": mean,
                     "simulated_sd": float(np.nanstd(x, ddof=1)) if len(x) > 1 else 0.0,
                     "runs": len(x), "tolerance": t.tolerance,
                     "within": bool(abs(mean - t.observed) <= t.tolerance),
                     "source": t.source})
    return pd.DataFrame(rows)


def check_calibration(folder: str | Path, replicates: int | None = None,
                      workers: int | None = 1, entropy: int | None = None) -> pd.DataFrame:
    """Rerun a calibration's fit table at its posterior median with fresh seeds.

    Writes ``fit_check.csv`` (with the seeds' entropy in the manifest, so that the check
    can be repeated exactly) and returns the table.
    """
    from govsim.experiment.calibspec import calibration_from_dict
    folder = Path(folder)
    manifest = _manifest(folder)
    if not manifest.get("complete") or not (folder / "posterior_summary.csv").is_file():
        raise StoreError(f"{folder} holds an unfinished calibration; complete it with "
                         "--resume first")
    spec = calibration_from_dict(manifest["spec"], where=str(folder / "manifest.json"))
    summary = pd.read_csv(folder / "posterior_summary.csv")
    entropy = int(np.random.SeedSequence().entropy % 2**63) if entropy is None else entropy
    n = replicates or spec.check_replicates
    table = fit_table(spec, _median(summary), _fit_seeds(spec.seed, n, entropy), workers)
    with hold_folder(folder, resume=True):
        try:
            _write_csv(folder / "fit_check.csv", table)
            manifest.setdefault("checks", []).append({"entropy": entropy, "runs": n})
            _write_json(folder / "manifest.json", manifest)
        except OSError as exc:
            raise write_failure(exc, folder, resumable=False,
                                state="fit_check.csv was not written") from exc
    return table


def posterior_draws(folder: str | Path, seed: int, n: int) -> list[dict[str, float]]:
    """``n`` parameter sets drawn from a calibration's posterior, one per replicate.

    Replicate r's draw depends on ``seed`` and r only, so that both arms of a pair, and a
    comparison that grows its replicates, get the same draws.

    Raises
    ------
    SpecError
        For a folder that holds no finished calibration.
    """
    folder = Path(folder)
    path = folder / "posterior.csv"
    if not path.is_file():
        raise SpecError(f"--posterior: {folder} holds no calibration posterior "
                        "(posterior.csv)")
    table = pd.read_csv(path)
    keys = [c for c in table.columns if c not in ("generation", "weight", "distance")]
    if not keys or "weight" not in table:
        raise SpecError(f"--posterior: {path} is not a calibration posterior")
    from govsim.params import specs
    table_specs = specs()
    unknown = [k for k in keys if k not in table_specs]
    if unknown:
        raise SpecError(f"--posterior: {path} names unknown parameter '{unknown[0]}'")
    w = table["weight"].to_numpy(float)
    w = w / w.sum()
    out = []
    for r in range(n):
        rng = np.random.default_rng(np.random.SeedSequence([seed, r, 18]))
        row = table.iloc[int(rng.choice(len(table), p=w))]
        out.append({k: (int(round(row[k])) if table_specs[k].kind is int else float(row[k]))
                    for k in keys})
    return out


def _figures(out: Path, posterior: pd.DataFrame, summary: pd.DataFrame, fit: pd.DataFrame,
             spec: CalibrationSpec) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    k = len(summary)
    cols = min(3, k)
    rows = (k + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(3.6 * cols, 2.8 * rows), squeeze=False)
    for ax, r in zip(axes.flat, summary.itertuples(), strict=False):
        bins = np.linspace(r.prior_low, r.prior_high, 21)
        ax.hist(posterior[r.parameter], bins=bins, weights=posterior["weight"],
                color="tab:blue", alpha=0.7, density=True, label="posterior")
        ax.axhline(1.0 / (r.prior_high - r.prior_low), color="grey", ls=":", label="prior")
        ax.axvline(r.median, color="k", lw=1)
        ax.axvspan(r.q05, r.q95, color="tab:blue", alpha=0.12)
        ax.set_title(r.parameter, fontsize=9)
        ax.tick_params(labelsize=7)
    for ax in list(axes.flat)[k:]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle("marginal posteriors (line: median; band: 90% interval)", fontsize=10)
    fig.tight_layout()
    fig.savefig(out / "posterior.png", dpi=110)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6.4, 0.55 * len(fit) + 1.4))
    y = np.arange(len(fit))[::-1]
    z = (fit["simulated_mean"] - fit["observed"]) / fit["tolerance"]
    ax.axvspan(-1, 1, color="tab:green", alpha=0.15, label="within tolerance")
    ax.errorbar(z, y, xerr=fit["simulated_sd"] / fit["tolerance"], fmt="o", color="k",
                capsize=3, label="simulated mean ± sd")
    ax.axvline(0, color="tab:green")
    ax.set_yticks(y, [f"{t}\nobs {o:.3g}, sim {m:.3g}" for t, o, m in
                      zip(fit["target"], fit["observed"], fit["simulated_mean"],
                          strict=True)], fontsize=7)
    ax.set_xlabel("(simulated - observed) / tolerance")
    ax.set_title(f"targets against simulated at the posterior median "
                 f"({int(fit['runs'].iloc[0])} runs)", fontsize=9)
    ax.legend(fontsize=7, loc="best")
    fig.tight_layout()
    fig.savefig(out / "fit.png", dpi=110)
    plt.close(fig)




def fit_markdown(folder: str | Path) -> str:
    """The ODD's table of a calibration: each target against the fit, with the posterior.

    Generated from the committed results (``fit.csv``, ``posterior_summary.csv`` and
    ``manifest.json``), so that the ODD shows what the calibration found.
    """
    folder = Path(folder)
    fit = pd.read_csv(folder / "fit.csv")
    summary = pd.read_csv(folder / "posterior_summary.csv")
    manifest = json.loads((folder / "manifest.json").read_text())
    spec = manifest["spec"]
    out = [f"Calibration `{folder.name}` ({spec['scenario']}, {spec['arm']} arm, "
           f"{spec['residents']} residents, {spec['steps']} days, warm-up {spec['warmup']}; "
           f"ABC-SMC, {manifest['generations']} generations of "
           f"{spec['budget']['population']} particles, {manifest.get('simulations', '?')} "
           f"simulations; fit: mean ± sd of {int(fit['runs'].iloc[0])} runs at the "
           "posterior median):", "",
           "| target | measure (statistic) | observed | simulated | tolerance | within | "
           "source |", "|---|---|---|---|---|---|---|"]
    for r in fit.itertuples():
        out.append(f"| {r.target} | `{r.measure}` ({r.statistic}) | {r.observed:.4g} | "
                   f"{r.simulated_mean:.4g} ± {r.simulated_sd:.2g} | {r.tolerance:.3g} | "
                   f"{'yes' if r.within else '**no**'} | {r.source.replace('|', '/')} |")
    posterior = pd.read_csv(folder / "posterior.csv")
    ess = effective_sample_size(posterior)
    out += ["", f"Effective sample size of the last generation: {ess:.3g} of "
            f"{len(posterior)} particles" + (
                " — a few particles carry the posterior, so its 90% intervals understate "
                "the uncertainty; the range of the generation's particles is wider"
                if ess < len(posterior) / 4 else "") + ".", "",
            "| parameter | prior | posterior median | 90% interval | particles' range |",
            "|---|---|---|---|---|"]
    for r in summary.itertuples():
        col = posterior[r.parameter]
        out.append(f"| `{r.parameter}` | {r.prior_low:.4g}–{r.prior_high:.4g} | "
                   f"{r.median:.4g} | {r.q05:.4g}–{r.q95:.4g} | "
                   f"{col.min():.4g}–{col.max():.4g} |")
    return "\n".join(out) + "\n"


def render_odd(text: str, *folders: str | Path) -> str:
    """``text`` (docs/ODD.md) with its calibration block regenerated from ``folders``
    (one fit after another)."""
    from govsim.docs import replace_block
    return replace_block(text, "calibration",
                         "\n".join(fit_markdown(folder) for folder in folders))
