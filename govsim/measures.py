"""Declarations of the measures: name, kind, meaning, unit and which direction is better.

A measure is one CSV column, computed every day by :mod:`govsim.metrics` (the core set)
or by an institution (its own, prefixed with its parameter section). This module is data
only: it imports nothing of govsim, so that the experiment layer can learn the columns of
a run without building a model.

Kinds:

- ``day``: of the day's events (disputes today, the mean wait of today's cases);
- ``total``: a running total since day 0 (its name ends in ``_total``);
- ``window``: a share, mean or rate over the last ``metrics.window_days`` days;
- ``state``: a level at the end of the day (mean legitimacy, books on the shelf).
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["BETTER", "CONFLICT", "COHESION", "CORE_REF", "DEEDS", "DEEDS_REF", "GAPS",
           "GROUPS", "KINDS", "KIND_TEXT", "Measure", "SERVICE", "SPLIT", "core", "measure"]

KINDS = ("day", "total", "window", "state")
#: the good directions of a measure ("zero": closer to 0; "": none)
BETTER = ("higher", "lower", "zero", "")
#: the kinds in plain words (tables, axis labels)
KIND_TEXT = {"day": "daily count or value", "total": "running total since day 0",
             "window": "over the last metrics.window_days days", "state": "level at the day's end"}


@dataclass(frozen=True)
class Measure:
    """Declaration of one measure.

    Parameters
    ----------
    name : str
        The CSV column.
    kind : str
        One of :data:`KINDS`.
    doc : str
        Meaning in plain words.
    unit : str
        Unit ("residents", "share", "minutes", ...).
    better : str
        "higher", "lower", "zero" (closer to 0, as for a gap between groups) or ""
        (neither: a description, not a goal).
    ref : str
        Where its formula is written down (a section of docs/ODD.md); empty for an
        institution's measure, whose formula is in its institution's section.
    """

    name: str
    kind: str
    doc: str = ""
    unit: str = ""
    better: str = ""
    ref: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"measure {self.name!r}: kind must be one of {KINDS}")
        if self.better not in BETTER:
            raise ValueError(f"measure {self.name!r}: better must be one of {BETTER}")
        if (self.kind == "total") != self.name.endswith("_total"):
            raise ValueError(f"measure {self.name!r}: a running total, and only a running "
                             "total, ends in '_total'")


#: the ODD sections with the formulas of the core measures and of the deed process
CORE_REF = "ODD 7.7"
DEEDS_REF = "ODD 7.12"


def measure(name: str, kind: str, doc: str = "", unit: str = "", better: str = "",
            ref: str = "") -> Measure:
    """Shorthand constructor for :class:`Measure`."""
    return Measure(name, kind, doc, unit, better, ref)


#: the groups of the by-origin splits (suffixes of the split measures)
GROUPS = ("established", "migrant")

#: the core measures, in column order (:func:`govsim.metrics.observe` computes them)
CONFLICT = (
    measure("disputes", "day", "disputes between residents today", "disputes", "lower"),
    measure("conflicts", "day", "disputes that escalated into recorded conflicts today",
            "conflicts", "lower"),
    measure("intergroup_conflicts", "day",
            "conflicts between an established resident and a migrant today", "conflicts",
            "lower"),
    measure("stranger_disputes", "day", "disputes from encounters among strangers today "
            "(employment, debts, traffic)", "disputes", "lower"),
    measure("mediated", "day", "disputes settled by a mediator today", "disputes"),
    measure("conflict_rate", "day", "today's conflicts per 1,000 residents per year",
            "per 1,000 residents per year", "lower"),
    measure("grievance_mean", "state", "mean grievance G = H (1 - L) (Epstein 2002)",
            "index 0-1", "lower"),
    measure("unresolved_cases", "window", "government cases open now plus cases given up "
            "(dropped or abandoned) in the window", "cases", "lower"),
)
COHESION = (
    measure("tie_strength_mean", "state", "mean strength of resident ties", "strength 0-1",
            "higher"),
    measure("bridging_share", "state", "share of resident ties across origin", "share",
            "higher"),
    measure("ei_index", "state", "tie-strength-weighted E-I index on origin, (E - I)/(E + I) "
            "with E, I the summed strengths of ties across and within origin "
            "(Krackhardt & Stern 1988)", "index -1..1", "higher"),
    measure("clustering", "state", "mean local clustering on a fixed panel of residents",
            "coefficient 0-1"),
    measure("social_trust_mean", "state", "mean generalised trust in other residents",
            "index 0-1", "higher"),
    measure("legitimacy_mean", "state", "mean trust in governing bodies", "index 0-1",
            "higher"),
    measure("participation_rate", "window", "share of residents who took part in a "
            "collective activity in the window", "share", "higher"),
    measure("outgroup_distance_mean", "state", "mean felt social distance to the other "
            "origin group (1 at the start)", "index 0-1", "lower"),
)
SERVICE = (
    measure("needs_met_share", "window", "share of needs closed in the window that were met",
            "share", "higher"),
    measure("response_minutes_mean", "window", "mean minutes from a case's filing until "
            "personnel start on it", "minutes", "lower"),
    measure("responded_within_30min_share", "window", "share of responses within the "
            "report's 30 minutes (fixed, whatever the deadline)", "share", "higher"),
    measure("responded_within_deadline_share", "window", "share of responses within "
            "government.deadline_minutes (follows the lever)", "share", "higher"),
    measure("bounced_cases", "day", "cases a wrong department bounced today", "cases",
            "lower"),
    measure("resolution_days_mean", "window", "mean days from filing to resolution of the "
            "cases resolved in the window", "days", "lower"),
    measure("hardship_mean", "state", "mean hardship H (unmet needs, deprivation)",
            "index 0-1", "lower"),
)
#: measures split by origin, with the suffixes of GROUPS
SPLIT = ("conflict_rate", "grievance_mean", "hardship_mean", "tie_strength_mean",
         "bridging_share", "social_trust_mean", "legitimacy_mean", "participation_rate",
         "needs_met_share")
GAPS = (
    measure("legitimacy_gap", "state", "established minus migrant mean legitimacy (0: "
            "equal)", "index -1..1", "zero"),
    measure("hardship_gap", "state", "established minus migrant mean hardship (0: equal)",
            "index -1..1", "zero"),
)


#: measures of the deed process, recorded where it is on (``deeds.enabled``)
DEEDS = (
    measure("deeds_done", "day", "good deeds done today (all kinds)", "deeds", "higher",
            DEEDS_REF),
    measure("deeds_motivation_mean", "state", "mean intrinsic motivation (prosociality)",
            "index 0-1", "higher", DEEDS_REF),
    measure("deeds_weighted_degree_mean", "state", "mean over residents of the sum of their "
            "tie strengths (the social capital help-seeking uses)", "strength", "higher",
            DEEDS_REF),
)


def core() -> tuple[Measure, ...]:
    """The core measures in column order: conflict, cohesion, service, the splits by
    origin, the gaps."""
    base = {m.name: m for m in CONFLICT + COHESION + SERVICE}
    split = tuple(Measure(f"{name}_{g}", base[name].kind, f"{base[name].doc} ({g})",
                          base[name].unit, base[name].better)
                  for name in SPLIT for g in GROUPS)
    return tuple(Measure(m.name, m.kind, m.doc, m.unit, m.better, m.ref or CORE_REF)
                 for m in CONFLICT + COHESION + SERVICE + split + GAPS)
