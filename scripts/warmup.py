"""Choose the default warm-up from the baseline's own transient (Welch's method).

Runs the baseline arm of a scenario (default: ``baseline``) with the institutions off
and no warm-up, averages each key measure across replicates day by day, smooths the
average with a centred moving window of 2w + 1 days (Welch 1983; Law 2015, §9.5.1), and
reads for each measure the first day after which the smoothed curve stays within a band
around its plateau (the mean of the smoothed curve over the second half of the horizon).
The band is the larger of 10% of the transient (|start - plateau|) and three times the
spread of the smoothed curve on the plateau (so that noise alone does not keep a count
such as ``conflict_rate`` "unsettled"). The warm-up is the largest such day, rounded up to
ten days. Writes a figure and a Markdown table.

Usage::

    python scripts/warmup.py [--scenario baseline] [--replicates 10] [--steps 365]
                             [--window 15] [--workers N] [--out results/warmup]
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

import numpy as np
import pandas as pd

MEASURES = ("conflict_rate", "grievance_mean", "hardship_mean", "tie_strength_mean",
            "bridging_share", "social_trust_mean", "legitimacy_mean", "needs_met_share",
            "participation_rate")


def welch(curve: np.ndarray, window: int) -> np.ndarray:
    """Welch's moving average: centred window of 2w + 1, shrinking near the start."""
    n = len(curve)
    out = np.empty(n - window)
    for i in range(n - window):
        w = min(i, window)
        out[i] = curve[i - w:i + w + 1].mean()
    return out


def settle_day(smooth: np.ndarray) -> tuple[int, float, float]:
    """First day after which the smoothed curve stays in the band around its plateau."""
    half = len(smooth) // 2
    plateau = float(smooth[half:].mean())
    band = max(0.1 * abs(float(smooth[0]) - plateau), 3 * float(smooth[half:].std()))
    outside = np.flatnonzero(np.abs(smooth - plateau) > band)
    day = int(outside[-1]) + 2 if len(outside) else 1   # rows are days 1..n
    return day, plateau, band


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", default="baseline")
    ap.add_argument("--replicates", type=int, default=10)
    ap.add_argument("--steps", type=int, default=365)
    ap.add_argument("--window", type=int, default=15)
    ap.add_argument("--residents", type=int, default=None)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--seed", type=int, default=20260)
    ap.add_argument("--out", default="results/warmup")
    ap.add_argument("--figure", default="docs/img/warmup.png")
    ap.add_argument("--table", default="docs/img/warmup.md")
    args = ap.parse_args(argv)

    from govsim.experiment.spec import SweepSpec
    from govsim.experiment.sweep import run_sweep
    spec = SweepSpec(scenario=args.scenario, arms=("baseline",), replicates=args.replicates,
                     steps=args.steps, seed=args.seed, residents=args.residents, warmup=0,
                     source=f"warm-up of {args.scenario}")
    out = Path(args.out)
    resume = (out / "manifest.json").is_file()
    run_sweep(spec, out, workers=args.workers, resume=resume, quiet=True)
    ts = pd.read_csv(out / "timeseries.csv", usecols=["run_id", "step", *MEASURES])
    mean = ts.groupby("step")[list(MEASURES)].mean().sort_index()

    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    rows = []
    cols = 3
    fig, axes = plt.subplots(math.ceil(len(MEASURES) / cols), cols,
                             figsize=(12, 2.6 * math.ceil(len(MEASURES) / cols)))
    for ax, name in zip(axes.flat, MEASURES, strict=False):
        curve = mean[name].to_numpy()
        smooth = welch(curve, args.window)
        day, plateau, band = settle_day(smooth)
        rows.append({"measure": name, "settles_by_day": day, "plateau": plateau,
                     "band": band, "day1": float(curve[0])})
        days = np.arange(1, len(smooth) + 1)
        ax.plot(np.arange(1, len(curve) + 1), curve, color="lightgrey", lw=0.8,
                label="mean of replicates")
        ax.plot(days, smooth, color="tab:blue", label=f"Welch, w = {args.window}")
        ax.axhspan(plateau - band, plateau + band, color="tab:green", alpha=0.15)
        ax.axvline(day, color="tab:red", ls="--", lw=1)
        ax.set_title(f"{name}: settles by day {day}", fontsize=9)
    for ax in list(axes.flat)[len(MEASURES):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7)
    table = pd.DataFrame(rows)
    warmup = int(math.ceil(table["settles_by_day"].max() / 10) * 10)
    fig.suptitle(f"Welch's method on the baseline arm of {args.scenario} ({args.replicates} "
                 f"replicates, {args.steps} days): warm-up W = {warmup} days", fontsize=10)
    fig.tight_layout()
    Path(args.figure).parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(args.figure, dpi=100)
    lines = ["| measure | value on day 1 | plateau | band | settles by day |",
             "|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| `{r['measure']}` | {r['day1']:.4g} | {r['plateau']:.4g} | "
                     f"±{r['band']:.2g} | {r['settles_by_day']} |")
    lines.append("")
    lines.append(f"Warm-up chosen: **W = {warmup} days** (the latest settling day, rounded "
                 f"up to ten days); baseline arm of `{args.scenario}`, {args.replicates} "
                 f"replicates, {args.steps} days, Welch window w = {args.window}, master "
                 f"seed {args.seed}. Produced by `python scripts/warmup.py`.")
    Path(args.table).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    print(f"wrote {args.figure} and {args.table}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
