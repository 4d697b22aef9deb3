"""Matplotlib figures for comparisons and sweeps (network pictures: :mod:`govsim.netdraw`).

All functions return a Figure; :func:`save` writes it atomically.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path

import matplotlib

if not os.environ.get("DISPLAY") and "MPLBACKEND" not in os.environ:
    matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from scipy import stats  # noqa: E402

__all__ = ["band", "forest", "arms_timeseries", "sweep_response", "sweep_effects",
           "sensitivity_bars", "plot_folder", "save", "ablation_bars", "horizon_effects",
           "atlas_effects", "atlas_interactions"]

ARM_COLOURS = {"baseline": "tab:grey", "intervention": "tab:blue"}


def band(values: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Mean and 95% t-interval over the rows (replicates) of ``values``, per column."""
    values = np.atleast_2d(values)
    mean = values.mean(axis=0)
    n = values.shape[0]
    if n < 2:
        return mean, mean, mean
    half = stats.t.ppf(0.975, n - 1) * values.std(axis=0, ddof=1) / np.sqrt(n)
    return mean, mean - half, mean + half


def save(fig, path: str | Path) -> Path:
    """Write a figure through a temporary file and an atomic rename."""
    path = Path(path)
    tmp = path.with_name(f".{path.stem}.tmp{path.suffix}")
    fig.savefig(tmp, dpi=110, bbox_inches="tight")
    plt.close(fig)
    os.replace(tmp, path)
    return path


def forest(effects: pd.DataFrame, primary: str | None = None):
    """Forest plot of paired effects: relative change with its 95% interval.

    Outcomes whose baseline mean is 0 are shown as absolute differences (marked "abs").
    The ``primary`` outcome is drawn as a diamond, labelled in bold and marked
    "(primary)"; Holm-adjusted p-values are printed where the table has them.
    """
    eff = effects.reset_index(drop=True)
    fig, ax = plt.subplots(figsize=(7, 0.45 * len(eff) + 1.2))
    labels = []
    for k, row in eff.iterrows():
        base = row["baseline_mean"]
        scale = abs(base) if base else 1.0
        y = len(eff) - 1 - k
        lo, mid, hi = (row["ci_low"] / scale, row["diff_mean"] / scale,
                       row["ci_high"] / scale)
        if base:
            lo, mid, hi = 100 * lo, 100 * mid, 100 * hi
        colour = "tab:blue" if (np.isfinite(lo) and (lo > 0 or hi < 0)) else "tab:grey"
        is_primary = row["outcome"] == primary
        ax.errorbar(mid, y, xerr=[[mid - lo], [hi - mid]] if np.isfinite(lo) else None,
                    fmt="D" if is_primary else "o", ms=8 if is_primary else 6,
                    color="tab:red" if is_primary else colour, capsize=3)
        p_holm = row.get("p_holm", np.nan)
        if np.isfinite(p_holm):
            ax.annotate(f"p_holm={p_holm:.2g}", (hi if np.isfinite(hi) else mid, y),
                        xytext=(4, 0), textcoords="offset points", va="center", fontsize=7)
        labels.append(row["outcome"] + ("" if base else " (abs)") +
                      (" (primary)" if is_primary else ""))
    ax.axvline(0, color="black", lw=0.8)
    ax.set_yticks(range(len(eff)))
    ax.set_yticklabels(labels[::-1], fontsize=8)
    for tick in ax.get_yticklabels():
        if tick.get_text().endswith("(primary)"):
            tick.set_fontweight("bold")
    ax.set_xlabel("effect of the intervention: % of baseline mean (95% CI)")
    fig.tight_layout()
    return fig


