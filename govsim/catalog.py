"""The catalogue of measures: every CSV column with its meaning, unit, kind, good direction,
possible range and formula reference, from the declarations (:mod:`govsim.measures` and
each institution's ``measures``).

``govsim measures [SCENARIO]`` prints it; ``python -m govsim.catalog`` rewrites the
README's measure list between ``<!-- measures:begin -->`` and ``<!-- measures:end -->``
(``--check`` exits 1 when it is out of date), so the two never disagree.

Example
-------
>>> from govsim.catalog import lookup, bounds
>>> lookup("needs_met_share_mean").unit
'share'
>>> bounds(lookup("disputes"))
(0.0, None)
"""

from __future__ import annotations

import re
import sys
from functools import cache
from pathlib import Path

import pandas as pd

from govsim.measures import (
    COHESION,
    CONFLICT,
    DEEDS,
    GAPS,
    KIND_TEXT,
    SERVICE,
    Measure,
    core,
)

__all__ = ["bounds", "is_count", "lookup", "measure_table", "readme_block"]

BEGIN, END = "<!-- measures:begin -->", "<!-- measures:end -->"
ROOT = Path(__file__).resolve().parent.parent
ODD = ROOT / "docs" / "ODD.md"
README = ROOT / "README.md"

#: units of measures that count events or things (never below 0)
_COUNT_KINDS = ("day", "total")


def _groups() -> dict[str, str]:
    out = {m.name: "conflict" for m in CONFLICT}
    out |= {m.name: "cohesion" for m in COHESION}
    out |= {m.name: "service" for m in SERVICE}
    out |= {m.name: "gap" for m in GAPS}
    return out


@cache
def _odd_sections() -> dict[str, str]:
    """ODD section number of each institution module (from the section headings)."""
    if not ODD.is_file():  # an installed package without the repository's docs
        return {}
    found = {}
    for number, rest in re.findall(r"^###\s+(\d+\.\d+)\s+(.*)$", ODD.read_text(), re.M):
        for mod in re.findall(r"institutions/(\w+)\.py", rest):
            found.setdefault(mod, number)
    return found


def _institution_ref(cls: type) -> str:
    mod = cls.__module__.rsplit(".", 1)[-1]
    number = _odd_sections().get(mod)
    return f"ODD {number}" if number else f"ODD, section on {cls.__name__}"


@cache
def _all() -> dict[str, tuple[Measure, str]]:
    """Every measure by name, with its group (conflict, cohesion, ..., or an institution)."""
    from govsim.institutions import INSTITUTIONS
    groups = _groups()
    out: dict[str, tuple[Measure, str]] = {}
    for m in core():
        base = m.name
        for suffix in ("_established", "_migrant"):
            if base.endswith(suffix) and base[: -len(suffix)] in groups:
                base = base[: -len(suffix)]
        group = "by origin" if base != m.name else groups.get(m.name, "core")
        out[m.name] = (m, group)
    for m in DEEDS:
        out[m.name] = (m, "deeds")
    for name, cls in INSTITUTIONS.items():
        ref = _institution_ref(cls)
        for m in cls.measures:
            out[m.name] = (Measure(m.name, m.kind, m.doc, m.unit, m.better, m.ref or ref),
                           name)
    return out


def lookup(name: str) -> Measure | None:
    """The declaration of a measure, also by a runs.csv column (``<m>_mean``, ``<m>_final``).

    Returns None for a name that is no measure.
    """
    table = _all()
    if name in table:
        return table[name][0]
    for suffix in ("_mean", "_final"):
        if name.endswith(suffix) and name[: -len(suffix)] in table:
            return table[name[: -len(suffix)]][0]
    return None


def is_count(m: Measure | None) -> bool:
    """Whether a measure counts events of a day or in total (smoothed when drawn)."""
    return (m is not None and m.kind in _COUNT_KINDS and not _is_share(m.unit)
            and not m.unit.startswith("per "))


def _is_share(unit: str) -> bool:
    return unit.startswith("share") or "0-1" in unit


