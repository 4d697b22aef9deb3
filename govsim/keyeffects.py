"""Every scenario's key effects at its defaults: the table of the README and docs/ODD.md.

``python -m govsim.keyeffects run`` compares each intervention scenario with its baseline
at the scenario's own size and defaults (paired replicates on common seeds, the
comparisons' warm-up, Holm over the scenario's key outcomes) into ``results/key-effects/``
(resumable) and writes the key outcomes' rows to ``docs/effects/key_effects.csv``.
``python -m govsim.docs`` renders that CSV into the block between
``<!-- effects:begin -->`` and ``<!-- effects:end -->`` of README.md and docs/ODD.md
(``--check`` exits 1 when a block is out of date); the ODD's table also shows the effects
of an earlier version of the model (``docs/effects/key_effects_before.csv``) and says per
outcome whether the effect held, vanished, appeared or changed sign.
``python -m govsim.keyeffects collect DIR`` makes such a table from comparison folders
``DIR/<scenario>/effects.csv`` written by any version of govsim (older tables lack
``p_holm`` and ``verdict``).

An effect is *resolved* when its 95% interval excludes 0. Between two versions: *held*
(resolved in both with the same sign), *vanished* (resolved before, not now), *appeared*
(resolved now, not before), *sign changed* (resolved in both, opposite signs), *unclear*
(resolved in neither) and *new* (not measured before).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from govsim.docs import ODD

ROOT = ODD.parent.parent
README = ROOT / "README.md"
TABLE = ODD.parent / "effects" / "key_effects.csv"
#: the same table computed by the model as it stood before its mechanisms were reworked
#: (the effects were then bumps written into attitudes; see docs/effects/)
BEFORE = ODD.parent / "effects" / "key_effects_before.csv"
COLUMNS = ["scenario", "outcome", "primary", "baseline_mean", "intervention_mean",
           "diff_mean", "ci_low", "ci_high", "p_holm", "verdict", "n_pairs"]


def intervention_scenarios() -> list[str]:
    """The built-in scenarios whose intervention differs from their baseline (all but
    ``baseline``)."""
    from govsim.scenario import available, load_scenario
    return [n for n in available()
            if load_scenario(n).intervention != load_scenario(n).baseline]


def key_rows(name: str, eff: pd.DataFrame) -> pd.DataFrame:
    """The key outcomes' rows (primary first) of one scenario's effect table; outcomes the
    table lacks (an older version did not measure them) are left out."""
    from govsim.scenario import load_scenario
    sc = load_scenario(name)
    key = [sc.primary] + [o for o in sc.key_outcomes if o != sc.primary]
    eff = eff.set_index("outcome")
    sel = eff.loc[[o for o in key if o in eff.index]].reset_index()
    sel.insert(0, "scenario", name)
    sel["primary"] = sel["outcome"] == sc.primary
    return sel.reindex(columns=COLUMNS)


def run(out: Path, replicates: int, steps: int, seed: int, workers: int | None,
        names: list[str] | None = None) -> pd.DataFrame:
    """Compare every scenario at its defaults; the key outcomes' rows of all of them."""
    from govsim.experiment.sweep import compare
    rows = []
    for name in names or intervention_scenarios():
        print(f"comparing {name}", file=sys.stderr)
        folder = out / name
        eff = compare(name, replicates=replicates, steps=steps, seed=seed, workers=workers,
                      out=folder, resume=(folder / "manifest.json").is_file(),
                      figures=False, quiet=True)
        rows.append(key_rows(name, eff))
    return pd.concat(rows, ignore_index=True)


def merge(table: pd.DataFrame, new: pd.DataFrame) -> pd.DataFrame:
    """``table`` with the scenarios of ``new`` replaced by its rows, in the order of
    :func:`intervention_scenarios` (``run --scenario NAME`` updates one scenario's rows
    of the committed table, not the whole table).

    Example
    -------
    >>> old = pd.DataFrame({"scenario": ["unified_hotline", "bank_of_merit"], "x": [1, 2]})
    >>> new = merge(old, pd.DataFrame({"scenario": ["bank_of_merit"], "x": [3]}))
    >>> new.to_dict("list")
    {'scenario': ['bank_of_merit', 'unified_hotline'], 'x': [3, 1]}
    """
    kept = table[~table["scenario"].isin(set(new["scenario"]))]
    out = pd.concat([kept, new], ignore_index=True)
    order = {name: i for i, name in enumerate(intervention_scenarios())}
    rank = out["scenario"].map(order).fillna(len(order))
    return out.iloc[rank.argsort(kind="stable")].reset_index(drop=True)


def collect(folder: Path) -> pd.DataFrame:
    """The key-effects table of comparison folders ``folder/<scenario>/effects.csv``."""
    rows = [key_rows(name, pd.read_csv(folder / name / "effects.csv"))
            for name in intervention_scenarios() if (folder / name / "effects.csv").is_file()]
    return pd.concat(rows, ignore_index=True)


