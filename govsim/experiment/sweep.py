"""Sweeps and paired comparisons on top of the runner and the store."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from govsim.analysis import effects_table, paired_summaries, sequential_stop
from govsim.experiment.runner import RunTask, iter_results, replicate_seeds, run_id
from govsim.experiment.spec import SweepSpec, load_spec, resolved_params
from govsim.experiment.store import ResultStore, hold_folder, write_failure
from govsim.scenario import load_scenario

__all__ = ["PARAMETERS_FILE", "SweepResult", "active_columns", "compare", "long_table",
           "plan", "run_sweep", "sweep"]

#: the side file with every resolved parameter of every run (``run_id`` joins runs.csv)
PARAMETERS_FILE = "parameters.csv"


@dataclass
class SweepResult:
    """Where the results went and how many runs failed."""

    folder: Path
    runs: int
    failed: int
    measures: list[str]


def _measure_names(spec: SweepSpec, point: dict[str, Any]) -> list[str]:
    """The measure columns of the scenario's runs, from the measures' declarations."""
    from govsim.metrics import measure_columns
    params = resolved_params(spec, spec.arms[0], point)
    return measure_columns(params["model.institutions"], params["deeds.enabled"])


def plan(spec: SweepSpec) -> tuple[list[RunTask], list[dict[str, Any]]]:
    """The runs of a spec in canonical order (point, arm, replicate) and their parameters."""
    seeds = replicate_seeds(spec.seed, spec.replicates)
    tasks, params = [], []
    for p_i, point in enumerate(spec.points()):
        for arm in spec.arms:
            resolved = resolved_params(spec, arm, point).to_dict()
            for rep, seed in enumerate(seeds):
                over, res = point, resolved
                if spec.draws:   # the same posterior draw in both arms of a pair
                    over = {**point, **spec.draws[rep]}
                    res = resolved_params(spec, arm, over).to_dict()
                rid = run_id(spec.scenario, arm, res, rep, seed)
                tasks.append(RunTask(len(tasks), rid, spec.scenario, arm, p_i, dict(over),
                                     spec.residents, rep, seed, spec.steps,
                                     spec.timeseries_every))
                params.append(res)
    return tasks, params


def run_sweep(spec: SweepSpec, out: str | Path, workers: int | None = None,
              scheduler: str | None = None, resume: bool = False, force: bool = False,
              quiet: bool = False, identity: dict[str, Any] | None = None,
              prune: bool = False, manifest: dict[str, Any] | None = None) -> SweepResult:
    """Run every missing run of ``spec`` into ``out``; see :mod:`govsim.experiment.store`.

    ``identity`` replaces ``spec.to_dict()`` as the specification a resumed folder must
    match (adaptive replication grows ``replicates`` under one identity); with ``prune``
    committed runs that are not in the plan are dropped; ``manifest`` entries are added
    to the manifest.

    Raises
    ------
    StoreError
        For an output folder that cannot be used or that another process is writing.
    StoreWriteError
        When a write fails midway; the folder is then left for ``resume=True``.
    """
    ResultStore.check_folder(Path(out), resume, force)
    tasks, params = plan(spec)
    measures = _measure_names(spec, spec.points()[0])
    return execute_plan(tasks, params, measures, out, identity or spec.to_dict(),
                        timeseries=spec.timeseries_every is not None, workers=workers,
                        scheduler=scheduler, resume=resume, force=force, quiet=quiet,
                        prune=prune, manifest=manifest,
                        param_cols=active_columns(tasks, params,
                                                  [*spec.fixed, *spec.grid, *spec.ranges]))


def active_columns(tasks: list[RunTask], params: list[dict[str, Any]],
                   named: list[str] | tuple[str, ...] = ()) -> list[str]:
    """The parameter columns of runs.csv, in key order: the active parameters of the
    plan's scenario (:func:`govsim.api.active_keys`: the core's and its institutions'),
    every key that differs between its runs, and the keys ``named`` (set or swept by the
    specification). Every resolved parameter goes to :data:`PARAMETERS_FILE`."""
    from govsim.api import active_keys
    if not params:
        return []
    first = params[0]
    cols = set(named) | {k for k in first if any(p[k] != first[k] for p in params)}
    for scenario in dict.fromkeys(t.scenario for t in tasks):
        cols |= set(active_keys(load_scenario(scenario)))
    return sorted(k for k in cols if k in first)


def _write_parameters(out: Path, tasks: list[RunTask], params: list[dict[str, Any]]) -> None:
    """Every resolved parameter of every planned run, in the canonical run order, through
    a temporary file and an atomic rename (the plan fixes it, so a resumed run writes the
    same bytes)."""
    import csv

    from govsim.experiment.store import fmt
    keys = sorted(params[0]) if params else []
    tmp = out / f".{PARAMETERS_FILE}.tmp"
    with open(tmp, "w", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["run_id", *keys])
        for task in tasks:
            w.writerow([task.run_id, *(fmt(params[task.index][k]) for k in keys)])
    tmp.replace(out / PARAMETERS_FILE)


def long_table(folder: str | Path) -> pd.DataFrame:
    """The time series of a folder in long format: every row of timeseries.csv joined
    with its run's ``scenario, arm, point, replicate, seed``, the swept levers and
    ``status``.

    Parameters
    ----------
    folder : path
        A folder written by ``compare`` or ``sweep`` (with timeseries.csv).

    Returns
    -------
    DataFrame
        One row per run and recorded day: the run's keys, then ``step`` and every measure.

    Example
    -------
    ``long_table("out/grid").groupby(["arm", "step"])["conflicts"].mean()``
    """
    import json
    folder = Path(folder)
    spec = json.loads((folder / "manifest.json").read_text())["spec"]
    levers = [*(spec.get("grid") or {}), *((spec.get("sample") or {}).get("ranges") or {})]
    keys = ["run_id", "scenario", "arm", "variant", "point", "replicate", "seed", *levers,
            "status"]
    runs = pd.read_csv(folder / "runs.csv", usecols=lambda c: c in keys)
    ts = pd.read_csv(folder / "timeseries.csv")
    return runs[[k for k in keys if k in runs]].merge(ts, on="run_id", how="inner")


def execute_plan(tasks: list[RunTask], params: list[dict[str, Any]], measures: list[str],
                 out: str | Path, identity: dict[str, Any], timeseries: bool = True,
                 workers: int | None = None, scheduler: str | None = None,
                 resume: bool = False, force: bool = False, quiet: bool = False,
                 labels: dict[int, str] | None = None, prune: bool = False,
                 manifest: dict[str, Any] | None = None,
                 param_cols: list[str] | None = None) -> SweepResult:
    """Run the missing tasks of a plan into the store at ``out`` and finalise it.

    The same path serves sweeps, comparisons, ablations and sensitivity designs, so all
    of them stream, resume and run on every executor alike. ``labels`` (task index ->
    text) fills a ``variant`` column after ``arm``. runs.csv holds the parameters
    ``param_cols`` (default :func:`active_columns`); :data:`PARAMETERS_FILE` holds every
    resolved parameter of every run.
    """
    out = Path(out)
    ResultStore.check_folder(out, resume, force)
    if param_cols is None:
        param_cols = active_columns(tasks, params)
    variant = ["variant"] if labels is not None else []
    runs_header = (["run_id", "scenario", "arm", *variant, "point", "replicate", "seed",
                    *param_cols, "status", "error", "wall_seconds"] +
                   [f"{m}_mean" for m in measures] + [f"{m}_final" for m in measures])
    ts_header = ["run_id", "step", *measures] if timeseries else None
    with ResultStore(out, runs_header, ts_header) as store:
        store.open(identity, resume, force, runs_total=len(tasks))
        try:
            _write_parameters(out, tasks, params)
        except OSError as exc:
            raise write_failure(exc, out, len(store.committed), len(tasks)) from exc
        if manifest:
            store.manifest.update(manifest)
            store.write_manifest()
        todo = [t for t in tasks if t.run_id not in store.committed]
        by_index = {t.index: t for t in tasks}
        names: dict[str, str] = {}
        bar = _progress(len(tasks), len(tasks) - len(todo), quiet)
        results = iter_results(todo, workers, scheduler)
        try:
            for res in results:
                task = by_index[res["index"]]
                if task.scenario not in names:
                    names[task.scenario] = load_scenario(task.scenario).name
                p = params[task.index]
                row = {"run_id": task.run_id, "scenario": names[task.scenario],
                       "arm": task.arm, "point": task.point, "replicate": task.replicate,
                       "seed": task.seed, **{k: p[k] for k in param_cols},
                       "status": res["status"],
                       "error": res["error"], "wall_seconds": round(res["wall_seconds"], 3)}
                if labels is not None:
                    row["variant"] = labels[task.index]
                for m in measures:
                    if res["status"] == "done":
                        row[f"{m}_mean"] = res["summary"].get(m, "")
                        row[f"{m}_final"] = res["final"].get(m, "")
                ts_rows = None
                if res["timeseries"] is not None:
                    ts = res["timeseries"]
                    ts_rows = ts[["step", *measures]].itertuples(index=False, name=None)
                    ts_rows = [[int(r[0]), *r[1:]] for r in ts_rows]
                store.append(task.run_id, row, ts_rows)
                if bar is not None:
                    bar.update(1)
                    bar.set_postfix(done=len(store.committed) - store.failed,
                                    failed=store.failed)
        finally:
            results.close()  # stop the executor now, not when the generator is collected
            if bar is not None:
                bar.close()
        order = {t.run_id: t.index for t in tasks}
        if prune:
            store.keep(set(order))
        store.finalize(order)
    return SweepResult(out, len(tasks), store.failed, measures)


def _progress(total: int, initial: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit="run", dynamic_ncols=True,
                file=sys.stderr)


def sweep(spec: str | Path | SweepSpec, out: str | Path | None = None,
          workers: int | None = None, scheduler: str | None = None, resume: bool = False,
          force: bool = False, quiet: bool = True) -> pd.DataFrame:
    """Run a sweep from a TOML file (or a SweepSpec) and return its runs table.

    The same file runs from the command line with ``govsim sweep SPEC.toml``.
    """
    spec = spec if isinstance(spec, SweepSpec) else load_spec(spec)
    out = Path(out) if out is not None else Path("results") / Path(spec.source).stem
    result = run_sweep(spec, out, workers, scheduler, resume, force, quiet)
    return pd.read_csv(result.folder / "runs.csv")


@dataclass(frozen=True)
class Sequential:
    """Law's sequential procedure (§9.4.1) on the primary outcome's paired differences:
    add pairs in batches until the 95% half-width is at most ``relative`` x |mean|
    (as gamma / (1 + gamma)) or ``absolute``, with at least ``min_pairs`` pairs."""

    relative: float | None = None
    absolute: float | None = None
    max_replicates: int = 200
    min_pairs: int = 10

    def rule(self, outcome: str) -> str:
        parts = []
        if self.relative is not None:
            g = self.relative
            parts.append(f"half-width <= {g / (1 + g):.4g} x |mean| (gamma = {g:g})")
        if self.absolute is not None:
            parts.append(f"half-width <= {self.absolute:g}")
        return (f"95% half-width of the paired effect on {outcome}: " + " or ".join(parts) +
                f"; at least {self.min_pairs}, at most {self.max_replicates} pairs")


def _replicates_stored(folder: Path) -> int:
    """One more than the highest replicate committed in a folder (0 if none): a resumed
    adaptive comparison plans at least these, so that every stored run is in its plan."""
    if not (folder / "runs.csv").is_file():
        return 0
    runs = pd.read_csv(folder / "runs.csv", usecols=["replicate"], on_bad_lines="skip")
    reps = pd.to_numeric(runs["replicate"], errors="coerce").dropna()   # a torn last line
    return int(reps.max()) + 1 if len(reps) else 0


def compare(scenario: str, replicates: int = 10, steps: int = 365, seed: int = 0,
            residents: int | None = None, set: dict[str, Any] | None = None,  # noqa: A002
            workers: int | None = None, scheduler: str | None = None,
            out: str | Path | None = None, force: bool = False, resume: bool = False,
            quiet: bool = True, figures: bool = True, warmup: int | None = None,
            ci: str = "t", precision: float | None = None, absolute: float | None = None,
            max_replicates: int = 200, posterior: str | Path | None = None,
            outcomes: list[str] | None = None) -> pd.DataFrame:
    """Baseline against intervention on the same seeds; returns the effect table.

    Writes runs.csv, parameters.csv, timeseries.csv, effects.csv, manifest.json,
    effects.png and timeseries.png to ``out`` (default ``results/compare-<scenario>``).
    A degenerate setting (:mod:`govsim.checks`) is reported as a
    :class:`~govsim.checks.SettingWarning`, before the runs and after them.

    Parameters
    ----------
    warmup : int, optional
        Days before the institutions switch on (default :func:`default_warmup`).
    ci : {"t", "bootstrap"}
        Interval of the paired effects; the table's ``ci`` column says which was used.
    precision, absolute : float, optional
        Replicate adaptively (Law's sequential procedure, :class:`Sequential`) until the
        primary effect's 95% half-width is at most ``precision`` relative to |mean|
        (gamma / (1 + gamma)) or ``absolute``; ``replicates`` is then the first batch
        (at least 10) and batches are as wide as the workers.
    max_replicates : int
        The most pairs adaptive replication adds.
    posterior : path, optional
        A calibration folder (``govsim calibrate``): each pair's free parameters are drawn
        from its posterior (:func:`govsim.experiment.calibration.posterior_draws`), the
        same draw in both arms, so that the effects' intervals carry parameter
        uncertainty as well as noise.
    outcomes : list of str, optional
        Outcomes that lead the table and are drawn (default: the key outcomes); the Holm
        family stays the scenario's key outcomes.

    The table's ``attrs`` hold ``failed``, ``key_outcomes``, ``shown`` (the outcomes
    leading the table), ``primary`` and, when replicating adaptively, ``sequential``
    (rule, pairs, whether the target was met).
    """
    from govsim.analysis import CI_METHODS
    from govsim.checks import check_events, check_setting, warn
    from govsim.experiment.spec import SpecError, default_warmup
    if ci not in CI_METHODS:
        raise SpecError(f"--ci must be one of {', '.join(CI_METHODS)}, got {ci!r}")
    if replicates < 2:
        raise SpecError(f"--replicates must be at least 2 for a paired interval, got "
                        f"{replicates}")
    sc = load_scenario(scenario)
    if outcomes:
        from govsim.metrics import measure_columns
        from govsim.params import suggest
        known = measure_columns(sc.institutions,
                                bool(sc.params("baseline")["deeds.enabled"]))
        for o in outcomes:
            if o not in known:
                raise SpecError(f"unknown outcome '{o}'{suggest(o, known)}")
    name = scenario if sc.name == scenario else str(Path(scenario).resolve())
    warmup = default_warmup(steps) if warmup is None else warmup
    if not 0 <= warmup < steps:
        raise SpecError(f"--warmup must be >= 0 and below --steps ({steps}), got {warmup}")
    out = Path(out) if out is not None else Path("results") / f"compare-{sc.name}"
    if precision is not None or absolute is not None:   # bad input before any write
        if (precision is not None and not precision > 0) or (
                absolute is not None and not absolute > 0):
            raise SpecError("--precision and --absolute must be > 0")
        if max_replicates < max(Sequential.min_pairs, replicates):
            raise SpecError(f"--max-replicates must be at least "
                            f"{max(Sequential.min_pairs, replicates)}, got {max_replicates}")
    draws = ()
    if posterior is not None:   # bad input before any write
        from govsim.experiment.calibration import posterior_draws
        n_draws = max(replicates, max_replicates) if (
            precision is not None or absolute is not None) else replicates
        draws = tuple(posterior_draws(posterior, seed, n_draws))
        for key, value in draws[0].items():
            sc.params("baseline", {key: value}, residents=residents)
    ResultStore.check_folder(out, resume, force)   # refuse before any warning or run
    warn(check_setting(sc, steps, residents, set, warmup))
    # the effects and figures are part of the folder: no other writer until they are in
    with hold_folder(out, resume, force):
        if force and not resume:  # a replaced folder must not keep the old effects
            for old in ("effects.csv", "effects.png", "timeseries.png"):
                (out / old).unlink(missing_ok=True)
        base = dict(scenario=name, steps=steps, seed=seed, residents=residents,
                    fixed=dict(set or {}), source=f"compare {sc.name}", warmup=warmup)
        if draws:
            base["draws"] = draws
        family = list(sc.family())
        primary = sc.primary or (family[0] if family else "conflict_rate")
        adaptive = precision is not None or absolute is not None
        seq_info = None
        if not adaptive:
            spec = SweepSpec(replicates=replicates, **base)
            result = run_sweep(spec, out, workers, scheduler, resume, force, quiet)
            n_used = None
        else:
            seq = Sequential(precision, absolute, max_replicates)
            if (precision is not None and not precision > 0) or (
                    absolute is not None and not absolute > 0):
                raise SpecError("--precision and --absolute must be > 0")
            n0 = max(seq.min_pairs, replicates)
            if max_replicates < n0:
                raise SpecError(f"--max-replicates must be at least {n0}, got {max_replicates}")
            identity = {**SweepSpec(replicates=n0, **base).to_dict(), "replicates": "sequential",
                        "sequential": {"relative": precision, "absolute": absolute,
                                       "first": n0, "max_replicates": max_replicates,
                                       "outcome": primary}}
            ResultStore.check_folder(out, resume, force)
            width = _batch_width(workers, scheduler)
            n = n0
            if resume:
                n = min(max_replicates, max(n0, _replicates_stored(out)))
            first = True
            while True:
                spec = SweepSpec(replicates=n, **base)
                result = run_sweep(spec, out, workers, scheduler, resume or not first,
                                   force and first, quiet, identity=identity)
                first = False
                b, i = paired_summaries(out, [primary], n)
                d = (i[primary] - b[primary]).to_numpy()
                stop = sequential_stop(d, seq.relative, seq.absolute, min_pairs=seq.min_pairs)
                if stop is not None or n >= max_replicates:
                    n_used = stop if stop is not None else n
                    met = stop is not None
                    break
                n = min(max_replicates, n + width)
            seq_info = {"rule": seq.rule(primary), "outcome": primary, "pairs": int(n_used),
                        "target_met": bool(met), "relative": precision, "absolute": absolute,
                        "max_replicates": max_replicates, "batch": width}
            spec = SweepSpec(replicates=n_used, **base)
            result = run_sweep(spec, out, workers, scheduler, True, False, quiet,
                               identity=identity, prune=True, manifest={"sequential": seq_info})
        table = effects_table(out, family=family, ci=ci, replicates=n_used, seed=seed)
        key = [m for m in family if m in result.measures]
        lead = [m for m in (outcomes or family) if m in result.measures]
        order = lead + [m for m in table["outcome"] if m not in lead]
        table = table.set_index("outcome").loc[order].reset_index()
        table["primary"] = table["outcome"] == primary
        try:
            tmp = out / ".effects.csv.tmp"
            table.to_csv(tmp, index=False)
            tmp.replace(out / "effects.csv")
            if figures:
                from govsim import plots
                from govsim.style import what_changed
                shown = lead or ["conflict_rate", "bridging_share", "legitimacy_mean",
                                 "needs_met_share"]
                subtitle = what_changed(sc.baseline, {**sc.intervention, **dict(set or {})})
                plots.save(plots.forest(table[table["outcome"].isin(shown)], primary=primary,
                                        subtitle=subtitle), out / "effects.png")
                plots.save(plots.arms_timeseries(out / "timeseries.csv", out / "runs.csv",
                                                 shown, subtitle=subtitle),
                           out / "timeseries.png")
        except OSError as exc:
            raise write_failure(exc, out, result.runs, result.runs) from exc
    warn(check_events(table, steps, lead, warmup))
    table.attrs["failed"] = result.failed
    table.attrs["key_outcomes"] = key
    table.attrs["shown"] = lead
    table.attrs["primary"] = primary
    table.attrs["warmup"] = warmup
    table.attrs["ci"] = ci
    table.attrs["pairs"] = int(table["n_pairs"].max()) if len(table) else 0
    if seq_info is not None:
        table.attrs["sequential"] = seq_info
    return table


def _batch_width(workers: int | None, scheduler: str | None) -> int:
    """Pairs added per batch: one per worker (the stopping rule is checked at every
    count in the batch, so the pairs used do not depend on the width)."""
    import os
    return max(1, workers or os.cpu_count() or 1)