def arms_timeseries(ts_path: str | Path, runs_path: str | Path, outcomes: Sequence[str]):
    """Each outcome over time: mean and 95% band across replicates, per arm."""
    outcomes = list(outcomes)
    runs = pd.read_csv(runs_path, usecols=["run_id", "arm", "point", "status"])
    ts = pd.read_csv(ts_path, usecols=["run_id", "step", *outcomes])
    ts = ts.merge(runs, on="run_id")
    cols = min(3, len(outcomes))
    rows = -(-len(outcomes) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.3 * cols, 2.9 * rows), squeeze=False)
    for ax, name in zip(axes.flat, outcomes, strict=False):
        for arm, part in ts.groupby("arm"):
            wide = part.pivot_table(index="run_id", columns="step", values=name)
            mean, lo, hi = band(wide.to_numpy())
            colour = ARM_COLOURS.get(arm, None)
            ax.plot(wide.columns, mean, color=colour, label=arm)
            ax.fill_between(wide.columns, lo, hi, color=colour, alpha=0.25, linewidth=0)
        ax.set_title(name, fontsize=9)
        ax.set_xlabel("day")
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def _grid(levers: Sequence[str], outcomes: Sequence[str]):
    """One panel per (outcome, lever)."""
    return plt.subplots(len(outcomes), len(levers),
                        figsize=(4.2 * len(levers), 2.8 * len(outcomes)), squeeze=False)


def _lever_values(x: pd.Series, bins: int) -> pd.Series:
    """A lever's values, binned by quantiles (bin midpoints) when it has more than
    ``bins`` distinct values, as a sampled lever has."""
    if x.nunique() > bins:
        return pd.qcut(x, bins, duplicates="drop").apply(lambda iv: iv.mid).astype(float)
    return x