def bounds(m: Measure | None) -> tuple[float | None, float | None]:
    """The possible range of a measure's values, read from its unit and kind.

    Shares and 0-1 indices lie in [0, 1], E-I style indices and gaps in [-1, 1]; counts,
    rates, minutes and days are never negative. ``None`` marks an open end.
    """
    if m is None:
        return (None, None)
    unit = m.unit
    if _is_share(unit) or "0-1" in unit:
        return (0.0, 1.0)
    if "-1" in unit or m.name.endswith("_gap"):
        return (-1.0, 1.0)
    if m.kind in _COUNT_KINDS or unit in ("minutes", "days") or unit.startswith("per "):
        return (0.0, None)
    return (None, None)


def measure_table(scenario=None) -> pd.DataFrame:
    """Every measure (of one scenario's runs, if given): name, group, kind, unit, which
    direction is better, meaning and formula reference.

    Parameters
    ----------
    scenario : str or Scenario, optional
        Only the columns this scenario's runs have (the core's, the deed process's where
        it is on, and its institutions').

    Returns
    -------
    DataFrame
        One row per measure: ``measure``, ``group``, ``kind``, ``kind_text``, ``unit``,
        ``better`` (``higher``, ``lower``, ``zero`` or ``-``), ``meaning``, ``formula``.

    Example
    -------
    >>> t = measure_table("deliberation_hall").set_index("measure")
    >>> t.loc["hall_pass_rate_total", ["kind", "formula"]].tolist()
    ['total', 'ODD 7.15']

    References
    ----------
    The formulas are in docs/ODD.md, section 7.7 (core measures) and each institution's
    submodel section.
    """
    from govsim.scenario import Scenario, load_scenario
    entries = _all()
    names = list(entries)
    if scenario is not None:
        from govsim.metrics import measure_columns
        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        names = measure_columns(sc.institutions, bool(sc.params("baseline")["deeds.enabled"]))
    rows = []
    for name in names:
        m, group = entries[name]
        rows.append({"measure": m.name, "group": group, "kind": m.kind,
                     "kind_text": KIND_TEXT[m.kind], "unit": m.unit,
                     "better": m.better or "-",
                     "meaning": m.doc or "(no meaning declared: see the formula's section)",
                     "formula": m.ref})
    return pd.DataFrame(rows)


def readme_block() -> str:
    """The README's measure list (markdown), one table per group."""
    table = measure_table()
    split = table[table["group"] == "by origin"]
    table = table[table["group"] != "by origin"]
    lines = ["Every measure is one CSV column, computed every day. *Kind*: `day` (of the "
             "day's events), `total` (running total since day 0), `window` (over the last "
             "`metrics.window_days` days, 30 by default) or `state` (a level at the end of "
             "the day). *Better*: the direction in which the measure improves (`zero`: closer "
             "to 0, as for a gap between groups; `-`: a description, not a goal). *Formula*: "
             "the section of docs/ODD.md that defines it. Institutions' measures appear only "
             "in runs of scenarios that use them. This list is generated by `govsim measures` "
             "(`govsim measures SCENARIO` lists one scenario's columns).", ""]
    for group, part in table.groupby("group", sort=False):
        title = group if group in ("conflict", "cohesion", "service", "gap") else \
            "deed process (`deeds.enabled`)" if group == "deeds" else f"institution `{group}`"
        lines += [f"**{title}**", "", "| measure | kind | unit | better | meaning | formula |",
                  "|---|---|---|---|---|---|"]
        for r in part.itertuples():
            lines.append(f"| `{r.measure}` | {r.kind} | {r.unit} | {r.better} | "
                         f"{r.meaning.replace('|', '/')} | {r.formula} |")
        lines.append("")
    bases = sorted({n.rsplit("_", 1)[0] for n in split["measure"]},
                   key=lambda n: list(table["measure"]).index(n))
    lines.append("**by origin**: " + ", ".join(f"`{b}`" for b in bases) + " also come "
                 "split by origin, with the suffix `_established` or `_migrant` (e.g. "
                 "`legitimacy_mean_migrant`); `conflict_rate_<group>` counts the parties "
                 "of that group per 1,000 group members per year.")
    return "\n".join(lines) + "\n"


def render(text: str) -> str:
    from govsim.docs import replace_block
    return replace_block(text, "measures", readme_block())


def main(argv: list[str]) -> int:
    text = README.read_text()
    new = render(text)
    if "--check" in argv:
        if new != text:
            print("README.md measure list is out of date: run python -m govsim.catalog",
                  file=sys.stderr)
            return 1
        return 0
    README.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
