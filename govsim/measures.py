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

__all__ = ["KINDS", "Measure", "measure"]

KINDS = ("day", "total", "window", "state")


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
        "higher", "lower" or "" (neither: a description, not a goal).
    """

    name: str
    kind: str
    doc: str = ""
    unit: str = ""
    better: str = ""

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"measure {self.name!r}: kind must be one of {KINDS}")
        if self.better not in ("higher", "lower", ""):
            raise ValueError(f"measure {self.name!r}: better must be higher, lower or ''")
        if (self.kind == "total") != self.name.endswith("_total"):
            raise ValueError(f"measure {self.name!r}: a running total, and only a running "
                             "total, ends in '_total'")


def measure(name: str, kind: str, doc: str = "", unit: str = "", better: str = "") -> Measure:
    """Shorthand constructor for :class:`Measure`."""
    return Measure(name, kind, doc, unit, better)
