"""The policy atlas: every intervention of the report on one community, alone and in pairs.

A scenario answers one question in its own community: does this innovation change
conflict and cohesion there? The atlas asks a policymaker's next questions on *one*
reference community: which intervention does most for conflict, which for cohesion, at
what cost, and do two of them together do more or less than each alone?

Design. The community (a preset of :data:`COMMUNITIES` or a user's TOML file) fixes
everything but the interventions. Every arm lists the same institutions (all of the
built-in scenarios', dormant where switched off), so the baseline world — cars and
parking barriers, illicit sites, loans and homesteads — is the same in every arm. The
baseline arm switches every institution off; an intervention arm adds the institution
settings of its scenario (:func:`intervention_settings`: the scenario's intervention arm
and the settings of its own institutions in the scenario's base, never the scenario's
community); a pair arm merges two interventions' settings (a key the two set to different
values is reported as a conflict and the pair is not run). Every arm runs on the same
replicate seeds (common random numbers across all arms, not only within pairs), so every
contrast below is paired.

Tables (:func:`atlas_tables`; CSV first, figures drawn from the CSV):

- ``effects.csv``: per intervention and panel outcome, the paired effect against the
  baseline with its 95% t-interval and Holm's adjustment across the panel
  (:data:`PANEL`); a cost and the effect per unit of cost where the model has a cost;
- ``league.csv``: the same, one row per intervention (the league table);
- ``ranking.csv``: per outcome, the interventions ranked by improvement, with the best
  and worst rank each could hold given Holm-adjusted pairwise paired tests (ranks whose
  intervals overlap are not statistically distinguishable);
- ``interactions.csv``: per pair and outcome, the interaction
  I = Y_AB - Y_A - Y_B + Y_0 on common seeds, with its paired interval: synergy when it
  lies on the side of the better direction, interference when on the other.

An intervention that cannot apply to the community (no parking barriers to remove, no
migrants to seat) is reported as not applicable, with the reason, instead of a zero.

References
----------
Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., §11.2 (common random
numbers and paired-t comparisons) and §11.4 (factorial designs and interactions).

Montgomery, D. C. (2017). *Design and Analysis of Experiments*, 9th ed., §6.2 (the
2^2 design: the interaction effect AB - A - B + (1)).

Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
Journal of Statistics* 6, 65-70.

Mogstad, M., Romano, J. P., Shaikh, A. M. & Wilhelm, D. (2024). Inference for ranks with
applications to mobility across neighbourhoods and academic achievement across
countries. *Review of Economic Studies* 91(1), 476-518.

Example
-------
>>> from govsim.experiment.atlas import atlas
>>> result = atlas("sanyuanli", replicates=2, steps=40, residents=300,
...                interventions=["culture_courtyard", "parking_renewal"])  # doctest: +SKIP
>>> result.league                                                          # doctest: +SKIP
"""

from __future__ import annotations

import itertools
import json
import tempfile
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from govsim.analysis import holm, paired_effect, paired_effects, sequential_stop
from govsim.experiment.runner import RunTask, replicate_seeds, run_id
from govsim.experiment.spec import SpecError, default_warmup
from govsim.experiment.store import hold_folder, write_failure
from govsim.params import ParamError, Params, specs, suggest

__all__ = ["COMMUNITIES", "CONTEXT_KEYS", "PANEL", "Atlas", "Community", "atlas",
           "atlas_design", "atlas_tables", "intervention_settings", "reference_community",
           "merge_settings", "read_atlas", "replicate_values"]


@dataclass(frozen=True)
class Community:
    """A reference community: parameter settings and where each comes from."""

    name: str
    title: str
    settings: Mapping[str, Any]
    provenance: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "title": self.title, "settings": dict(self.settings),
                "provenance": list(self.provenance)}


_DEEDS = "residents do good deeds everywhere (deeds.enabled); the Bank of Merit only records them"

