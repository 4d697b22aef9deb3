"""The CLI verbs as Python functions returning pandas DataFrames (for notebooks and scripts).

Example
-------
>>> import govsim
>>> df = govsim.run("baseline", steps=5, residents=200, seed=1)
>>> int(df["step"].iloc[-1])
5
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from govsim.model import CommunityModel
from govsim.params import specs
from govsim.scenario import Scenario, available, load_scenario

__all__ = ["list_scenarios", "parameters", "run", "build"]


def list_scenarios() -> pd.DataFrame:
    """The built-in scenarios: name, report form, title, place."""
    rows = []
    for name in available():
        sc = load_scenario(name)
        rows.append({"name": sc.name, "form": sc.form, "title": sc.title, "place": sc.place})
    return pd.DataFrame(rows).sort_values(["form", "name"], ignore_index=True)


def parameters(scenario: str | Scenario = "baseline", arm: str = "baseline") -> pd.DataFrame:
    """Every parameter with its value in a scenario's arm, range, unit and meaning."""
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    p = sc.params(arm)
    table = specs()
    rows = [{"key": k, "value": p[k], "default": table[k].default,
             "range": table[k].range_text(), "unit": table[k].unit, "meaning": table[k].doc,
             "source": table[k].source} for k in sorted(p)]
    return pd.DataFrame(rows)


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