def sweep_response(runs: pd.DataFrame, levers: Sequence[str], outcomes: Sequence[str],
                   bins: int = 5):
    """Response of each outcome (run summary, mean over the last quarter) to each swept
    lever: mean and 95% interval over runs at each value (sampled levers are binned)."""
    done = runs[runs["status"] == "done"].copy()
    fig, axes = _grid(levers, outcomes)
    for j, lever in enumerate(levers):
        x = _lever_values(done[lever], bins)
        for i, name in enumerate(outcomes):
            ax = axes[i, j]
            for arm, part in done.assign(_x=x).groupby("arm"):
                grouped = part.groupby("_x")[f"{name}_mean"]
                xs, mean, lo, hi = [], [], [], []
                for value, vals in grouped:
                    m, a, b = band(vals.to_numpy()[:, None])
                    xs.append(value)
                    mean.append(m[0])
                    lo.append(a[0])
                    hi.append(b[0])
                colour = ARM_COLOURS.get(arm, None)
                ax.errorbar(xs, mean, yerr=[np.subtract(mean, lo), np.subtract(hi, mean)],
                            fmt="o-", color=colour, capsize=3, label=arm)
            ax.set_xlabel(lever, fontsize=8)
            ax.set_ylabel(name, fontsize=8)
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    axes[0, 0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def plot_folder(folder: str | Path, outcomes: Sequence[str] | None = None,
                out: str | Path | None = None) -> list[Path]:
    """Draw the figures of a compare or sweep folder; returns the files written."""
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    spec = manifest["spec"]
    runs = pd.read_csv(folder / "runs.csv")
    measures = [c[:-5] for c in runs.columns if c.endswith("_mean")]
    chosen = list(outcomes or [m for m in ("conflict_rate", "intergroup_conflicts",
                                           "bridging_share", "legitimacy_mean",
                                           "needs_met_share") if m in measures])
    levers = list(spec.get("grid") or {}) + list((spec.get("sample") or {}).get("ranges", {}))
    written = []
    if levers:
        fig = sweep_response(runs, levers, chosen)
        written.append(save(fig, out or folder / "sweep.png"))
        return written
    if (folder / "effects.csv").exists():
        from govsim.analysis import effects_table
        saved = pd.read_csv(folder / "effects.csv")
        primary = (saved.loc[saved["primary"], "outcome"].iloc[0]
                   if "primary" in saved and saved["primary"].any() else None)
        eff = effects_table(folder, chosen)
        target = Path(out) if out else folder / "effects.png"
        written.append(save(forest(eff, primary=primary), target))
    if (folder / "timeseries.csv").exists():
        target = (Path(out).with_name(Path(out).stem + "-timeseries.png") if out
                  else folder / "timeseries.png")
        written.append(save(arms_timeseries(folder / "timeseries.csv", folder / "runs.csv",
                                            chosen), target))
    return written


def sweep_effects(runs: pd.DataFrame, levers: Sequence[str], outcomes: Sequence[str],
                  bins: int = 5):
    """Dose-response of the intervention's effect: at each value of each swept lever, the
    mean paired difference (intervention minus baseline, 95% t-interval) of each outcome.

    Runs are paired by design point and replicate (both arms of a pair share the seed);
    pairs where either run failed are left out. Sampled levers with more than ``bins``
    values are binned by quantiles, as in :func:`sweep_response`.
    """
    from govsim.analysis import paired_effect
    done = runs[runs["status"] == "done"]
    keys = ["point", "replicate"]
    base = done[done["arm"] == "baseline"].set_index(keys)
    inter = done[done["arm"] == "intervention"].set_index(keys)
    pairs = base.index.intersection(inter.index)
    if pairs.empty:
        raise ValueError("sweep_effects needs runs of both arms on the same points and "
                         "replicates")
    base, inter = base.loc[pairs], inter.loc[pairs]
    fig, axes = _grid(levers, outcomes)
    for j, lever in enumerate(levers):
        x = _lever_values(inter[lever], bins)
        for i, name in enumerate(outcomes):
            ax = axes[i, j]
            xs, mid, lo, hi = [], [], [], []
            for value in sorted(x.unique()):
                at = (x == value).to_numpy()
                e = paired_effect(base.loc[at, f"{name}_mean"], inter.loc[at, f"{name}_mean"])
                xs.append(value)
                mid.append(e["diff_mean"])
                lo.append(e["ci_low"])
                hi.append(e["ci_high"])
            ax.axhline(0, color="black", lw=0.8)
            yerr = np.nan_to_num([np.subtract(mid, lo), np.subtract(hi, mid)])
            ax.errorbar(xs, mid, yerr=yerr, fmt="o-", color=ARM_COLOURS["intervention"],
                        capsize=3)
            ax.set_xlabel(lever, fontsize=8)
            ax.set_ylabel(f"effect on {name}", fontsize=8)
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.tight_layout()
    return fig


def sensitivity_bars(indices: pd.DataFrame, outcomes: Sequence[str] | None = None):
    """Bar charts of sensitivity indices (:func:`govsim.experiment.sensitivity.analyze`), one panel
    per outcome: Morris mu* with its confidence interval and sigma as a marker, or Sobol'
    first-order (S1) and total (ST) indices with theirs."""
    names = list(outcomes or dict.fromkeys(indices["outcome"]))
    morris = "mu_star" in indices.columns
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    height = rows * (0.35 * max(4, indices["parameter"].nunique()) + 1.2)
    fig, axes = plt.subplots(rows, cols, figsize=(4.6 * cols, height), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        part = indices[indices["outcome"] == name].iloc[::-1]
        y = np.arange(len(part))
        if morris:
            ax.barh(y, part["mu_star"], xerr=part["mu_star_conf"], color="tab:blue",
                    capsize=3, label="mu*")
            ax.plot(part["sigma"], y, "kd", ms=5, label="sigma")
            ax.set_xlabel("elementary effect (per unit of range)", fontsize=8)
        else:
            ax.barh(y + 0.2, part["S1"], height=0.4, xerr=part["S1_conf"], capsize=3,
                    color="tab:blue", label="S1")
            ax.barh(y - 0.2, part["ST"], height=0.4, xerr=part["ST_conf"], capsize=3,
                    color="tab:orange", label="ST")
            ax.set_xlabel("share of output variance", fontsize=8)
        ax.set_yticks(y)
        ax.set_yticklabels(part["parameter"], fontsize=8)
        ax.set_title(name, fontsize=9)
        ax.axvline(0, color="black", lw=0.8)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=8)
    fig.tight_layout()
    return fig


def ablation_bars(table: pd.DataFrame, outcomes: Sequence[str] | None = None):
    """Stacked bars of an ablation (:func:`govsim.analysis.decompose`): per outcome, the
    share of the full effect each ingredient carries and the interaction remainder (they
    stack to 1), with each share's 95% interval as a whisker beside its segment."""
    comps = [c for c in dict.fromkeys(table["component"]) if c != "effect"]
    names = list(outcomes or dict.fromkeys(table["outcome"]))
    fig, ax = plt.subplots(figsize=(1.6 * len(names) + 3, 4.2))
    colours = plt.get_cmap("tab10")
    x = np.arange(len(names))
    pos, neg = np.zeros(len(names)), np.zeros(len(names))
    for j, comp in enumerate(comps):
        rows = table[table["component"] == comp].set_index("outcome").reindex(names)
        share = rows["share"].to_numpy(dtype=float)
        share = np.nan_to_num(share)
        bottom = np.where(share >= 0, pos, neg)
        colour = "lightgrey" if comp == "interaction" else colours(j % 10)
        ax.bar(x, share, 0.6, bottom=bottom, color=colour, edgecolor="white",
               label=comp, hatch="//" if comp == "interaction" else None)
        lo = np.nan_to_num(rows["share_low"].to_numpy(dtype=float))
        hi = np.nan_to_num(rows["share_high"].to_numpy(dtype=float))
        ax.errorbar(x + 0.32 + 0.03 * j, bottom + share, yerr=[share - lo, hi - share],
                    fmt="none", ecolor=colour if comp != "interaction" else "grey",
                    capsize=2, lw=1)
        pos = np.where(share >= 0, pos + share, pos)
        neg = np.where(share < 0, neg + share, neg)
    ax.axhline(0, color="black", lw=0.8)
    ax.axhline(1, color="black", lw=0.6, ls="--")
    ax.set_xticks(x)
    ax.set_xticklabels(names, rotation=20, ha="right", fontsize=8)
    ax.set_ylabel("share of the full effect (95% CI)")
    ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    fig.tight_layout()
    return fig


def horizon_effects(table: pd.DataFrame, primary: str | None = None):
    """Each key effect against the horizon it is summarised over (one panel each): the
    mean paired difference and its 95% interval over the window ending at each day, so a
    transient is told from a steady state (:func:`govsim.experiment.horizon_table`)."""
    names = list(dict.fromkeys(table["outcome"]))
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows), squeeze=False)
    for ax, name in zip(axes.flat, names, strict=False):
        part = table[table["outcome"] == name]
        ax.fill_between(part["horizon"], part["ci_low"], part["ci_high"], alpha=0.3,
                        color="tab:red" if name == primary else "tab:blue")
        ax.plot(part["horizon"], part["diff_mean"],
                color="tab:red" if name == primary else "tab:blue")
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(name + (" (primary)" if name == primary else ""), fontsize=9)
        ax.set_xlabel("horizon (day)")
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    axes[0, 0].set_ylabel("intervention - baseline (95% CI)")
    fig.tight_layout()
    return fig


