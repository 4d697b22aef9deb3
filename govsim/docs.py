"""Generate the parameter tables of docs/ODD.md from the parameter tree.

``python -m govsim.docs`` rewrites the block between the markers
``<!-- params:begin -->`` and ``<!-- params:end -->`` in docs/ODD.md, so that every
parameter of the code appears in the ODD with its default, range, unit, meaning and source.
``python -m govsim.docs --check`` exits 1 if the block is out of date. The block between
``<!-- calibration:begin -->`` and ``<!-- calibration:end -->`` (the patterns against the
fits) is generated from the committed calibrations, calibrations/results/*, the
baseline's first;
the block ``<!-- ingredients:begin -->`` from the scenarios' declarations; the key-effects
tables of docs/ODD.md and README.md (``<!-- effects:begin -->``) from
docs/effects/key_effects.csv (:mod:`govsim.keyeffects`).
"""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

from govsim.params import specs

ODD = Path(__file__).resolve().parent.parent / "docs" / "ODD.md"


def _cell(x) -> str:
    if isinstance(x, tuple):
        return ", ".join(map(_cell, x)) or "(none)"
    if isinstance(x, bool):
        return str(x).lower()
    if isinstance(x, float):
        return f"{x:g}"
    return str(x).replace("|", "/")


def parameter_tables() -> str:
    """Markdown tables of all parameters, one per section."""
    out = []
    table = sorted(specs().values(), key=lambda s: s.key)
    for section, items in groupby(table, key=lambda s: s.section):
        out.append(f"\n#### `{section}.*`\n")
        out.append("| parameter | default | valid | plausible | unit | meaning | source |")
        out.append("|---|---|---|---|---|---|---|")
        for s in items:
            plausible = "–".join(map(_cell, s.plausible)) if s.plausible else ""
            source = _cell(s.source)
            if s.calibrated:
                source = (f"**calibrated**: posterior median of "
                          f"`calibrations/{s.calibrated}.toml` (§1); {source}")
            out.append(f"| `{s.key}` | {_cell(s.default)} | {_cell(s.range_text())} | "
                       f"{plausible} | {_cell(s.unit)} | {_cell(s.doc)} | {source} |")
    return "\n".join(out) + "\n"


def ingredient_table() -> str:
    """Markdown table of every scenario's primary outcome and ingredients."""
    from govsim.scenario import available, load_scenario
    out = ["| scenario | primary outcome | ingredients (each switched off alone) |",
           "|---|---|---|"]
    for name in available():
        sc = load_scenario(name)
        if not sc.ingredients:
            continue
        parts = ["`{}`: {}".format(k, ", ".join(f"`{key}` = {_cell(v)}"
                                                for key, v in over.items()))
                 for k, over in sc.ingredients.items()]
        out.append(f"| `{name}` | `{sc.primary}` | {'; '.join(parts)} |")
    return "\n".join(out) + "\n"


def replace_block(text: str, name: str, body: str) -> str:
    """``text`` with the block between ``<!-- name:begin -->`` and ``<!-- name:end -->``
    replaced by ``body`` (unchanged when the markers are missing)."""
    begin, end = f"<!-- {name}:begin -->", f"<!-- {name}:end -->"
    if begin not in text:
        return text
    head, _, rest = text.partition(begin)
    _, _, tail = rest.partition(end)
    return f"{head}{begin}\n{body}{end}{tail}"


def render(text: str) -> str:
    """The ODD with its generated blocks (parameters, ingredients, key effects) renewed."""
    from govsim import keyeffects
    text = replace_block(text, "params", parameter_tables())
    text = replace_block(text, "ingredients", ingredient_table())
    return replace_block(text, "effects", keyeffects.odd_block())


def render_readme(text: str) -> str:
    """The README with its key-effects table renewed."""
    from govsim import keyeffects
    return replace_block(text, "effects", keyeffects.readme_block())


def calibration_folders() -> list[Path]:
    """The committed calibrations' result folders (those with a fit table), the
    baseline's first, then by name: the order of the ODD's calibration block."""
    results = ODD.parent.parent / "calibrations" / "results"
    if not results.is_dir():
        return []
    return sorted((p for p in results.iterdir() if (p / "fit.csv").is_file()),
                  key=lambda p: (p.name != "baseline", p.name))


def main(argv: list[str]) -> int:
    text = ODD.read_text()
    new = render(text)
    fitted = calibration_folders()
    if fitted:   # the patterns against the committed fits, the baseline's first
        from govsim.experiment.calibration import render_odd
        new = render_odd(new, *fitted)
    readme = ODD.parent.parent / "README.md"
    rtext = readme.read_text()
    rnew = render_readme(rtext)
    if "--check" in argv:
        if new != text or rnew != rtext:
            print("docs/ODD.md or README.md generated blocks are out of date: run "
                  "python -m govsim.docs", file=sys.stderr)
            return 1
        return 0
    ODD.write_text(new)
    readme.write_text(rnew)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
