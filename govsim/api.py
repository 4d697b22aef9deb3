"""The CLI verbs as Python functions returning pandas DataFrames (for notebooks and scripts).

Example
-------
>>> import govsim
>>> df = govsim.run("baseline", steps=5, residents=200, seed=1)
>>> int(df["step"].iloc[-1])
5
"""

from __future__ import annotations

import importlib
import re
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from govsim.model import CommunityModel
from govsim.params import specs
from govsim.scenario import Scenario, available, load_scenario

__all__ = ["ablate", "active_keys", "build", "compare", "list_scenarios", "measures",
           "parameters", "run", "sweep"]


def list_scenarios() -> pd.DataFrame:
    """The built-in scenarios: name, report form, title, place."""
    rows = []
    for name in available():
        sc = load_scenario(name)
        rows.append({"name": sc.name, "form": sc.form, "title": sc.title, "place": sc.place})
    return pd.DataFrame(rows).sort_values(["form", "name"], ignore_index=True)


def parameters(scenario: str | Scenario = "baseline", arm: str = "baseline",
               all: bool = False) -> pd.DataFrame:  # noqa: A002
    """The parameters of a scenario's arm with their value, range, unit and meaning.

    Parameters
    ----------
    scenario : str or Scenario
    arm : {"baseline", "intervention"}
    all : bool
        Every parameter, also those of institutions the scenario does not use (default:
        the core's and the scenario's institutions', as :func:`active_keys` says).
    """
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    p = sc.params(arm)
    table = specs()
    keys = sorted(p) if all else active_keys(sc)
    rows = [{"key": k, "value": p[k], "default": table[k].default,
             "range": table[k].range_text(), "unit": table[k].unit, "meaning": table[k].doc,
             "source": table[k].source} for k in keys]
    return pd.DataFrame(rows)


def active_keys(sc: Scenario) -> list[str]:
    """The parameters that matter to a scenario, in key order: the core's and those of
    the institutions it uses; a process with its own switch (``deeds.enabled``) counts
    only where it is on in an arm.

    Example
    -------
    >>> keys = active_keys(load_scenario("deliberation_hall"))
    >>> "hall.threshold" in keys, "merit.table_scale" in keys
    (True, False)
    """
    from govsim.institutions import INSTITUTIONS
    table = specs()
    arms = [sc.params(a) for a in ("baseline", "intervention")]
    unused = set(INSTITUTIONS) - set(sc.institutions)
    for section in {k.split(".", 1)[0] for k in table} - set(INSTITUTIONS):
        switch = f"{section}.enabled"
        if switch in table and not any(p[switch] for p in arms):
            unused.add(section)
    return [k for k in sorted(table) if k.split(".", 1)[0] not in unused]


def measures(scenario: str | Scenario | None = None) -> pd.DataFrame:
    """Every measure (of one scenario's runs, if given) with its meaning, kind, unit, good
    direction and formula reference: the table ``govsim measures`` prints
    (:func:`govsim.catalog.measure_table`)."""
    from govsim.catalog import measure_table
    return measure_table(scenario)