def _diverging_cells(ax, values: np.ndarray, text: list[list[str]], limit: float):
    """A red (worse) to green (better) heatmap with a label in each cell; NaN is grey."""
    cmap = plt.get_cmap("RdYlGn").with_extremes(bad="lightgrey")
    image = ax.imshow(np.ma.masked_invalid(values), cmap=cmap, vmin=-limit, vmax=limit,
                      aspect="auto")
    for (i, j), label in np.ndenumerate(np.array(text, dtype=object)):
        ax.text(j, i, label, ha="center", va="center", fontsize=6.5)
    return image


def atlas_effects(effects: pd.DataFrame):
    """Heatmap of an atlas's effects: interventions x panel outcomes, coloured by the
    improvement relative to the baseline (green better, red worse, grey not applicable),
    labelled with the paired effect; * marks Holm-adjusted p < 0.05 across the panel.
    Drawn from ``effects.csv`` (:func:`govsim.experiment.atlas.atlas_tables`)."""
    rows = list(dict.fromkeys(effects["intervention"]))
    cols = list(dict.fromkeys(effects["outcome"]))
    table = effects.set_index(["intervention", "outcome"])
    values = np.full((len(rows), len(cols)), np.nan)
    text = [["n/a"] * len(cols) for _ in rows]
    for i, r in enumerate(rows):
        for j, c in enumerate(cols):
            e = table.loc[(r, c)]
            if isinstance(e.get("status"), str) and e["status"]:
                continue
            sign = -1.0 if e["better"] == "lower" else 1.0
            base = abs(float(e["baseline_mean"]))
            values[i, j] = sign * float(e["diff_mean"]) / base if base else 0.0
            star = "*" if float(e["p_holm"]) < 0.05 else ""
            text[i][j] = f"{float(e['diff_mean']):.2g}{star}"
    finite = np.abs(values[np.isfinite(values)])
    limit = float(np.quantile(finite, 0.95)) if finite.size and finite.max() > 0 else 1.0
    fig, ax = plt.subplots(figsize=(1.0 * len(cols) + 3.5, 0.42 * len(rows) + 2.0))
    image = _diverging_cells(ax, values, text, limit or 1.0)
    ax.set_xticks(range(len(cols)))
    ax.set_xticklabels(cols, rotation=35, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)))
    ax.set_yticklabels(rows, fontsize=8)
    fig.colorbar(image, ax=ax, label="improvement / |baseline mean|")
    ax.set_title("paired effect against the baseline (* Holm p < 0.05 over the panel)",
                 fontsize=9)
    fig.tight_layout()
    return fig


