"""Sweeps and paired comparisons on top of the runner and the store."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pandas as pd

from govsim.analysis import paired_effects
from govsim.experiment.runner import RunTask, iter_results, replicate_seeds, run_id
from govsim.experiment.spec import SweepSpec, load_spec, resolved_params
from govsim.experiment.store import ResultStore, hold_folder, write_failure
from govsim.scenario import load_scenario

__all__ = ["SweepResult", "plan", "run_sweep", "sweep", "compare", "effects_table"]


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
                rid = run_id(spec.scenario, arm, resolved, rep, seed)
                tasks.append(RunTask(len(tasks), rid, spec.scenario, arm, p_i, dict(point),
                                     spec.residents, rep, seed, spec.steps,
                                     spec.timeseries_every))
                params.append(resolved)
    return tasks, params


def run_sweep(spec: SweepSpec, out: str | Path, workers: int | None = None,
              scheduler: str | None = None, resume: bool = False, force: bool = False,
              quiet: bool = False) -> SweepResult:
    """Run every missing run of ``spec`` into ``out``; see :mod:`govsim.experiment.store`.

    Raises
    ------
    StoreError
        For an output folder that cannot be used or that another process is writing.
    StoreWriteError
        When a write fails midway; the folder is then left for ``resume=True``.
    """
    out = Path(out)
    ResultStore.check_folder(out, resume, force)
    tasks, params = plan(spec)
    measures = _measure_names(spec, spec.points()[0])
    param_cols = sorted(params[0])
    runs_header = (["run_id", "scenario", "arm", "point", "replicate", "seed", *param_cols,
                    "status", "error", "wall_seconds"] +
                   [f"{m}_mean" for m in measures] + [f"{m}_final" for m in measures])
    ts_header = None if spec.timeseries_every is None else ["run_id", "step", *measures]
    with ResultStore(out, runs_header, ts_header) as store:
        store.open(spec.to_dict(), resume, force, runs_total=len(tasks))
        todo = [t for t in tasks if t.run_id not in store.committed]
        by_index = {t.index: t for t in tasks}
        bar = _progress(len(tasks), len(tasks) - len(todo), quiet)
        results = iter_results(todo, workers, scheduler)
        try:
            for res in results:
                task = by_index[res["index"]]
                row = {"run_id": task.run_id, "scenario": load_scenario(task.scenario).name,
                       "arm": task.arm, "point": task.point, "replicate": task.replicate,
                       "seed": task.seed, **params[task.index], "status": res["status"],
                       "error": res["error"], "wall_seconds": round(res["wall_seconds"], 3)}
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
        store.finalize({t.run_id: t.index for t in tasks})
    return SweepResult(out, len(tasks), store.failed, measures)


def _progress(total: int, initial: int, quiet: bool):
    if quiet or not sys.stderr.isatty():
        return None
    from tqdm import tqdm
    return tqdm(total=total, initial=initial, unit="run", dynamic_ncols=True,
                file=sys.stderr)


def effects_table(folder: str | Path, outcomes: list[str] | None = None) -> pd.DataFrame:
    """Paired effects from a compare folder's runs.csv (pairs where both arms succeeded)."""
    runs = pd.read_csv(Path(folder) / "runs.csv")
    done = runs[runs["status"] == "done"]
    b = done[done["arm"] == "baseline"].set_index("replicate")
    i = done[done["arm"] == "intervention"].set_index("replicate")
    reps = sorted(set(b.index) & set(i.index))
    names = outcomes or [c[:-5] for c in runs.columns if c.endswith("_mean")]
    return paired_effects(b.loc[reps, [f"{n}_mean" for n in names]].rename(
        columns=lambda c: c[:-5]), i.loc[reps, [f"{n}_mean" for n in names]].rename(
        columns=lambda c: c[:-5]), names)


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


def compare(scenario: str, replicates: int = 10, steps: int = 365, seed: int = 0,
            residents: int | None = None, set: dict[str, Any] | None = None,  # noqa: A002
            workers: int | None = None, scheduler: str | None = None,
            out: str | Path | None = None, force: bool = False, resume: bool = False,
            quiet: bool = True, figures: bool = True) -> pd.DataFrame:
    """Baseline against intervention on the same seeds; returns the effect table.

    Writes runs.csv, timeseries.csv, effects.csv, manifest.json, effects.png and
    timeseries.png to ``out`` (default ``results/compare-<scenario>``).
    """
    sc = load_scenario(scenario)
    name = scenario if sc.name == scenario else str(Path(scenario).resolve())
    spec = SweepSpec(scenario=name, replicates=replicates, steps=steps, seed=seed,
                     residents=residents, fixed=dict(set or {}), source=f"compare {sc.name}")
    out = Path(out) if out is not None else Path("results") / f"compare-{sc.name}"
    # the effects and figures are part of the folder: no other writer until they are in
    with hold_folder(out, resume, force):
        if force and not resume:  # a replaced folder must not keep the old effects
            for name in ("effects.csv", "effects.png", "timeseries.png"):
                (out / name).unlink(missing_ok=True)
        result = run_sweep(spec, out, workers, scheduler, resume, force, quiet)
        table = effects_table(out)
        key = [m for m in sc.outcomes if m in result.measures]
        order = key + [m for m in table["outcome"] if m not in key]
        table = table.set_index("outcome").loc[order].reset_index()
        try:
            tmp = out / ".effects.csv.tmp"
            table.to_csv(tmp, index=False)
            tmp.replace(out / "effects.csv")
            if figures:
                from govsim import plots
                shown = key or ["conflict_rate", "bridging_share", "legitimacy_mean",
                                "needs_met_share"]
                plots.save(plots.forest(table[table["outcome"].isin(shown)]),
                           out / "effects.png")
                plots.save(plots.arms_timeseries(out / "timeseries.csv", out / "runs.csv",
                                                 shown), out / "timeseries.png")
        except OSError as exc:
            raise write_failure(exc, out, result.runs, result.runs) from exc
    table.attrs["failed"] = result.failed
    table.attrs["key_outcomes"] = key
    return table