def build(scenario: str | Scenario = "baseline", arm: str = "baseline",
          seed: int | None = 0, residents: int | None = None,
          set: Mapping[str, Any] | None = None) -> CommunityModel:  # noqa: A002
    """A model of one arm of a scenario, built but not yet run."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return CommunityModel(params=sc.params(arm, set, residents=residents), rng=seed)


def run(scenario: str | Scenario = "baseline", arm: str = "baseline", steps: int = 365,
        seed: int | None = 0, residents: int | None = None,
        set: Mapping[str, Any] | None = None) -> pd.DataFrame:  # noqa: A002
    """Run one arm of a scenario; one row per day (``step`` then every measure).

    Parameters
    ----------
    scenario : str or Scenario
        A built-in name, a path to a scenario module, or a Scenario.
    arm : {"baseline", "intervention"}
    steps : int
        Days to simulate.
    seed : int
        The run's seed (same seed, same result).
    residents : int, optional
        Community size (overrides the scenario's).
    set : mapping, optional
        Parameter overrides by dotted key, like ``--set`` on the command line.
    """
    model = build(scenario, arm, seed, residents, set)
    model.run_for(steps)
    return model.timeseries()


_FLAG = re.compile(r"--([a-z][a-z-]*)")
_BOOL_FLAGS = {"force", "resume", "quiet"}


def _pythonic(message: str) -> str:
    """A message of the command line with its flags said as keyword arguments."""
    def arg(m: re.Match) -> str:
        name = m.group(1).replace("-", "_")
        return f"{name}=True" if name in _BOOL_FLAGS else f"{name}=..."
    return _FLAG.sub(arg, message)


def _call(fn, *args, **kwargs):
    """Call an experiment function; its input and write errors come back with Python
    wording (``force=True`` rather than ``--force``)."""
    from govsim.experiment import INPUT_ERRORS, WRITE_ERRORS
    try:
        return fn(*args, **kwargs)
    except (*INPUT_ERRORS, *WRITE_ERRORS) as exc:
        raise type(exc)(_pythonic(str(exc))) from None


def _in_folder(fn, out, kind: str, **kwargs):
    """Run ``fn`` into ``out``, or into a temporary folder removed afterwards."""
    if out is not None:
        return _call(fn, out=out, **kwargs)
    kwargs.update(force=False, resume=False)
    if "figures" in kwargs:
        kwargs["figures"] = False
    with tempfile.TemporaryDirectory(prefix=f"govsim-{kind}-") as tmp:
        return _call(fn, out=Path(tmp) / "out", **kwargs)


def _name(scenario: str | Path | Scenario) -> str:
    """A scenario by name or module path: worker processes rebuild the runs from it."""
    if not isinstance(scenario, Scenario):
        return str(scenario)
    if scenario.name in available() and load_scenario(scenario.name) == scenario:
        return scenario.name
    raise TypeError(f"scenario '{scenario.name}' is not a built-in one: pass the path of "
                    "its module (worker processes rebuild the runs from it)")


def compare(scenario: str | Path | Scenario, replicates: int = 10, steps: int = 365, seed: int = 0,
            residents: int | None = None, set: Mapping[str, Any] | None = None,  # noqa: A002
            warmup: int | None = None, ci: str = "t", precision: float | None = None,
            absolute: float | None = None, max_replicates: int = 200,
            outcomes: list[str] | None = None, workers: int | None = None,
            scheduler: str | None = None, out: str | Path | None = None,
            force: bool = False, resume: bool = False, quiet: bool = True,
            figures: bool = True) -> pd.DataFrame:
    """Baseline against intervention on the same seeds; returns the effect table.

    Nothing is written unless ``out`` is given: then ``out`` receives runs.csv,
    parameters.csv, timeseries.csv, effects.csv, manifest.json, effects.png and
    timeseries.png, as ``govsim compare --out`` writes them. Without ``out`` the runs go
    to a temporary folder that is removed, so a notebook cell can run again.

    Parameters
    ----------
    scenario : str, Path or Scenario
        A built-in name (or its Scenario) or a path to a scenario module.
    replicates : int
        Paired replicates (at least 2, for an interval; with ``precision``, the first
        batch).
    steps, seed, residents, set
        As for :func:`run`; ``seed`` is the master seed of the replicates.
    warmup, ci, precision, absolute, max_replicates
        As for :func:`govsim.experiment.compare`: the warm-up, the interval method
        (``"t"`` or ``"bootstrap"``) and adaptive replication.
    outcomes : list of str, optional
        Outcomes that lead the table and the figures (default: the key outcomes).
    workers, scheduler
        Processes to use (default all cores), or a Dask scheduler address (``"local"``).
    out : str or Path, optional
        Folder to write the results to.
    force : bool
        Replace results already in ``out``.
    resume : bool
        Complete the missing runs of an interrupted comparison in ``out``.
    quiet : bool
        No progress bar.
    figures : bool
        With ``out``, also draw effects.png and timeseries.png.

    Returns
    -------
    DataFrame
        One row per outcome (the key outcomes first): ``baseline_mean``,
        ``intervention_mean``, ``diff_mean`` with ``ci_low``/``ci_high`` (95% interval of
        the paired differences of the run summaries, the mean over the last quarter of
        the days after the warm-up), ``rel_change`` (a fraction of ``|baseline_mean|``),
        ``n_pairs``, ``p_value``, ``p_holm`` (Holm over the key outcomes), ``ci``,
        ``better``, ``rel_improvement`` (positive: a change in the good direction),
        ``verdict`` and ``primary``.

    Raises
    ------
    ValueError
        If ``replicates`` is below 2.
    StoreError
        If ``out`` already holds results and neither ``force`` nor ``resume`` is given.

    Example
    -------
    >>> import govsim
    >>> t = govsim.compare("baseline", replicates=2, steps=5, residents=150, workers=1)
    >>> int(t["n_pairs"].iloc[0])
    2

    References
    ----------
    Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., §11.2.
    """
    experiment = importlib.import_module("govsim.experiment.sweep")
    if replicates < 2:
        raise ValueError(f"replicates must be at least 2 for a confidence interval, got "
                         f"{replicates}")
    return _in_folder(experiment.compare, out, "compare", scenario=_name(scenario),
                      replicates=replicates, steps=steps, seed=seed, residents=residents,
                      set=dict(set or {}), warmup=warmup, ci=ci, precision=precision,
                      absolute=absolute, max_replicates=max_replicates, outcomes=outcomes,
                      workers=workers, scheduler=scheduler, force=force, resume=resume,
                      quiet=quiet, figures=figures)


def ablate(scenario: str | Path | Scenario, replicates: int = 10, steps: int = 365, seed: int = 0,
           residents: int | None = None, set: Mapping[str, Any] | None = None,  # noqa: A002
           warmup: int | None = None, outcomes: list[str] | None = None,
           workers: int | None = None, scheduler: str | None = None,
           out: str | Path | None = None, force: bool = False, resume: bool = False,
           quiet: bool = True, figures: bool = True) -> pd.DataFrame:
    """Split a scenario's effects by active ingredient; returns the decomposition table
    (:func:`govsim.experiment.ablate`). Like :func:`compare`, it writes only when given
    ``out`` (ablation.csv, ablation.png and the runs)."""
    experiment = importlib.import_module("govsim.experiment.ablate")
    if replicates < 2:
        raise ValueError(f"replicates must be at least 2 for a confidence interval, got "
                         f"{replicates}")
    return _in_folder(experiment.ablate, out, "ablate", scenario=_name(scenario),
                      replicates=replicates, steps=steps, seed=seed, residents=residents,
                      set=dict(set or {}), warmup=warmup, outcomes=outcomes, workers=workers,
                      scheduler=scheduler, force=force, resume=resume, quiet=quiet,
                      figures=figures)


def sweep(spec: str | Path, out: str | Path | None = None, workers: int | None = None,
          scheduler: str | None = None, resume: bool = False, force: bool = False,
          quiet: bool = True) -> pd.DataFrame:
    """Run a sweep from a TOML file (or a SweepSpec) and return its runs table.

    The same file runs from the command line with ``govsim sweep SPEC.toml``. Nothing is
    written unless ``out`` is given (then runs.csv, parameters.csv, timeseries.csv and
    manifest.json go there); ``force`` replaces results in ``out``, ``resume`` completes
    them.

    Returns
    -------
    DataFrame
        ``runs.csv``: one row per run (see the README's *Output folder*); pass it to
        :func:`govsim.effects` for paired effects by lever.
    """
    experiment = importlib.import_module("govsim.experiment.sweep")
    return _in_folder(experiment.sweep, out, "sweep", spec=spec, workers=workers,
                      scheduler=scheduler, resume=resume, force=force, quiet=quiet)