def atlas_interactions(interactions: pd.DataFrame, outcome: str):
    """Heatmap of the pairwise interactions on one outcome, I = AB - A - B + baseline,
    coloured by synergy (green: together better than the sum of each alone) or
    interference (red), relative to the baseline mean; * marks a 95% interval that
    excludes zero, grey a pair that was not run. Drawn from ``interactions.csv``."""
    part = interactions[interactions["outcome"] == outcome]
    names = list(dict.fromkeys([*part["a"], *part["b"]]))
    idx = {n: k for k, n in enumerate(names)}
    sign = _better_sign(outcome)
    values = np.full((len(names), len(names)), np.nan)
    text = [[""] * len(names) for _ in names]
    for _, r in part.iterrows():
        i, j = idx[r["a"]], idx[r["b"]]
        if isinstance(r["status"], str) and r["status"]:
            label, v = "n/a", np.nan
        else:
            rel, inter = float(r["relative"]), float(r["interaction"])
            v = sign * rel if np.isfinite(rel) else (0.0 if inter == 0 else np.nan)
            star = "*" if r["verdict"] != "additive" else ""
            label = f"{float(r['interaction']):.2g}{star}"
        values[i, j] = values[j, i] = v
        text[i][j] = text[j][i] = label
    finite = np.abs(values[np.isfinite(values)])
    limit = float(finite.max()) if finite.size and finite.max() > 0 else 1.0
    fig, ax = plt.subplots(figsize=(0.55 * len(names) + 3.5, 0.5 * len(names) + 2.0))
    image = _diverging_cells(ax, values, text, limit)
    ax.set_xticks(range(len(names)))
    ax.set_xticklabels(names, rotation=45, ha="right", fontsize=8)
    ax.set_yticks(range(len(names)))
    ax.set_yticklabels(names, fontsize=8)
    fig.colorbar(image, ax=ax, label="synergy (+) / interference (-), / |baseline mean|")
    ax.set_title(f"interaction on {outcome}: AB - A - B + baseline "
                 "(* 95% CI excludes 0)", fontsize=9)
    fig.tight_layout()
    return fig


def _better_sign(outcome: str) -> float:
    from govsim.measures import core
    better = {m.name: m.better for m in core()}.get(outcome, "")
    return -1.0 if better == "lower" else 1.0
