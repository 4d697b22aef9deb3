"""The "Evaluation" section of docs/ODD.md (after TRACE, Grimm et al. 2014), generated.

For every intervention scenario: its primary effect (paired comparison, warm-up, Holm over
its key outcomes), its ablation table (share of the primary effect each ingredient
carries) and its horizon robustness (the primary effect summarised at growing horizons).
``python -m govsim.evaluation`` runs them into ``results/evaluation/`` (resumable: a
second call reuses the stored runs), writes figures to ``docs/img/`` and rewrites the
block between ``<!-- evaluation:begin -->`` and ``<!-- evaluation:end -->`` of
docs/ODD.md. Options: ``--replicates``, ``--steps``, ``--residents``, ``--workers``,
``--warmup``, ``--scenario`` (repeatable), ``--out``.

References
----------
Grimm, V. et al. (2014). Towards better modelling and decision support: documenting
model development, testing, and analysis using TRACE. *Ecological Modelling* 280, 129-139.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from govsim.docs import ODD

IMG = ODD.parent / "img"


def _fmt(x: float) -> str:
    return "n/a" if pd.isna(x) else f"{x:.3g}"


def evaluate_scenario(name: str, out: Path, replicates: int, steps: int,
                      residents: int | None, workers: int | None,
                      warmup: int | None = None) -> str:
    """Run one scenario's comparison, ablation and horizon table; its Markdown."""
    from govsim import plots
    from govsim.experiment.ablate import ablate
    from govsim.experiment.horizon import horizon_table
    from govsim.experiment.sweep import compare
    from govsim.scenario import load_scenario
    sc = load_scenario(name)
    kw = dict(replicates=replicates, steps=steps, residents=residents, workers=workers,
              warmup=warmup, quiet=True)
    folder = out / f"compare-{name}"
    eff = compare(name, out=folder, resume=(folder / "manifest.json").is_file(),
                  figures=False, **kw)
    folder_a = out / f"ablate-{name}"
    abl = ablate(name, out=folder_a, resume=(folder_a / "manifest.json").is_file(),
                 outcomes=[sc.primary], figures=False, **kw)
    hz = horizon_table(folder, [sc.primary], points=8)
    IMG.mkdir(parents=True, exist_ok=True)
    plots.save(plots.ablation_bars(abl), IMG / f"eval-{name}-ablation.png")
    plots.save(plots.horizon_effects(hz, sc.primary), IMG / f"eval-{name}-horizon.png")
    row = eff.set_index("outcome").loc[sc.primary]
    lines = [f"#### `{name}` — primary outcome `{sc.primary}`", ""]
    lines.append(f"Effect {_fmt(row['diff_mean'])} (95% CI {_fmt(row['ci_low'])} to "
                 f"{_fmt(row['ci_high'])}; baseline mean {_fmt(row['baseline_mean'])}, "
                 f"relative change {_fmt(100 * row['rel_change'])}%); p = "
                 f"{_fmt(row['p_value'])}, Holm-adjusted over {len(sc.key_outcomes)} key "
                 f"outcomes p = {_fmt(row['p_holm'])}; {int(row['n_pairs'])} pairs.")
    lines += ["", "| component | contribution (95% CI) | share of the effect (95% CI) |",
              "|---|---|---|"]
    for _, r in abl.iterrows():
        lines.append(f"| {r['component']} | {_fmt(r['contribution'])} "
                     f"({_fmt(r['ci_low'])} to {_fmt(r['ci_high'])}) | {_fmt(r['share'])} "
                     f"({_fmt(r['share_low'])} to {_fmt(r['share_high'])}) |")
    hz_text = ", ".join(f"day {int(h)}: {_fmt(d)} [{_fmt(lo)}, {_fmt(hi)}]"
                        for h, d, lo, hi in hz[["horizon", "diff_mean", "ci_low",
                                                "ci_high"]].itertuples(index=False))
    lines += ["", f"Horizon robustness (effect summarised up to each day): {hz_text}.", "",
              f"![ablation of {name}](img/eval-{name}-ablation.png) "
              f"![horizon of {name}](img/eval-{name}-horizon.png)", ""]
    return "\n".join(lines)


def render(body: str, text: str) -> str:
    from govsim.docs import replace_block
    return replace_block(text, "evaluation", body)


def main(argv: list[str] | None = None) -> int:
    from govsim.scenario import available, load_scenario
    ap = argparse.ArgumentParser(prog="python -m govsim.evaluation",
                                 description=__doc__.splitlines()[0])
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--steps", type=int, default=365)
    ap.add_argument("--residents", type=int, default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--warmup", type=int, default=None)
    ap.add_argument("--scenario", action="append", default=None)
    ap.add_argument("--out", default="results/evaluation")
    args = ap.parse_args(argv)
    names = args.scenario or [n for n in available() if load_scenario(n).ingredients]
    out = Path(args.out)
    parts = []
    for name in names:
        print(f"evaluating {name}", file=sys.stderr)
        parts.append(evaluate_scenario(name, out, args.replicates, args.steps,
                                       args.residents, args.workers, args.warmup))
        # the section is rewritten after every scenario, so a long refresh shows progress
        ODD.write_text(render(_head(args) + "\n".join(parts), ODD.read_text()))
    print(f"rewrote the evaluation section of {ODD}", file=sys.stderr)
    return 0


def _head(args) -> str:
    from govsim.experiment.spec import default_warmup
    size = (f"{args.residents} residents" if args.residents else "each scenario's own size")
    warmup = default_warmup(args.steps) if args.warmup is None else args.warmup
    head = (f"Generated by `python -m govsim.evaluation --replicates {args.replicates} "
            f"--steps {args.steps}" + (f" --residents {args.residents}" if args.residents
                                       else "") +
            (f" --warmup {args.warmup}" if args.warmup is not None else "") +
            f"`: {args.replicates} paired replicates, {args.steps} days, {size}, warm-up "
            f"{warmup} days, t intervals. Refresh it with the same "
            "command (at full size: without `--residents`, `--steps 365`).\n\n")
    return head


if __name__ == "__main__":
    sys.exit(main())
