"""Generate the parameter tables of docs/ODD.md from the parameter tree.

``python -m govsim.docs`` rewrites the block between the markers
``<!-- params:begin -->`` and ``<!-- params:end -->`` in docs/ODD.md, so that every
parameter of the code appears in the ODD with its default, range, unit, meaning and source.
``python -m govsim.docs --check`` exits 1 if the block is out of date. The block between
``<!-- calibration:begin -->`` and ``<!-- calibration:end -->`` (the patterns against the
fit) is generated from the committed baseline calibration, calibrations/results/baseline.
"""

from __future__ import annotations

import sys
from itertools import groupby
from pathlib import Path

from govsim.params import specs

BEGIN, END = "<!-- params:begin -->", "<!-- params:end -->"
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
            out.append(f"| `{s.key}` | {_cell(s.default)} | {_cell(s.range_text())} | "
                       f"{plausible} | {_cell(s.unit)} | {_cell(s.doc)} | "
                       f"{_cell(s.source)} |")
    return "\n".join(out) + "\n"


def render(text: str) -> str:
    head, _, rest = text.partition(BEGIN)
    _, _, tail = rest.partition(END)
    return f"{head}{BEGIN}\n{parameter_tables()}{END}{tail}"


def main(argv: list[str]) -> int:
    text = ODD.read_text()
    new = render(text)
    fitted = ODD.parent.parent / "calibrations" / "results" / "baseline"
    if (fitted / "fit.csv").is_file():   # the patterns against the committed fit
        from govsim.experiment.calibration import render_odd
        new = render_odd(new, fitted)
    if "--check" in argv:
        if new != text:
            print("docs/ODD.md parameter tables are out of date: run python -m govsim.docs",
                  file=sys.stderr)
            return 1
        return 0
    ODD.write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