def _g(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.3g}"


def _effect(r) -> str:
    return f"{_g(r.diff_mean)} [{_g(r.ci_low)}, {_g(r.ci_high)}]"


def _resolved(r) -> int:
    """+1 or -1 when the interval excludes 0 on that side, 0 when it covers 0."""
    if pd.isna(r.ci_low) or pd.isna(r.ci_high):
        return 0
    return 1 if r.ci_low > 0 else -1 if r.ci_high < 0 else 0


def change(now, before) -> str:
    """How an effect moved between two versions (see the module's docstring)."""
    if before is None:
        return "new"
    a, b = _resolved(before), _resolved(now)
    if a and b:
        return "held" if a == b else "sign changed"
    if a:
        return "vanished"
    return "appeared" if b else "unclear"


def markdown(table: pd.DataFrame, before: pd.DataFrame | None = None,
             provenance: str = "") -> str:
    """The Markdown of the key-effects table (with the earlier version's, if given)."""
    old = {} if before is None else {(r.scenario, r.outcome): r
                                     for r in before.itertuples(index=False)}
    head = "| scenario | key outcome | baseline | intervention | effect [95% CI] | Holm p |"
    rule = "|---|---|---|---|---|---|"
    if before is not None:
        head += " before: effect [95% CI] | change |"
        rule += "---|---|"
    lines = [provenance, "", head, rule] if provenance else [head, rule]
    for r in table.itertuples(index=False):
        name = f"**`{r.outcome}`**" if r.primary else f"`{r.outcome}`"
        line = (f"| `{r.scenario}` | {name} | {_g(r.baseline_mean)} | "
                f"{_g(r.intervention_mean)} | {_effect(r)} | {_g(r.p_holm)} |")
        if before is not None:
            b = old.get((r.scenario, r.outcome))
            line += f" {'—' if b is None else _effect(b)} | {change(r, b)} |"
        lines.append(line)
    lines.append("")
    lines.append("The primary outcome of each scenario is in bold; the effect is intervention "
                 "minus baseline, the mean of the paired differences.")
    return "\n".join(lines) + "\n"


def provenance_of(path: Path) -> str:
    meta = path.with_suffix(".txt")
    return meta.read_text().strip() if meta.is_file() else ""


def _write(table: pd.DataFrame, path: Path, note: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table.to_csv(path, index=False)
    path.with_suffix(".txt").write_text(note.strip() + "\n")
    print(f"wrote {path}", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m govsim.keyeffects",
                                 description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="verb", required=True)
    r = sub.add_parser("run", help="compare every scenario at its defaults")
    r.add_argument("--replicates", type=int, default=10)
    r.add_argument("--steps", type=int, default=365)
    r.add_argument("--seed", type=int, default=2026)
    r.add_argument("--workers", type=int, default=None)
    r.add_argument("--scenario", action="append", default=None)
    r.add_argument("--out", default="results/key-effects")
    r.add_argument("--table", default=str(TABLE))
    c = sub.add_parser("collect", help="the table of existing comparison folders")
    c.add_argument("folder")
    c.add_argument("--table", default=str(BEFORE))
    c.add_argument("--note", required=True, help="where the folders' figures come from")
    args = ap.parse_args(argv)
    if args.verb == "run":
        table = run(Path(args.out), args.replicates, args.steps, args.seed, args.workers,
                    args.scenario)
        if args.scenario and Path(args.table).is_file():
            table = merge(pd.read_csv(args.table), table)
        _write(table, Path(args.table),
               f"Generated by `python -m govsim.keyeffects run --replicates {args.replicates} "
               f"--steps {args.steps} --seed {args.seed}`: each scenario at its own size "
               f"and defaults, {args.replicates} paired replicates of {args.steps} days, "
               "the comparisons' warm-up, t intervals, Holm over each scenario's key "
               "outcomes. `python -m govsim.docs` renders it into README.md and "
               "docs/ODD.md.")
        return 0
    _write(collect(Path(args.folder)), Path(args.table), args.note)
    return 0


def readme_block() -> str:
    """The README's table: today's key effects ('' before any were computed)."""
    if not TABLE.is_file():
        return ""
    return markdown(pd.read_csv(TABLE), None, provenance_of(TABLE))


def odd_block() -> str:
    """The ODD's table: today's key effects next to the earlier version's."""
    if not TABLE.is_file():
        return ""
    if not BEFORE.is_file():
        return readme_block()
    return markdown(pd.read_csv(TABLE), pd.read_csv(BEFORE),
                    provenance_of(TABLE) + "\n\nBefore: " + provenance_of(BEFORE))


if __name__ == "__main__":
    sys.exit(main())
