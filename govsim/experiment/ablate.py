"""Ablation by active ingredient: how much of an effect each ingredient carries.

A scenario declares its ingredients: named parameter overrides that each switch one
active ingredient of the intervention off (``Scenario.ingredients``). :func:`ablate` runs
the baseline, the full intervention and the intervention with each ingredient off, all on
the same replicate seeds, and splits each key outcome's paired effect into the part each
ingredient carries (what is lost when it alone is switched off) and the interaction
remainder (:func:`govsim.analysis.decompose`). Runs stream into the same store as sweeps,
so an ablation resumes after a kill and runs on every executor.

Example
-------
>>> from govsim.experiment.ablate import ablate
>>> table = ablate("deliberation_hall", replicates=10, steps=120,
...                residents=600, out="results/ablate-hall")          # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd

from govsim.analysis import decompose
from govsim.experiment.runner import RunTask, replicate_seeds, run_id
from govsim.experiment.spec import SpecError, default_warmup
from govsim.experiment.store import hold_folder, write_failure
from govsim.experiment.sweep import execute_plan
from govsim.scenario import load_scenario

__all__ = ["ablate", "ablation_plan"]


def ablation_plan(scenario: str, replicates: int, steps: int, seed: int,
                  residents: int | None, fixed: dict[str, Any], warmup: int
                  ) -> tuple[list[RunTask], list[dict[str, Any]], dict[int, str], list[str]]:
    """The runs of an ablation in canonical order (variant, replicate).

    Variants: ``baseline``, ``full``, then ``without:<ingredient>`` in declaration order.
    Returns the tasks, their resolved parameters, their variant labels and the variants.
    """
    sc = load_scenario(scenario)
    if not sc.ingredients:
        raise SpecError(f"scenario '{sc.name}' declares no ingredients to ablate")
    seeds = replicate_seeds(seed, replicates)
    point = {"model.warmup": warmup, **fixed}
    variants = [("baseline", "baseline", {}), ("full", "intervention", {})]
    variants += [(f"without:{k}", "intervention", dict(v)) for k, v in sc.ingredients.items()]
    tasks, params, labels = [], [], {}
    for v_i, (label, arm, off) in enumerate(variants):
        overrides = {**point, **off}
        resolved = sc.params(arm, overrides, residents=residents).to_dict()
        for rep, s in enumerate(seeds):
            # the variant is part of the identity: an inert ingredient resolves to the
            # full intervention's parameters and must still be a run of its own
            rid = run_id(scenario, label, resolved, rep, s)
            labels[len(tasks)] = label
            tasks.append(RunTask(len(tasks), rid, scenario, arm, v_i, overrides, residents,
                                 rep, s, steps, None))
            params.append(resolved)
    return tasks, params, labels, [v[0] for v in variants]


def ablate(scenario: str, replicates: int = 10, steps: int = 365, seed: int = 0,
           residents: int | None = None, set: dict[str, Any] | None = None,  # noqa: A002
           warmup: int | None = None, outcomes: list[str] | None = None,
           workers: int | None = None, scheduler: str | None = None,
           out: str | Path | None = None, force: bool = False, resume: bool = False,
           quiet: bool = True, figures: bool = True) -> pd.DataFrame:
    """Decompose a scenario's effects by ingredient; returns the decomposition table.

    Writes runs.csv, manifest.json, ablation.csv and ablation.png to ``out`` (default
    ``results/ablate-<scenario>``).

    Parameters
    ----------
    scenario : str
        A built-in scenario name or the path of a scenario module.
    replicates : int
        Paired replicates; every variant runs on the same seeds.
    outcomes : list of str, optional
        Outcomes to decompose (default: the scenario's key outcomes).
    warmup : int, optional
        Days before the institutions switch on (default :func:`default_warmup`).
    steps, seed, residents, set, workers, scheduler, out, force, resume, quiet
        As for :func:`govsim.experiment.compare`.

    Returns
    -------
    DataFrame
        :data:`govsim.analysis.DECOMPOSITION_COLUMNS`: per outcome, one row per
        ingredient, then ``interaction`` and ``effect``; contributions and the
        remainder add up to the effect. ``attrs["failed"]`` counts failed runs.
    """
    sc = load_scenario(scenario)
    name = scenario if sc.name == scenario else str(Path(scenario).resolve())
    warmup = default_warmup(steps) if warmup is None else warmup
    if not 0 <= warmup < steps:
        raise SpecError(f"--warmup must be >= 0 and below --steps ({steps}), got {warmup}")
    out = Path(out) if out is not None else Path("results") / f"ablate-{sc.name}"
    fixed = dict(set or {})
    tasks, params, labels, variants = ablation_plan(name, replicates, steps, seed,
                                                    residents, fixed, warmup)
    from govsim.experiment.spec import SweepSpec
    from govsim.experiment.sweep import _measure_names
    measures = _measure_names(SweepSpec(scenario=name, residents=residents, fixed=fixed,
                                        warmup=warmup), {"model.warmup": 0, **fixed})
    names = list(outcomes or sc.family() or ("conflict_rate",))
    for m in names:
        if m not in measures:
            from govsim.params import suggest
            raise SpecError(f"unknown outcome '{m}'{suggest(m, measures)}")
    identity = {"verb": "ablate", "scenario": name, "replicates": replicates, "steps": steps,
                "seed": seed, "residents": residents, "warmup": warmup, "set": fixed,
                "variants": variants,
                "ingredients": {k: dict(v) for k, v in sc.ingredients.items()}}
    # the tables and figures are part of the folder: no other writer until they are in
    with hold_folder(out, resume, force):
        result = execute_plan(tasks, params, measures, out, identity, timeseries=False,
                              workers=workers, scheduler=scheduler, resume=resume,
                              force=force, quiet=quiet, labels=labels)
        runs = pd.read_csv(out / "runs.csv")
        done = runs[runs["status"] == "done"]
        reps = None
        for label in variants:
            have = {*done.loc[done["variant"] == label, "replicate"]}
            reps = have if reps is None else reps & have
        reps = sorted(reps or ())
        cols = [f"{m}_mean" for m in names]

        def rows(label: str) -> pd.DataFrame:
            part = done[done["variant"] == label].set_index("replicate").loc[reps, cols]
            return part.rename(columns=lambda c: c[:-5]).reset_index(drop=True)
        table = decompose(rows("baseline"), rows("full"),
                          {v.split(":", 1)[1]: rows(v) for v in variants[2:]}, names)
        try:
            tmp = out / ".ablation.csv.tmp"
            table.to_csv(tmp, index=False)
            tmp.replace(out / "ablation.csv")
            if figures:
                from govsim import plots
                plots.save(plots.ablation_bars(table), out / "ablation.png")
        except OSError as exc:
            raise write_failure(exc, out, result.runs, result.runs) from exc
    table.attrs["failed"] = result.failed
    table.attrs["primary"] = sc.primary
    return table
