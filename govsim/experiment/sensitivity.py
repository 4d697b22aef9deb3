"""Global sensitivity analysis of a scenario's uncertainties, with SALib.

A scenario lists its *uncertainties*: behavioural parameters whose values are not known
precisely, each with a plausible range. This module asks which of them matter for an
outcome: it samples them over their ranges (Morris trajectories or Saltelli's scheme for
Sobol' indices), runs the model at every sample point and returns the sensitivity indices
of each outcome as a DataFrame.

Every design point runs on the same replicate seeds (common random numbers, as in
:func:`govsim.compare`), and several of them (default 5), so differences between points
come from the parameters, not from different random draws, and noise is not read as
sensitivity (Saltelli et al. 2010). :func:`run_sensitivity` streams the runs into the same
store as sweeps (resumable, on every executor) and writes ``sensitivity.csv`` (indices
with bootstrap intervals) and ``sensitivity.png``. The response of a point is the run
summary (the mean over the last quarter of the days after the warm-up,
:func:`govsim.analysis.summarize`), averaged over the replicates;
with ``arm="effect"`` it is the paired effect of the intervention, intervention minus
baseline on the same seeds, which asks which uncertainty the *policy's effect* depends on.

SALib is an optional dependency (``pip install 'govsim[sensitivity]'``).

References
----------
Morris, M. D. (1991). Factorial sampling plans for preliminary computational experiments.
*Technometrics* 33(2), 161-174.

Campolongo, F., Cariboni, J. & Saltelli, A. (2007). An effective screening design for
sensitivity analysis of large models. *Environmental Modelling & Software* 22(10),
1509-1518.

Sobol', I. M. (2001). Global sensitivity indices for nonlinear mathematical models and
their Monte Carlo estimates. *Mathematics and Computers in Simulation* 55, 271-280.

Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M. & Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Computer Physics Communications* 181(2), 259-270.

Herman, J. & Usher, W. (2017). SALib: An open-source Python library for sensitivity
analysis. *Journal of Open Source Software* 2(9), 97.

Example
-------
>>> from govsim.experiment.sensitivity import sensitivity
>>> table = sensitivity("baseline", outcomes=["conflicts"], method="morris", n=2,
...                     steps=10, residents=150)                    # doctest: +SKIP
>>> list(table.columns)                                             # doctest: +SKIP
['outcome', 'parameter', 'mu', 'mu_star', 'sigma', 'mu_star_conf']
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.params import specs
from govsim.scenario import Range, Scenario, load_scenario

__all__ = ["METHODS", "analyze", "evaluate", "problem", "run_sensitivity", "sample",
           "sensitivity"]

#: supported methods and the index columns each returns
METHODS = {"morris": ("mu", "mu_star", "sigma", "mu_star_conf"),
           "sobol": ("S1", "S1_conf", "ST", "ST_conf")}


def _salib():
    try:
        import SALib  # noqa: F401
    except ImportError:
        raise ImportError("sensitivity analysis needs SALib: "
                          "pip install 'govsim[sensitivity]'") from None


def _scenario(scenario: str | Path) -> tuple[Scenario, str]:
    """The scenario and the name a worker process can load it by."""
    if isinstance(scenario, Scenario):
        raise TypeError("pass a scenario by its name or by the path of its module, so that "
                        "worker processes can load it")
    text = str(scenario)
    sc = load_scenario(text)
    name = text if sc.name == text else str(Path(text).resolve())
    return sc, name


def _check_method(method: str) -> None:
    if method not in METHODS:
        raise ValueError(f"unknown method '{method}'; choose {' or '.join(METHODS)}")


def _factors(sc: Scenario, factors: Sequence[str] | None) -> list[Range]:
    known = {r.key: r for r in (*sc.uncertainties, *sc.levers)}
    if factors is None:
        chosen = list(sc.uncertainties)
    else:
        unknown = [k for k in factors if k not in known]
        if unknown:
            raise KeyError(f"{unknown[0]!r} is neither an uncertainty nor a lever of "
                           f"{sc.name}; choose from {', '.join(known)}")
        chosen = [known[k] for k in factors]
    if len(chosen) < 2:
        raise ValueError("a sensitivity analysis needs at least two factors")
    return chosen


def problem(scenario: str | Path, factors: Sequence[str] | None = None) -> dict[str, Any]:
    """The SALib problem of a scenario: its uncertainties and their ranges.

    Parameters
    ----------
    scenario : str or path
        A built-in scenario name or the path of a scenario module.
    factors : sequence of str, optional
        Dotted keys to vary, among the scenario's uncertainties and levers (default: all
        its uncertainties).

    Returns
    -------
    dict
        ``{"num_vars": k, "names": [...], "bounds": [[low, high], ...]}``.

    Example
    -------
    >>> problem("baseline", ["dispute.base_rate", "community.homophily"])["bounds"]
    [[5e-05, 0.0004], [0.0, 0.9]]
    """
    sc, _ = _scenario(scenario)
    chosen = _factors(sc, factors)
    return {"num_vars": len(chosen), "names": [r.key for r in chosen],
            "bounds": [[float(r.low), float(r.high)] for r in chosen]}


def sample(scenario: str | Path, method: str = "morris", n: int = 8,
           factors: Sequence[str] | None = None, seed: int = 0,
           levels: int = 4) -> pd.DataFrame:
    """Sample a scenario's uncertainties for a Morris or Sobol' analysis.

    Parameters
    ----------
    scenario : str or path
        A built-in scenario name or the path of a scenario module.
    method : {"morris", "sobol"}
        ``"morris"``: ``n`` trajectories of ``k + 1`` points each (Morris 1991).
        ``"sobol"``: Saltelli's scheme with ``n`` base points, ``n (k + 2)`` points in all
        (first-order and total indices only; Saltelli et al. 2010).
    n : int
        Trajectories (Morris) or base points (Sobol', a power of 2).
    factors : sequence of str, optional
        Keys to vary (default: the scenario's uncertainties).
    seed : int
        Seed of the sampling.
    levels : int
        Grid levels of the Morris design.

    Returns
    -------
    DataFrame
        One row per design point and one column per factor (raw sample values; integer
        and switch parameters are rounded only when the model runs).
    """
    _salib()
    _check_method(method)
    prob = problem(scenario, factors)
    if method == "morris":
        from SALib.sample import morris
        x = morris.sample(prob, n, num_levels=levels, seed=seed)
    else:
        if n < 2 or n & (n - 1):
            raise ValueError(f"Sobol' sampling needs n a power of 2, not {n}")
        from SALib.sample import sobol
        x = sobol.sample(prob, n, calc_second_order=False, seed=seed)
    bounds = np.asarray(prob["bounds"])
    x = np.clip(x, bounds[:, 0], bounds[:, 1])   # no rounding error past a bound
    return pd.DataFrame(x, columns=prob["names"])


def _typed(key: str, value: float) -> Any:
    kind = specs()[key].kind
    if kind is bool:
        return bool(value >= 0.5)
    if kind is int:
        return int(round(value))
    return float(value)


def evaluate(scenario: str | Path, design: pd.DataFrame, outcomes: Sequence[str] | None = None,
             arm: str = "intervention", steps: int = 120, residents: int | None = None,
             replicates: int = 5, seed: int = 0, workers: int | None = 1) -> pd.DataFrame:
    """Run the model at every design point; one row of outcome summaries per point.

    Parameters
    ----------
    scenario : str or path
        A built-in scenario name or the path of a scenario module.
    design : DataFrame
        Design points, one column per dotted parameter key (e.g. from :func:`sample`).
    outcomes : sequence of str, optional
        Measures to return (default: the scenario's key outcomes).
    arm : {"intervention", "baseline", "effect"}
        Which arm to run; ``"effect"`` runs both on the same seeds and returns
        intervention minus baseline.
    steps : int
        Days per run.
    residents : int, optional
        Community size (default: the scenario's).
    replicates : int
        Runs per point and arm; every point uses the same replicate seeds.
    seed : int
        Master seed of the replicates (:func:`govsim.experiment.replicate_seeds`).
    workers : int, optional
        Processes (1: serially; None: all cores).

    Returns
    -------
    DataFrame
        One row per design point (same index as ``design``), one column per outcome.

    Raises
    ------
    RuntimeError
        If a run fails (with its traceback).
    """
    from govsim.experiment.runner import RunTask, iter_results, replicate_seeds
    sc, name = _scenario(scenario)
    if arm not in ("intervention", "baseline", "effect"):
        raise ValueError(f"unknown arm '{arm}'; choose intervention, baseline or effect")
    names = list(outcomes or sc.outcomes or ("conflict_rate",))
    arms = ["baseline", "intervention"] if arm == "effect" else [arm]
    seeds = replicate_seeds(seed, replicates)
    tasks = []
    for p_i, row in enumerate(design.itertuples(index=False, name=None)):
        overrides = {k: _typed(k, v) for k, v in zip(design.columns, row, strict=True)}
        for a in arms:
            for rep, s in enumerate(seeds):
                tasks.append(RunTask(len(tasks), "", name, a, p_i, overrides, residents,
                                     rep, s, steps, None))
    values = np.full((len(design), len(arms), replicates, len(names)), np.nan)
    for res in iter_results(tasks, workers):
        task = tasks[res["index"]]
        if res["status"] != "done":
            raise RuntimeError(f"run at design point {task.point} ({task.arm}, replicate "
                               f"{task.replicate}) failed:\n{res['error']}")
        missing = [m for m in names if m not in res["summary"]]
        if missing:
            raise KeyError(f"{missing[0]!r} is not a measure of {sc.name}")
        values[task.point, arms.index(task.arm), task.replicate] = [
            res["summary"][m] for m in names]
    out = values[:, -1] - values[:, 0] if arm == "effect" else values[:, 0]
    return pd.DataFrame(out.mean(axis=1), columns=names, index=design.index)


def analyze(design: pd.DataFrame, results: pd.DataFrame, method: str = "morris",
            levels: int = 4, seed: int = 0, conf_level: float = 0.95) -> pd.DataFrame:
    """Morris or Sobol' indices of every outcome from a design and its results.

    Parameters
    ----------
    design : DataFrame
        The design from :func:`sample` (unchanged: row order matters).
    results : DataFrame
        The outcomes from :func:`evaluate`, one row per design point.
    method : {"morris", "sobol"}
        The method the design was sampled for.
    levels : int
        Grid levels of the Morris design.
    seed : int
        Seed of the bootstrap confidence intervals.
    conf_level : float
        Level of the bootstrap confidence intervals.

    Returns
    -------
    DataFrame
        One row per outcome and factor: ``outcome, parameter`` and, for Morris, ``mu``
        (mean elementary effect), ``mu_star`` (mean absolute elementary effect: overall
        importance; Campolongo et al. 2007), ``sigma`` (spread: interactions or
        non-linearity) and ``mu_star_conf``; for Sobol', ``S1`` (first-order index: share
        of the output variance due to the factor alone), ``ST`` (total index: including
        its interactions) and their confidence half-widths. Elementary effects are per
        unit of the sampled range. Factors are sorted by ``mu_star`` or ``ST``, largest
        first. Outcomes that do not vary give zeros (Morris) or NaN (Sobol'); outcomes
        with missing values give NaN.
    """
    _salib()
    _check_method(method)
    k = design.shape[1]
    group = k + 1 if method == "morris" else k + 2
    if len(design) != len(results) or len(design) % group:
        raise ValueError(f"a {method} design of {k} factors has a multiple of {group} "
                         f"points and one result per point; got {len(design)} points and "
                         f"{len(results)} results")
    prob = {"num_vars": k, "names": list(design.columns),
            "bounds": [[float(design[c].min()), float(design[c].max())]
                       for c in design.columns]}
    x = design.to_numpy(dtype=float)
    cols = METHODS[method]
    rank = "mu_star" if method == "morris" else "ST"
    rows = []
    for name in results.columns:
        y = results[name].to_numpy(dtype=float)
        if not np.isfinite(y).all():
            idx = {c: np.full(k, np.nan) for c in cols}
        elif np.ptp(y) == 0:
            fill = 0.0 if method == "morris" else np.nan
            idx = {c: np.full(k, fill) for c in cols}
        elif method == "morris":
            from SALib.analyze import morris
            idx = morris.analyze(prob, x, y, num_levels=levels, conf_level=conf_level,
                                 seed=seed)
        else:
            from SALib.analyze import sobol
            idx = sobol.analyze(prob, y, calc_second_order=False, conf_level=conf_level,
                                seed=seed)
        part = pd.DataFrame({"outcome": name, "parameter": prob["names"],
                             **{c: np.asarray(idx[c], dtype=float) for c in cols}})
        rows.append(part.sort_values(rank, ascending=False, na_position="last"))
    return pd.concat(rows, ignore_index=True)


def sensitivity(scenario: str | Path, outcomes: Sequence[str] | None = None,
                method: str = "morris", n: int = 8, factors: Sequence[str] | None = None,
                arm: str = "intervention", steps: int = 120, residents: int | None = None,
                replicates: int = 5, seed: int = 0, workers: int | None = 1,
                levels: int = 4) -> pd.DataFrame:
    """Which of a scenario's uncertainties matter for its outcomes: sample, run, analyze.

    Runs :func:`sample`, :func:`evaluate` and :func:`analyze` in turn. The number of model
    runs is ``n (k + 1)`` (Morris) or ``n (k + 2)`` (Sobol') design points for ``k``
    factors, times ``replicates``, times 2 with ``arm="effect"``.

    Parameters
    ----------
    scenario : str or path
        A built-in scenario name or the path of a scenario module.
    outcomes : sequence of str, optional
        Measures to analyse (default: the scenario's key outcomes).
    method : {"morris", "sobol"}
        Morris screening (cheap, ranks factors) or Sobol' variance decomposition.
    n : int
        Morris trajectories, or Sobol' base points (a power of 2).
    factors : sequence of str, optional
        Keys to vary, among the scenario's uncertainties and levers (default: all its
        uncertainties).
    arm : {"intervention", "baseline", "effect"}
        The arm whose outcomes are analysed, or ``"effect"``: the paired effect of the
        intervention.
    steps, residents, replicates, seed, workers
        As for :func:`evaluate`; ``seed`` also seeds the sampling and the bootstrap.
    levels : int
        Grid levels of the Morris design.

    Returns
    -------
    DataFrame
        The indices, as returned by :func:`analyze`.

    Example
    -------
    >>> table = sensitivity("deliberation_hall", ["hall_pass_rate_total"], n=4, steps=60,
    ...                     residents=600)                        # doctest: +SKIP
    >>> table.iloc[0]["parameter"]                                # doctest: +SKIP
    'hall.confidence'
    """
    design = sample(scenario, method, n, factors, seed, levels)
    results = evaluate(scenario, design, outcomes, arm, steps, residents, replicates, seed,
                       workers)
    return analyze(design, results, method, levels, seed)


#: the index columns whose bootstrap half-width SALib reports, and that half-width
_CONF = {"morris": (("mu_star", "mu_star_conf"),), "sobol": (("S1", "S1_conf"),
                                                             ("ST", "ST_conf"))}


def run_sensitivity(scenario: str | Path, method: str = "morris", n: int = 8,
                    factors: Sequence[str] | None = None,
                    outcomes: Sequence[str] | None = None, arm: str = "intervention",
                    replicates: int = 5, steps: int = 365, seed: int = 0,
                    residents: int | None = None, set: dict[str, Any] | None = None,  # noqa: A002
                    warmup: int | None = None, levels: int = 4,
                    workers: int | None = None, scheduler: str | None = None,
                    out: str | Path | None = None, force: bool = False,
                    resume: bool = False, quiet: bool = True, figures: bool = True
                    ) -> pd.DataFrame:
    """Sample, run into a result store, and analyse: ``govsim sensitivity NAME``.

    Every design point runs ``replicates`` times on the same replicate seeds; its response
    is the mean over replicates of the run summary (after the warm-up), or of the paired
    effect with ``arm="effect"``. Writes runs.csv, manifest.json, design.csv,
    sensitivity.csv and sensitivity.png to ``out`` (default
    ``results/sensitivity-<scenario>``); a killed analysis resumes with ``resume=True``.

    Returns
    -------
    DataFrame
        The indices of :func:`analyze`, plus ``<index>_low`` and ``<index>_high``: the
        index minus and plus SALib's bootstrap half-width at 95%.
    """
    from govsim.experiment.runner import RunTask, replicate_seeds, run_id
    from govsim.experiment.spec import SpecError, SweepSpec, default_warmup
    from govsim.experiment.store import ResultStore, hold_folder, write_failure
    from govsim.experiment.sweep import _measure_names, execute_plan
    sc, name = _scenario(scenario)
    if arm not in ("intervention", "baseline", "effect"):
        raise SpecError(f"unknown arm '{arm}'; choose intervention, baseline or effect")
    warmup = default_warmup(steps) if warmup is None else warmup
    if not 0 <= warmup < steps:
        raise SpecError(f"--warmup must be >= 0 and below --steps ({steps}), got {warmup}")
    out = Path(out) if out is not None else Path("results") / f"sensitivity-{sc.name}"
    ResultStore.check_folder(out, resume, force)
    try:
        design = sample(name, method, n, factors, seed, levels)
    except (KeyError, ValueError) as exc:
        raise SpecError(str(exc).strip("'\"")) from None
    fixed = {"model.warmup": warmup, **dict(set or {})}
    measures = _measure_names(SweepSpec(scenario=name, residents=residents, fixed=fixed,
                                        warmup=warmup), fixed)
    names = list(outcomes or sc.family() or ("conflict_rate",))
    for m in names:
        if m not in measures:
            from govsim.params import suggest
            raise SpecError(f"unknown outcome '{m}'{suggest(m, measures)}")
    arms = ["baseline", "intervention"] if arm == "effect" else [arm]
    seeds = replicate_seeds(seed, replicates)
    tasks, params = [], []
    for p_i, row in enumerate(design.itertuples(index=False, name=None)):
        overrides = {**fixed, **{k: _typed(k, v)
                                 for k, v in zip(design.columns, row, strict=True)}}
        for a in arms:
            resolved = sc.params(a, overrides, residents=residents).to_dict()
            for rep, s in enumerate(seeds):
                # the point is part of the identity: two design points may round to the
                # same parameters and must still be runs of their own
                rid = run_id(name, f"{a}#{p_i}", resolved, rep, s)
                tasks.append(RunTask(len(tasks), rid, name, a, p_i, overrides, residents,
                                     rep, s, steps, None))
                params.append(resolved)
    identity = {"verb": "sensitivity", "scenario": name, "method": method, "n": n,
                "factors": list(design.columns), "levels": levels, "arm": arm,
                "replicates": replicates, "steps": steps, "seed": seed,
                "residents": residents, "warmup": warmup, "set": dict(set or {})}
    # the tables and figures are part of the folder: no other writer until they are in
    with hold_folder(out, resume, force):
        result = execute_plan(tasks, params, measures, out, identity, timeseries=False,
                              workers=workers, scheduler=scheduler, resume=resume, force=force,
                              quiet=quiet)
        runs = pd.read_csv(out / "runs.csv")
        if (runs["status"] != "done").any():
            raise RuntimeError(f"{int((runs['status'] != 'done').sum())} run(s) failed; see "
                               f"the 'error' column of {out / 'runs.csv'}")
        cols = [f"{m}_mean" for m in names]
        means = runs.groupby(["point", "arm"])[cols].mean()
        if arm == "effect":
            resp = (means.xs("intervention", level="arm") - means.xs("baseline", level="arm"))
        else:
            resp = means.xs(arm, level="arm")
        resp = resp.sort_index().rename(columns=lambda c: c[:-5]).reset_index(drop=True)
        table = analyze(design, resp, method, levels, seed)
        for index, conf in _CONF[method]:
            table[f"{index}_low"] = table[index] - table[conf]
            table[f"{index}_high"] = table[index] + table[conf]
        try:
            for path, frame in ((out / "design.csv", design), (out / "sensitivity.csv", table)):
                tmp = path.with_name(f".{path.name}.tmp")
                frame.to_csv(tmp, index=False)
                tmp.replace(path)
            if figures:
                from govsim import plots
                plots.save(plots.sensitivity_bars(table), out / "sensitivity.png")
        except OSError as exc:
            raise write_failure(exc, out, result.runs, result.runs) from exc
    table.attrs["failed"] = result.failed
    table.attrs["points"] = len(design)
    return table