#: the reference communities, by name
COMMUNITIES: dict[str, Community] = {
    "sanyuanli": Community(
        "sanyuanli", "Sanyuanli-like urban mixed subdistrict (Guangzhou)",
        {"community.residents": 2600, "community.communities": 13,
         "community.wards_per_community": 4, "community.migrant_share": 56 / 103,
         "deeds.enabled": True},
        ("103,000 residents of whom 56,000 migrants in 13 communities (report §4), "
         "scaled 1:40 as in the deliberation_hall scenario",
         "cars, parking barriers and illicit sites (unapproved construction in the urban "
         "villages) at the model's defaults (assumption)", _DEEDS)),
    "cixi": Community(
        "cixi", "Cixi-like migrant-majority industrial town (Ningbo)",
        {"community.residents": 3000, "community.communities": 2,
         "community.migrant_share": 1.07 / 2.12, "community.homophily": 0.892,
         "dispute.social_distance": 0.365, "encounters.rate": 0.0396,
         "community.employment_share": 0.5, "deeds.enabled": True},
        ("1.07 million migrants, slightly more than the 1.05 million established residents "
         "(report §4)",
         "migrants' clustering, friction across origins and encounters among strangers "
         "calibrated to about 600 migrant-established conflicts a year, 0.28 per 1,000 "
         "residents (report §4; calibrations/cixi.toml, as in the harmony_association "
         "scenario)",
         "half the adults work for an employer in the network: an industrial town "
         "(assumption)", _DEEDS)),
    "hesilu": Community(
        "hesilu", "Hesilu-like village (Yiwu)",
        {"community.residents": 1200, "community.communities": 1,
         "community.wards_per_community": 8, "community.migrant_share": 0.3,
         "parking.barrier_share": 0.0, "deeds.enabled": True},
        ("one village of about 460 households in 8 village groups, 30% migrants (as in "
         "the bank_of_merit scenario; Chinanews 2017)",
         "villagers park in their own homestead yards: no private barriers on shared "
         "spots, so a parking renewal has nothing to remove (assumption)", _DEEDS)),
    "highrise": Community(
        "highrise", "Yihai/Luocheng-like high-rise compound (Changsha, Shanghai)",
        {"community.residents": 1500, "community.communities": 1,
         "community.wards_per_community": 8, "rule.site_birth": 0.0,
         "deeds.enabled": True},
        ("one compound of 8 high-rises (as in the book_sharing_library and "
         "parking_renewal scenarios; report §5)",
         "parking shortage with private barriers at the model's defaults (Luocheng, "
         "report §5)",
         "no illicit mining or similar sites in a residential compound (assumption); the "
         "ordinary community cases remain", _DEEDS)),
}
_ALIASES = {"yihai": "highrise", "luocheng": "highrise"}

#: keys in an institution's section that describe the community, not the intervention:
#: an atlas takes them from its community, never from an intervention's scenario
CONTEXT_KEYS = frozenset({
    "rule.site_birth", "rule.spread", "rule.detection", "rule.site_harm",
    "parking.car_share", "parking.spots_per_car", "parking.max_spots_per_car",
    "parking.barrier_share", "parking.away", "medical.honghu_share", "medical.rate",
})

#: the fixed panel of outcomes every intervention is judged on (Holm runs across it)
PANEL: dict[str, tuple[str, ...]] = {
    "conflict": ("conflict_rate", "intergroup_conflicts", "disputes", "grievance_mean",
                 "unresolved_cases"),
    "cohesion": ("tie_strength_mean", "bridging_share", "social_trust_mean",
                 "legitimacy_mean", "participation_rate"),
}


def _panel_of(outcome: str) -> str:
    return next((k for k, v in PANEL.items() if outcome in v), "")


# -- where an intervention cannot apply -------------------------------------------------
def _needs_migrants(p: Params) -> str:
    return "" if p["community.migrant_share"] > 0 else "no migrants in the community"


#: institution -> a check of an arm's parameters: "" or why the institution cannot apply
APPLIES: dict[str, Callable[[Params], str]] = {
    "parking": lambda p: ("no cars in the community" if p["parking.car_share"] <= 0 else
                          "no parking barriers to remove" if p["parking.barrier_share"] <= 0
                          else ""),
    "rule": lambda p: ("" if p["rule.site_birth"] > 0 or p["government.case_rate"] > 0
                       else "no illicit sites and no community cases to answer"),
    "merit": lambda p: "" if p["deeds.enabled"] else "no good deeds to record",
    "hall": _needs_migrants,
    "harmony": _needs_migrants,
    "medical": lambda p: (_needs_migrants(p) or (
        "" if p["medical.honghu_share"] > 0 else "no migrants insured in Honghu")),
}


# -- costs ------------------------------------------------------------------------------
def _cost_purchase(p: pd.Series, run: pd.DataFrame, days: int) -> float:
    return 100.0 * float(p["purchase.budget_share"])


def _cost_foundation(p: pd.Series, run: pd.DataFrame, days: int) -> float:
    # the money residents give (what is spent lags behind it by whole projects)
    given = pd.to_numeric(run["foundation_donations_mean"], errors="coerce").mean()
    return float(given) * 365.0 / float(p["community.residents"]) * 1000.0


def _cost_hotline(p: pd.Series, run: pd.DataFrame, days: int) -> float:
    return float(max(1, round(p["hotline.centre_staff"] * p["community.residents"] / 10_000)))


#: institution -> (unit of its cost, cost of an arm from its parameters and runs)
COSTS: dict[str, tuple[str, Callable[[pd.Series, pd.DataFrame, int], float]]] = {
    "purchase": ("% of the district's expenditure", _cost_purchase),
    "foundation": ("money donated per 1,000 residents a year", _cost_foundation),
    "hotline": ("centre operators", _cost_hotline),
}


# -- communities and interventions --------------------------------------------------------
def reference_community(spec: str | Path | Community | Mapping[str, Any]) -> Community:
    """A reference community by preset name, TOML file or mapping of settings.

    A TOML file holds ``name``, ``title`` and ``provenance`` (a list of strings, optional)
    and a ``[set]`` table of dotted parameter keys.

    Raises
    ------
    SpecError
        For an unknown preset (the closest names are suggested), an unreadable or
        malformed file, or a setting that is not a valid parameter value.

    Example
    -------
    >>> reference_community("yihai").name
    'highrise'

    References
    ----------
    The presets' figures come from the report (§3, §4, §5); each setting's source is in
    the preset's ``provenance``.
    """
    if isinstance(spec, Community):
        found = spec
    elif isinstance(spec, Mapping):
        found = Community("custom", "user-defined community", dict(spec), ("user settings",))
    else:
        text = str(spec)
        name = _ALIASES.get(text, text)
        if name in COMMUNITIES:
            found = COMMUNITIES[name]
        elif text.endswith(".toml") or "/" in text:
            found = _community_file(Path(text))
        else:
            raise SpecError(f"unknown community '{text}'"
                            f"{suggest(text, [*COMMUNITIES, *_ALIASES])}; or give a .toml file")
    try:
        Params.resolve(found.settings)
    except ParamError as exc:
        raise SpecError(f"community '{found.name}': {exc}") from None
    return found


