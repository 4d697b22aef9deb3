"""Warnings for settings that run but may not mean what they seem.

Each check returns plain one-line messages; :func:`warn` issues them as
:class:`SettingWarning` (the command line prints each as one ``govsim: warning:`` line;
nothing stops). Three kinds of setting are degenerate:

- a **rare outcome**: a count with fewer than :data:`MIN_EVENTS` events in an arm's
  summary window, whose interval rests on a handful of events;
- a **hall holding a large share of a group**: seats that hold more than
  :data:`MAX_SEAT_SHARE` of a community's established residents or migrants, so that
  effects through members are those of a committee of everyone;
- a **horizon shorter than an institution's own cycle** (days between its rounds, or the
  length of its projects, contracts or loans), so that its effect has no time to appear.

References
----------
The seat share and the horizon follow the ODD's submodels (docs/ODD.md, 7.8-7.18); the
rule of about ten events echoes the events-per-variable rule of thumb for count outcomes
(Peduzzi et al. 1996, *J. Clin. Epidemiol.* 49, 1373-1379).
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

__all__ = ["MAX_SEAT_SHARE", "MIN_EVENTS", "SettingWarning", "check_events",
           "check_setting", "warn"]

#: fewer events than this in an arm's summary window make a count's interval unreliable
MIN_EVENTS = 10
#: seats holding more than this share of a community's group make a hall a crowd
MAX_SEAT_SHARE = 0.10
_GROUPS = ("established", "migrant")
_PACKAGE = str(Path(__file__).parent)


class SettingWarning(UserWarning):
    """A setting that runs but may not mean what it seems (see :mod:`govsim.checks`)."""


def warn(messages: Iterable[str]) -> list[str]:
    """Issue each message as a :class:`SettingWarning`; returns them."""
    messages = list(messages)
    for text in messages:  # attributed to the first caller outside govsim
        warnings.warn(text, SettingWarning, skip_file_prefixes=(_PACKAGE,))
    return messages


def _enabled(params: Mapping[str, Any]) -> list[str]:
    return [n for n in params["model.institutions"] if params.get(f"{n}.enabled", True)]


def _seat_shares(params: Mapping[str, Any]) -> dict[str, tuple[str, float]]:
    """Share of a community's group that an institution's seats hold, by seat key."""
    residents = params["community.residents"] / max(1, params["community.communities"])
    share_migrant = params["community.migrant_share"]
    out = {}
    for inst in _enabled(params):
        for group in _GROUPS:
            key = f"{inst}.{group}_seats"
            if key in params and params[key]:
                members = residents * (share_migrant if group == "migrant"
                                       else 1 - share_migrant)
                out[key] = (group, params[key] / max(members, 1.0))
    return out


def _cycles(params: Mapping[str, Any]) -> dict[str, float]:
    """Each enabled institution's longest own period in days (rounds, projects,
    contracts, loans): its parameters in days named ``*_interval`` or ``*_days``."""
    from govsim.params import specs
    table = specs()
    out = {}
    for inst in _enabled(params):
        periods = {k: float(v) for k, v in params.items()
                   if k.startswith(f"{inst}.") and table[k].unit == "days"
                   and (k.endswith("_interval") or k.endswith("_days"))}
        if periods:
            key = max(periods, key=periods.get)
            out[key] = periods[key]
    return out


def check_setting(scenario, steps: int, residents: int | None = None,
                  overrides: Mapping[str, Any] | None = None, warmup: int = 0) -> list[str]:
    """Messages for a degenerate setting of a scenario's intervention arm.

    Parameters
    ----------
    scenario : str or Scenario
    steps : int
        The horizon in days.
    residents : int, optional
        The community size asked for (default: the scenario's).
    overrides : mapping, optional
        Parameter overrides by dotted key.
    warmup : int
        Days before the institutions switch on (they act for ``steps - warmup`` days).

    Returns
    -------
    list of str
        One line per degenerate feature (empty when the setting is sound).

    Example
    -------
    >>> check_setting("community_foundation", steps=60)[0].split(":")[0]
    'a 60-day horizon is shorter than foundation.project_days (180 days)'
    """
    from govsim.scenario import Scenario, load_scenario
    sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    params = sc.params("intervention", overrides, residents=residents).to_dict()
    own = sc.params("intervention").to_dict()
    messages = []
    own_shares = _seat_shares(own)
    for key, (group, share) in _seat_shares(params).items():
        if share > MAX_SEAT_SHARE:
            at_own = own_shares.get(key, (group, float("nan")))[1]
            messages.append(
                f"{key} seats hold {share:.0%} of a community's {group} residents "
                f"({at_own:.1%} at the scenario's {own['community.residents']:,} residents):"
                " effects through members are magnified; use more residents or fewer "
                "communities")
    active = steps - warmup
    for key, days in _cycles(params).items():
        if active < days:
            span = (f"a {steps}-day horizon" if not warmup else
                    f"{active} days after a {warmup}-day warm-up")
            messages.append(f"{span} is shorter than {key} ({days:g} days): "
                            "the institution's effect may not have appeared yet")
    return messages


def check_events(effects: pd.DataFrame, steps: int, outcomes: Iterable[str],
                 warmup: int = 0) -> list[str]:
    """Messages for rare counts and for arms that did not differ at all.

    A day count's events in an arm's summary window are its mean over the window times
    the window's days (the last quarter of the days after the warm-up) times the
    replicates.

    Parameters
    ----------
    effects : DataFrame
        An effect table (:data:`govsim.analysis.EFFECT_COLUMNS`).
    steps, warmup : int
        The horizon and its warm-up, in days.
    outcomes : iterable of str
        The outcomes to check (a scenario's key outcomes).

    Returns
    -------
    list of str

    Example
    -------
    >>> t = pd.DataFrame({"outcome": ["conflicts"], "baseline_mean": [0.01],
    ...                   "intervention_mean": [0.02], "diff_mean": [0.01],
    ...                   "ci_low": [-0.01], "ci_high": [0.03], "n_pairs": [5]})
    >>> check_events(t, 100, ["conflicts"])[0].split(":")[0]
    'conflicts'
    """
    from govsim.catalog import is_count, lookup
    window = max(1, math.ceil((steps - warmup) / 4))
    messages = []
    table = effects.set_index("outcome")
    outcomes = [o for o in outcomes if o in table.index]
    for name in outcomes:
        m = lookup(name)
        if m is None or m.kind != "day" or not is_count(m):
            continue
        row = table.loc[name]
        events = {arm: row[f"{arm}_mean"] * window * row["n_pairs"]
                  for arm in ("baseline", "intervention")}
        fewest = min(events, key=events.get)
        if events[fewest] < MIN_EVENTS:
            messages.append(f"{name}: about {events[fewest]:.0f} events in the {fewest} "
                            f"arm's summary window (under {MIN_EVENTS}): its interval rests "
                            "on a few events; use more replicates, residents or days")
    if outcomes and (table.loc[outcomes, "diff_mean"] == 0).all() and \
            (table.loc[outcomes, "ci_high"] == table.loc[outcomes, "ci_low"]).all():
        messages.append("the two arms gave identical key outcomes in every replicate: at "
                        "this size or horizon the intervention did not act")
    return messages