def _community_file(path: Path) -> Community:
    try:
        data = tomllib.loads(path.read_text())
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: bad TOML: {exc}") from None
    unknown = [k for k in data if k not in ("name", "title", "provenance", "set")]
    if unknown:
        raise SpecError(f"{path}: unknown key '{unknown[0]}'"
                        f"{suggest(unknown[0], ['name', 'title', 'provenance', 'set'])}")
    settings = data.get("set", {})
    if not isinstance(settings, dict):
        raise SpecError(f"{path}: [set] must be a table of parameter values")
    table = specs()
    for key in settings:
        if key not in table:
            raise SpecError(f"{path}: [set] unknown parameter '{key}'{suggest(key, table)}")
    prov = data.get("provenance", [])
    if isinstance(prov, str):
        prov = [prov]
    return Community(str(data.get("name", path.stem)), str(data.get("title", path.stem)),
                     settings, tuple(map(str, prov)))


def builtin_interventions() -> list[str]:
    """The built-in scenarios other than ``baseline``, in name order."""
    from govsim.scenario import available
    return [name for name in available() if name != "baseline"]


def intervention_settings(scenario: str) -> dict[str, Any]:
    """The settings an intervention brings to any community.

    These are the scenario's intervention arm and the settings of the scenario's own
    institutions in its base (e.g. ``foundation.enabled``), without the keys that
    describe the community (:data:`CONTEXT_KEYS`, and every key of another section).

    Example
    -------
    >>> intervention_settings("parking_renewal")
    {'parking.enabled': True, 'parking.added_spots': 70}
    """
    from govsim.scenario import load_scenario
    sc = load_scenario(scenario)
    own = {k: v for k, v in sc.base.items()
           if k.split(".", 1)[0] in sc.institutions and k not in CONTEXT_KEYS}
    return {**own, **sc.intervention}


def merge_settings(a: Mapping[str, Any], b: Mapping[str, Any]
                   ) -> tuple[dict[str, Any], dict[str, tuple[Any, Any]]]:
    """Both interventions' settings together, and the keys they set to different values.

    Example
    -------
    >>> merge_settings({"x.a": 1, "x.b": 2}, {"x.b": 3, "y.c": 4})
    ({'x.a': 1, 'x.b': 2, 'y.c': 4}, {'x.b': (2, 3)})
    """
    conflicts = {k: (a[k], b[k]) for k in a if k in b and a[k] != b[k]}
    merged = {**b, **a}
    return {k: merged[k] for k in [*a, *(k for k in b if k not in a)]}, conflicts


def _institutions_of(settings: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(sorted({k.split(".", 1)[0] for k, v in settings.items()
                         if k.endswith(".enabled") and v is True}))


@dataclass(frozen=True)
class Arm:
    """One arm of the atlas: a label, its interventions and its status ("" runs)."""

    label: str
    members: tuple[str, ...]
    settings: dict[str, Any]
    status: str = ""
    institutions: tuple[str, ...] = ()


def atlas_design(place: Community, interventions: Mapping[str, Mapping[str, Any]],
                 pairs: bool = False, fixed: Mapping[str, Any] | None = None,
                 warmup: int = 0) -> tuple[list[Arm], dict[str, Any]]:
    """The arms of an atlas (baseline, each intervention, each pair) with their resolved
    parameters; an arm that cannot run carries the reason in ``status``.

    Returns
    -------
    arms : list of Arm
        Baseline first, then the interventions in the order given, then the pairs in
        the order of :func:`itertools.combinations`.
    base : dict
        The baseline's resolved parameters.
    """
    world = set()
    for settings in interventions.values():
        world.update(_institutions_of(settings))
    from govsim.scenario import load_scenario
    for name in builtin_interventions():
        world.update(load_scenario(name).institutions)
    off = {f"{n}.enabled": False for n in sorted(world)}
    common = {**off, **place.settings, **dict(fixed or {}),
              "model.institutions": tuple(sorted(world)), "model.warmup": warmup}
    try:
        base = Params.resolve(common)
    except ParamError as exc:
        raise SpecError(f"community '{place.name}': {exc}") from None
    arms = [Arm("baseline", (), {}, "", ())]
    reasons: dict[str, str] = {}
    for label, settings in interventions.items():
        bad = [k for k in settings if k in common and k not in off]
        if bad:
            raise SpecError(f"intervention '{label}' sets '{bad[0]}', which the community "
                            "or --set fixes for every arm")
        try:
            p = base.replace(settings)
        except ParamError as exc:
            raise SpecError(f"intervention '{label}': {exc}") from None
        insts = _institutions_of(settings)
        why = "; ".join(f"{n}: {r}" for n in insts if (r := APPLIES.get(n, lambda _: "")(p)))
        reasons[label] = why
        arms.append(Arm(label, (label,), dict(settings),
                        f"not applicable ({why})" if why else "", insts))
    if pairs:
        for a, b in itertools.combinations(interventions, 2):
            merged, conflicts = merge_settings(interventions[a], interventions[b])
            if reasons[a] or reasons[b]:
                status = "not applicable (" + "; ".join(
                    f"{n}: {reasons[n]}" for n in (a, b) if reasons[n]) + ")"
            elif conflicts:
                status = "conflicting settings (" + "; ".join(
                    f"{k}: {a}={x!r}, {b}={y!r}" for k, (x, y) in conflicts.items()) + ")"
            else:
                status = ""
            arms.append(Arm(f"{a}+{b}", (a, b), merged, status,
                            tuple(sorted({*_institutions_of(interventions[a]),
                                          *_institutions_of(interventions[b])}))))
    return arms, base.to_dict()


def _plan(arms: Sequence[Arm], base: dict[str, Any], replicates: int, steps: int, seed: int
          ) -> tuple[list[RunTask], list[dict[str, Any]], dict[int, str]]:
    """The runs in canonical order (arm, replicate) on shared seeds."""
    seeds = replicate_seeds(seed, replicates)
    tasks, params, labels = [], [], {}
    for a_i, arm in enumerate(arms):
        if arm.status:
            continue
        resolved = Params.resolve(arm.settings, base=base).to_dict()
        for rep, s in enumerate(seeds):
            # the label is part of the identity: an arm whose settings resolve to the
            # baseline's (a null intervention) is still a run of its own
            rid = run_id("atlas", arm.label, resolved, rep, s)
            labels[len(tasks)] = arm.label
            tasks.append(RunTask(len(tasks), rid, "baseline", "baseline", a_i, resolved,
                                 None, rep, s, steps, None))
            params.append(resolved)
    return tasks, params, labels


# -- tables -----------------------------------------------------------------------------
@dataclass
class Atlas:
    """The tables of an atlas (DataFrames); ``folder`` is where they were written."""

    league: pd.DataFrame
    effects: pd.DataFrame
    ranking: pd.DataFrame
    interactions: pd.DataFrame
    arms: pd.DataFrame
    info: dict[str, Any] = field(default_factory=dict)
    folder: Path | None = None
    #: per arm, the run summaries on the common replicates (:func:`replicate_values`)
    replicate_values: dict[str, pd.DataFrame] = field(default_factory=dict)


def _better() -> dict[str, str]:
    from govsim.measures import core
    return {m.name: m.better for m in core()}


def _sign(better: str) -> float:
    return -1.0 if better == "lower" else 1.0


def _panel_outcomes(info: Mapping[str, Any]) -> list[str]:
    """The panel's outcomes in the order of :data:`PANEL` (a manifest's JSON sorts the
    panel's groups by name)."""
    return [o for group in PANEL for o in info["panel"].get(group, ())]


def replicate_values(runs: pd.DataFrame, info: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """Per arm that ran, its run summaries of the panel outcomes on the common replicates
    (one row per replicate, in replicate order): the paired data behind every table.

    Only replicates on which every arm that runs succeeded are used, so that every
    contrast is paired on the same seeds.
    """
    outcomes = _panel_outcomes(info)
    done = runs[runs["status"] == "done"]
    running = [a["label"] for a in info["arms"] if not a["status"]]
    reps = None
    for label in running:
        have = set(done.loc[done["variant"] == label, "replicate"])
        reps = have if reps is None else reps & have
    reps = sorted(reps or ())
    cols = [f"{o}_mean" for o in outcomes]
    out = {}
    for label in running:
        part = done[done["variant"] == label].set_index("replicate").loc[reps]
        out[label] = part.rename(columns={c: c[:-5] for c in cols}).reset_index()
    return out


def atlas_tables(runs: pd.DataFrame, info: Mapping[str, Any]) -> dict[str, pd.DataFrame]:
    """The atlas's tables from its runs and its design (``info``, as in the manifest):
    ``effects``, ``league``, ``ranking``, ``interactions`` and ``arms``
    (see the module docstring), from :func:`replicate_values`.

    References
    ----------
    Holm, S. (1979). *Scand. J. Statist.* 6, 65-70 (the adjustment across the panel and
    across pairs).

    Mogstad, M., Romano, J. P., Shaikh, A. M. & Wilhelm, D. (2024). *Rev. Econ. Stud.*
    91(1), 476-518 (rank intervals).

    Montgomery, D. C. (2017). *Design and Analysis of Experiments*, 9th ed., §6.2 (the
    interaction contrast AB - A - B + (1)).
    """
    arms = pd.DataFrame(info["arms"])
    outcomes = _panel_outcomes(info)
    better = _better()
    data = replicate_values(runs, info)
    reps = len(next(iter(data.values()))) if data else 0

    def rows(label: str) -> pd.DataFrame:
        return data[label]

    def values(label: str) -> pd.DataFrame:
        return data[label][outcomes]

    base = values("baseline") if "baseline" in data else None
    singles = [a for a in info["arms"] if len(a["members"]) == 1]
    days = int(info["steps"]) - int(info["warmup"])
    eff_rows, cost_of = [], {}
    for arm in singles:
        label = arm["label"]
        head = {"intervention": label, "title": arm.get("title", ""), "status": arm["status"]}
        if arm["status"] or base is None:
            for o in outcomes:
                eff_rows.append({**head, "outcome": o, "panel": _panel_of(o)})
            continue
        table = paired_effects(base, values(label), outcomes, family=outcomes)
        cost, unit = float("nan"), ""
        costed = [n for n in arm["institutions"] if n in COSTS]
        if len(costed) == 1:
            unit, fn = COSTS[costed[0]]
            r = rows(label)
            cost = fn(r.iloc[0], r, days)
        cost_of[label] = (cost, unit)
        for rec in table.to_dict("records"):
            per = rec["diff_mean"] / cost if cost and np.isfinite(cost) else float("nan")
            eff_rows.append({**head, **rec, "panel": _panel_of(rec["outcome"]),
                             "better": better.get(rec["outcome"], ""),
                             "improvement": _sign(better.get(rec["outcome"], ""))
                             * rec["diff_mean"],
                             "cost": cost, "cost_unit": unit, "effect_per_cost": per})
    eff_cols = ["intervention", "title", "status", "panel", "outcome", "baseline_mean",
                "intervention_mean", "diff_mean", "ci_low", "ci_high", "rel_change",
                "n_pairs", "p_value", "p_holm", "better", "improvement", "cost",
                "cost_unit", "effect_per_cost"]
    effects = pd.DataFrame(eff_rows).reindex(columns=eff_cols)
    league = _league(effects, outcomes)
    ranking = _ranking(base, {a["label"]: values(a["label"]) for a in singles
                              if not a["status"] and base is not None}, outcomes, better)
    inter = _interactions(info["arms"], base, values, outcomes, better)
    return {"effects": effects, "league": league, "ranking": ranking,
            "interactions": inter, "arms": _arms_table(arms, reps)}


def _arms_table(arms: pd.DataFrame, n: int) -> pd.DataFrame:
    """The design as a flat table: one row per arm with its settings as JSON."""
    return pd.DataFrame({
        "label": arms["label"], "members": ["+".join(m) for m in arms["members"]],
        "title": arms.get("title", ""), "status": arms["status"],
        "institutions": [";".join(i) for i in arms["institutions"]],
        "settings": [json.dumps(s, sort_keys=True) for s in arms["settings"]],
        "replicates": [0 if s else n for s in arms["status"]]})


def _league(effects: pd.DataFrame, outcomes: Sequence[str]) -> pd.DataFrame:
    """One row per intervention: status, cost, and per outcome effect, interval, p_holm."""
    out = []
    for label, part in effects.groupby("intervention", sort=False):
        first = part.iloc[0]
        row = {"intervention": label, "status": first["status"] or "run",
               "cost": first["cost"], "cost_unit": first["cost_unit"]}
        by = part.set_index("outcome")
        for o in outcomes:
            row[o] = by.loc[o, "diff_mean"]
            row[f"{o}_low"] = by.loc[o, "ci_low"]
            row[f"{o}_high"] = by.loc[o, "ci_high"]
            row[f"{o}_p_holm"] = by.loc[o, "p_holm"]
        out.append(row)
    return pd.DataFrame(out)


def _ranking(base: pd.DataFrame | None, values: Mapping[str, pd.DataFrame],
             outcomes: Sequence[str], better: Mapping[str, str]) -> pd.DataFrame:
    """Per outcome, interventions by improvement with their best and worst ranks.

    Intervention i is significantly better than j when the paired difference of their
    improvements over the common replicates has a Holm-adjusted p below 0.05 (Holm over
    the m(m-1)/2 pairs of one outcome). Its rank then lies between 1 + (number of
    interventions significantly better) and m - (number significantly worse): a
    simultaneous rank interval in the manner of Mogstad et al. (2024), built from
    pairwise tests.
    """
    labels = list(values)
    rows = []
    for o in outcomes:
        s = _sign(better.get(o, ""))
        # improvement over the baseline, replicate by replicate (the ordering and the
        # pairwise differences are those of the arms' levels, the baseline being common)
        imp = {k: s * (values[k][o].to_numpy() - base[o].to_numpy()) for k in labels}
        order = sorted(labels, key=lambda k: -float(imp[k].mean()) if len(imp[k]) else 0.0)
        m = len(order)
        pairs = list(itertools.combinations(order, 2))
        p = [paired_effect(imp[b], imp[a])["p_value"] for a, b in pairs]
        p_adj = holm(p) if pairs else np.array([])
        above = {k: 0 for k in order}
        below = {k: 0 for k in order}
        ties = {k: [] for k in order}
        for (a, b), q in zip(pairs, p_adj, strict=True):
            da = float(imp[a].mean() - imp[b].mean())
            if q < 0.05 and da > 0:
                above[b] += 1
                below[a] += 1
            elif q < 0.05 and da < 0:
                above[a] += 1
                below[b] += 1
            else:
                ties[a].append(b)
                ties[b].append(a)
        for rank, k in enumerate(order, start=1):
            rows.append({"panel": _panel_of(o), "outcome": o, "rank": rank,
                         "intervention": k, "improvement": float(imp[k].mean()),
                         "best_rank": 1 + above[k], "worst_rank": m - below[k],
                         "indistinguishable_from": ";".join(ties[k])})
    cols = ["panel", "outcome", "rank", "intervention", "improvement", "best_rank",
            "worst_rank", "indistinguishable_from"]
    return pd.DataFrame(rows, columns=cols)


INTERACTION_COLUMNS = ("pair", "a", "b", "status", "panel", "outcome", "a_effect",
                       "b_effect", "ab_effect", "interaction", "ci_low", "ci_high",
                       "n_pairs", "p_value", "p_holm", "relative", "verdict")


def _interactions(arms: Sequence[Mapping[str, Any]], base: pd.DataFrame | None,
                  values: Callable[[str], pd.DataFrame], outcomes: Sequence[str],
                  better: Mapping[str, str]) -> pd.DataFrame:
    """Per pair and outcome: I_r = Y_AB,r - Y_A,r - Y_B,r + Y_0,r with its t-interval.

    ``relative`` is the interaction over |baseline mean| (to compare across outcomes);
    ``verdict`` is synergy (interval on the better side of zero), interference (on the
    worse side) or additive (the interval covers zero); for an outcome with no better
    direction, higher or lower. ``p_holm`` adjusts over the pairs of one outcome.
    """
    rows = []
    for arm in arms:
        if len(arm["members"]) != 2:
            continue
        a, b = arm["members"]
        head = {"pair": arm["label"], "a": a, "b": b, "status": arm["status"]}
        if arm["status"] or base is None:
            rows.extend({**head, "outcome": o, "panel": _panel_of(o)} for o in outcomes)
            continue
        ya, yb, yab = values(a), values(b), values(arm["label"])
        for o in outcomes:
            y0 = base[o].to_numpy()
            d = yab[o].to_numpy() - ya[o].to_numpy() - yb[o].to_numpy() + y0
            e = paired_effect(np.zeros_like(d), d)
            b0 = float(y0.mean())
            rows.append({**head, "panel": _panel_of(o), "outcome": o,
                         "a_effect": float((ya[o].to_numpy() - y0).mean()),
                         "b_effect": float((yb[o].to_numpy() - y0).mean()),
                         "ab_effect": float((yab[o].to_numpy() - y0).mean()),
                         "interaction": e["diff_mean"], "ci_low": e["ci_low"],
                         "ci_high": e["ci_high"], "n_pairs": e["n_pairs"],
                         "p_value": e["p_value"],
                         "relative": e["diff_mean"] / abs(b0) if b0 else float("nan"),
                         "verdict": _verdict(e["ci_low"], e["ci_high"],
                                             better.get(o, ""))})
    table = pd.DataFrame(rows).reindex(columns=list(INTERACTION_COLUMNS))
    table["p_holm"] = np.nan
    for o in outcomes:
        mask = (table["outcome"] == o) & table["p_value"].notna()
        if mask.any():
            table.loc[mask, "p_holm"] = holm(table.loc[mask, "p_value"].to_numpy())
    return table


def _verdict(low: float, high: float, better: str) -> str:
    if not (np.isfinite(low) and np.isfinite(high)) or low <= 0 <= high:
        return "additive"
    up = low > 0
    if not better:
        return "higher" if up else "lower"
    return "synergy" if up == (better == "higher") else "interference"


# -- running --------------------------------------------------------------------------------
TABLES = ("effects.csv", "league.csv", "ranking.csv", "interactions.csv", "arms.csv")


def _resolve_interventions(interventions) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    from govsim.scenario import ScenarioError, load_scenario
    if interventions is None:
        interventions = builtin_interventions()
    if isinstance(interventions, Mapping):
        items = list(interventions.items())
    else:
        items = [(name, None) for name in interventions]
    if not items:
        raise SpecError("an atlas needs at least one intervention")
    out, titles = {}, {}
    for label, settings in items:
        if "+" in label:
            raise SpecError(f"an intervention's name may not contain '+': {label!r}")
        if label in out:
            raise SpecError(f"intervention '{label}' is given twice")
        if settings is None:
            try:
                out[label] = intervention_settings(label)
                titles[label] = load_scenario(label).title
            except ScenarioError as exc:
                raise SpecError(str(exc)) from None
        else:
            out[label] = dict(settings)
            titles[label] = "user-defined intervention"
    return out, titles


def atlas(community: str | Path | Community | Mapping[str, Any] = "sanyuanli",  # noqa: C901
          pairs: bool = False, replicates: int = 10, steps: int = 365, seed: int = 0,
          residents: int | None = None, set: Mapping[str, Any] | None = None,  # noqa: A002
          interventions: Sequence[str] | Mapping[str, Mapping[str, Any] | None] | None = None,
          warmup: int | None = None, outcome: str = "conflict_rate",
          precision: float | None = None, absolute: float | None = None,
          max_replicates: int = 50, workers: int | None = None,
          scheduler: str | None = None, out: str | Path | None = None, force: bool = False,
          resume: bool = False, quiet: bool = True, figures: bool = True) -> Atlas:
    """Run the atlas on one community and return its tables.

    Parameters
    ----------
    community : str, path, Community or mapping
        A preset of :data:`COMMUNITIES` (``sanyuanli``, ``cixi``, ``hesilu``,
        ``highrise``, alias ``yihai`` or ``luocheng``), a TOML file (see
        :func:`reference_community`) or a mapping of settings.
    pairs : bool
        Also run every pair of interventions (and report their interactions).
    replicates : int
        Replicates per arm, on the same seeds in every arm (with ``precision``: the first
        batch, at least 10).
    steps, seed, warmup
        Days, master seed, days before institutions switch on (default
        :func:`~govsim.experiment.spec.default_warmup`).
    residents : int, optional
        Overrides the community's size.
    set : mapping, optional
        Settings for every arm (dotted keys), on top of the community.
    interventions : sequence of str or mapping, optional
        Built-in scenario names (default: all but ``baseline``), or a mapping of label to
        settings (None: that scenario's settings).
    outcome : str
        The outcome of the interaction heatmap and of adaptive replication.
    precision, absolute : float, optional
        Replicate adaptively (Law's sequential procedure) until every applicable
        intervention's effect on ``outcome`` has a 95% half-width at most ``precision``
        relative to |mean| (as gamma / (1 + gamma)) or at most ``absolute``.
    max_replicates : int
        The most replicates adaptive replication adds.
    workers, scheduler, force, resume, quiet
        As for :func:`govsim.experiment.compare`.
    out : str or path, optional
        The folder to write (runs.csv, manifest.json, the tables of :data:`TABLES` and
        effects.png, interactions.png); without it the atlas runs in a temporary folder
        and writes nothing.
    figures : bool
        Draw the figures (with ``out``).

    Returns
    -------
    Atlas
        ``league``, ``effects``, ``ranking``, ``interactions`` and ``arms`` DataFrames.

    Raises
    ------
    SpecError
        For bad input, before anything is written.

    References
    ----------
    Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., §9.4.1 (sequential
    procedure), §11.2 (common random numbers).

    Montgomery, D. C. (2017). *Design and Analysis of Experiments*, 9th ed., §6.2.
    """
    place = reference_community(community)
    if residents is not None:
        place = Community(place.name, place.title,
                          {**place.settings, "community.residents": residents},
                          (*place.provenance, f"residents set to {residents}"))
    warmup = default_warmup(steps) if warmup is None else warmup
    if not 0 <= warmup < steps:
        raise SpecError(f"--warmup must be >= 0 and below --steps ({steps}), got {warmup}")
    if outcome not in [o for g in PANEL.values() for o in g]:
        raise SpecError(f"unknown panel outcome '{outcome}'"
                        f"{suggest(outcome, [o for g in PANEL.values() for o in g])}")
    adaptive = precision is not None or absolute is not None
    if adaptive and max_replicates < max(10, replicates):
        raise SpecError(f"--max-replicates must be at least {max(10, replicates)}, "
                        f"got {max_replicates}")
    chosen, titles = _resolve_interventions(interventions)
    fixed = {k: Params.resolve({k: v})[k] for k, v in (set or {}).items()} if set else {}
    arms, base = atlas_design(place, chosen, pairs, fixed, warmup)
    from govsim.metrics import measure_columns
    measures = measure_columns(base["model.institutions"], base["deeds.enabled"])
    info = {"verb": "atlas", "community": place.to_dict(), "pairs": pairs,
            "steps": steps, "seed": seed, "warmup": warmup, "set": _jsonable(fixed),
            "panel": {k: list(v) for k, v in PANEL.items()}, "outcome": outcome,
            "arms": [{"label": a.label, "members": list(a.members),
                      "title": titles.get(a.label, ""), "settings": _jsonable(a.settings),
                      "institutions": list(a.institutions), "status": a.status}
                     for a in arms]}
    identity = {**info, "replicates": replicates}
    if adaptive:
        identity["replicates"] = "sequential"
        identity["sequential"] = {"relative": precision, "absolute": absolute,
                                  "first": max(10, replicates),
                                  "max_replicates": max_replicates, "outcome": outcome}
    if out is None:
        with tempfile.TemporaryDirectory(prefix="govsim-atlas-") as tmp:
            return _run(Path(tmp) / "atlas", arms, base, measures, info, identity,
                        replicates, precision, absolute, max_replicates, workers,
                        scheduler, False, False, quiet, False, keep=False)
    out = Path(out)
    with hold_folder(out, resume, force):
        if force and not resume:
            for name in (*TABLES, "effects.png", "interactions.png"):
                (out / name).unlink(missing_ok=True)
        return _run(out, arms, base, measures, info, identity, replicates, precision,
                    absolute, max_replicates, workers, scheduler, resume, force, quiet,
                    figures, keep=True)


def _jsonable(x: Any) -> Any:
    if isinstance(x, Mapping):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    return x


def _run(out: Path, arms, base, measures, info, identity, replicates, precision, absolute,
         max_replicates, workers, scheduler, resume, force, quiet, figures, keep) -> Atlas:
    from govsim.experiment.sweep import _batch_width, _replicates_stored, execute_plan
    steps, seed = info["steps"], info["seed"]
    adaptive = precision is not None or absolute is not None

    def run(n: int, resume_now: bool, force_now: bool, prune: bool = False,
            extra: dict | None = None):
        tasks, params, labels = _plan(arms, base, n, steps, seed)
        if not tasks:
            raise SpecError("no intervention of the atlas applies to this community: "
                            + "; ".join(f"{a.label}: {a.status}" for a in arms if a.status))
        return execute_plan(tasks, params, measures, out, identity, timeseries=False,
                            workers=workers, scheduler=scheduler, resume=resume_now,
                            force=force_now, quiet=quiet, labels=labels, prune=prune,
                            manifest={"atlas": info, **(extra or {})})

    seq_info = None
    if not adaptive:
        result = run(replicates, resume, force)
        n_used = replicates
    else:
        n = max(10, replicates)
        if resume:
            n = min(max_replicates, max(n, _replicates_stored(out)))
        width, first = _batch_width(workers, scheduler), True
        singles = [a.label for a in arms if len(a.members) == 1 and not a.status]
        while True:
            result = run(n, resume or not first, force and first)
            first = False
            runs = _read_runs(out / "runs.csv")
            stops = []
            for label in singles:
                d = _differences(runs, label, info["outcome"], n)
                stops.append(sequential_stop(d, precision, absolute, min_pairs=10))
            if all(s is not None for s in stops) or n >= max_replicates:
                met = all(s is not None for s in stops)
                n_used = max(s for s in stops) if met else n
                break
            n = min(max_replicates, n + width)
        seq_info = {"outcome": info["outcome"], "pairs": int(n_used), "target_met": met,
                    "relative": precision, "absolute": absolute,
                    "max_replicates": max_replicates}
        result = run(n_used, True, False, prune=True, extra={"sequential": seq_info})
    runs = _read_runs(out / "runs.csv")
    tables = atlas_tables(runs, info)
    result_info = {**info, "replicates": n_used, "failed": result.failed,
                   "sequential": seq_info}
    if keep:
        try:
            for name, table in tables.items():
                tmp = out / f".{name}.csv.tmp"
                table.to_csv(tmp, index=False)
                tmp.replace(out / f"{name}.csv")
            if figures:
                from govsim import plots
                plots.save(plots.atlas_effects(tables["effects"]), out / "effects.png")
                if info["pairs"]:
                    plots.save(plots.atlas_interactions(tables["interactions"],
                                                        info["outcome"]),
                               out / "interactions.png")
        except OSError as exc:
            raise write_failure(exc, out, result.runs, result.runs) from exc
    return Atlas(**tables, info=result_info, folder=out if keep else None,
                 replicate_values=replicate_values(runs, info))


def _differences(runs: pd.DataFrame, label: str, outcome: str, n: int) -> np.ndarray:
    done = runs[(runs["status"] == "done") & (runs["replicate"] < n)]
    col = f"{outcome}_mean"
    b = done[done["variant"] == "baseline"].set_index("replicate")[col]
    i = done[done["variant"] == label].set_index("replicate")[col]
    reps = sorted(set(b.index) & set(i.index))
    return (i.loc[reps] - b.loc[reps]).to_numpy(dtype=float)


def _read_runs(path: Path) -> pd.DataFrame:
    """runs.csv with the arm labels as text (an arm may be called "null" or "NA"), and
    the resolved parameters that runs.csv leaves out (it lists the active ones) joined
    from parameters.csv by run id: the cost columns read them."""
    from govsim.experiment.sweep import PARAMETERS_FILE
    runs = pd.read_csv(path)
    runs["variant"] = pd.read_csv(path, usecols=["variant"], dtype=str,
                                  keep_default_na=False)["variant"]
    side = path.with_name(PARAMETERS_FILE)
    if side.is_file():
        params = pd.read_csv(side)
        extra = [c for c in params.columns if c != "run_id" and c not in runs.columns]
        runs = runs.merge(params[["run_id", *extra]], on="run_id", how="left")
    return runs.copy()   # one block again after the columns were replaced


def read_atlas(folder: str | Path) -> Atlas:
    """The tables of an atlas folder (written by :func:`atlas` or ``govsim atlas``).

    Raises
    ------
    SpecError
        If the folder holds no atlas tables.
    """
    folder = Path(folder)
    if not (folder / "effects.csv").is_file() or not (folder / "manifest.json").is_file():
        raise SpecError(f"{folder} holds no atlas (effects.csv and manifest.json)")
    manifest = json.loads((folder / "manifest.json").read_text())
    tables = {}
    for name in TABLES:
        path = folder / name
        tables[name[:-4]] = (pd.read_csv(path, keep_default_na=False, na_values=[""])
                             if path.is_file() else pd.DataFrame())
    for name in ("effects", "interactions", "league"):
        if "status" in tables[name]:
            tables[name]["status"] = [x if isinstance(x, str) else ""
                                      for x in tables[name]["status"]]
    info = dict(manifest.get("atlas", {}))
    info["replicates"] = int(tables["arms"]["replicates"].max()) if len(tables["arms"]) else 0
    values = {}
    if (folder / "runs.csv").is_file() and info.get("arms"):
        values = replicate_values(_read_runs(folder / "runs.csv"), info)
    return Atlas(**tables, info=info, folder=folder, replicate_values=values)
