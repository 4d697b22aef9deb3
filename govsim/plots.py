"""Matplotlib figures for comparisons and sweeps (network pictures: :mod:`govsim.netdraw`).

All functions return a Figure; :func:`save` writes it atomically. Colours, titles, axis
labels, clipping and smoothing come from :mod:`govsim.style`, so that a colour means the
same thing in every figure.
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

from govsim.style import ARM_COLOURS, ARM_LABELS  # noqa: E402  (one palette everywhere)

__all__ = ["GENERIC_OUTCOMES", "band", "forest", "arms_timeseries", "key_outcomes",
           "sweep_response", "sweep_effects", "sensitivity_bars", "plot_folder", "save",
           "ablation_bars", "horizon_effects", "atlas_effects", "atlas_interactions"]


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


def _direction_mark(name: str) -> str:
    from govsim.catalog import lookup
    m = lookup(name)
    return {"higher": " (↑ better)", "lower": " (↓ better)",
            "zero": " (→0 better)"}.get(m.better if m else "", "")


def forest(effects: pd.DataFrame, primary: str | None = None, subtitle: str | None = None):
    """Forest plot of paired effects with their 95% intervals, in two panels.

    The left panel shows the relative change, as % of ``|baseline mean|`` (so a negative
    quantity that rises towards 0 moves right); the right panel the absolute difference,
    in the measure's unit, for outcomes whose baseline mean is 0 (no relative change).
    Colours say whether the interval excludes 0 in the measure's good direction (a
    legend explains them); the ``primary`` outcome is starred and labelled in bold;
    Holm-adjusted p-values are printed where the table has them; ``subtitle`` says in
    one line what the intervention changes.
    """
    from govsim.analysis import with_direction
    from govsim.style import VERDICT_COLOURS, VERDICT_LABELS, axis_label
    eff = effects.reset_index(drop=True)
    if "verdict" not in eff:
        eff = with_direction(eff)
    rel = eff[eff["baseline_mean"] != 0].reset_index(drop=True)
    ab = eff[eff["baseline_mean"] == 0].reset_index(drop=True)
    panels = [(part, kind) for part, kind in ((rel, "relative"), (ab, "absolute"))
              if len(part)] or [(rel, "relative")]
    height = 0.42 * max(len(p) for p, _ in panels) + 1.9
    fig, axes = plt.subplots(1, len(panels), figsize=(5.6 * len(panels), height),
                             squeeze=False)
    for ax, (part, kind) in zip(axes[0], panels, strict=True):
        labels = []
        for k, row in part.iterrows():
            scale = 100 / abs(row["baseline_mean"]) if kind == "relative" else 1.0
            lo, mid, hi = (row["ci_low"] * scale, row["diff_mean"] * scale,
                           row["ci_high"] * scale)
            y = len(part) - 1 - k
            colour = VERDICT_COLOURS[row["verdict"]]
            name = row["outcome"]
            ax.errorbar(mid, y, xerr=[[mid - lo], [hi - mid]] if np.isfinite(lo) else None,
                        fmt="*" if name == primary else "o",
                        ms=10 if name == primary else 6, color=colour, capsize=3,
                        mfc=colour if row["verdict"] in ("better", "worse") else "white")
            p_holm = row.get("p_holm", np.nan)
            if np.isfinite(p_holm):
                ax.annotate(f"p_holm={p_holm:.2g}", (hi if np.isfinite(hi) else mid, y),
                            xytext=(4, 0), textcoords="offset points", va="center",
                            fontsize=7)
            label = ("★ " if name == primary else "") + name + _direction_mark(name)
            if kind == "absolute":
                label += f"\n[{axis_label(name)}]"
            labels.append(label)
        ax.axvline(0, color="black", lw=0.8)
        ax.set_yticks(range(len(part)))
        ax.set_yticklabels(labels[::-1], fontsize=8)
        for tick in ax.get_yticklabels():
            if tick.get_text().startswith("★"):
                tick.set_fontweight("bold")
        ax.set_xlabel("% of |baseline mean|" if kind == "relative" else
                      "intervention − baseline, in each measure's unit", fontsize=8)
        ax.set_title("relative change" if kind == "relative" else
                     "absolute difference (baseline mean 0)", fontsize=9)
    handles = [plt.Line2D([], [], marker="o", ls="", color=c,
                          mfc=c if v in ("better", "worse") else "white",
                          label=VERDICT_LABELS[v]) for v, c in VERDICT_COLOURS.items()]
    if primary is not None and primary in set(eff["outcome"]):
        handles.append(plt.Line2D([], [], ls="", marker="*", color="black",
                                  label="★ the scenario's primary outcome"))
    fig.legend(handles=handles, loc="lower center", ncol=3, fontsize=7, frameon=False,
               bbox_to_anchor=(0.5, 0))
    head = "Effect of the intervention: mean paired difference with its 95% interval"
    fig.suptitle(head + (f"\n{subtitle}" if subtitle else ""), fontsize=9)
    fig.tight_layout(rect=(0, 0.1 if len(handles) <= 3 else 0.13, 1, 1))
    return fig


def arms_timeseries(ts_path: str | Path, runs_path: str | Path, outcomes: Sequence[str],
                    subtitle: str | None = None):
    """Each outcome over time: mean and 95% band across replicates, per arm.

    Daily counts are drawn as a rolling mean (the axis label gives the window); bands are
    clipped to the measure's possible range; titles are the measures' meanings.
    """
    from govsim.style import axis_label, clip, smooth, title
    outcomes = list(outcomes)
    runs = pd.read_csv(runs_path, usecols=["run_id", "arm", "point", "status"])
    ts = pd.read_csv(ts_path, usecols=["run_id", "step", *outcomes])
    ts = ts.merge(runs, on="run_id")
    cols = min(3, len(outcomes))
    rows = -(-len(outcomes) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.3 * cols, 3.1 * rows + 0.8),
                             squeeze=False)
    for ax, name in zip(axes.flat, outcomes, strict=False):
        smoothed = False
        for arm, part in ts.groupby("arm"):
            wide = part.pivot_table(index="run_id", columns="step", values=name)
            values, smoothed = smooth(name, wide.to_numpy())
            mean, lo, hi = band(values)
            lo, hi = clip(name, lo, hi)
            colour = ARM_COLOURS.get(arm, None)
            ax.plot(wide.columns, mean, color=colour, label=ARM_LABELS.get(arm, arm))
            ax.fill_between(wide.columns, lo, hi, color=colour, alpha=0.2, linewidth=0)
        ax.set_title(title(name), fontsize=9)
        ax.set_ylabel(axis_label(name, smoothed), fontsize=8)
        ax.set_xlabel("day", fontsize=8)
    for ax in axes.flat[len(outcomes):]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, [f"{lab} (mean, 95% band)" for lab in labels], loc="lower center",
               ncol=2, fontsize=8, frameon=False)
    if subtitle:
        fig.suptitle(subtitle, fontsize=9)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
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
    lever: mean and 95% interval over runs at each value (sampled levers are binned),
    clipped to the measure's possible range."""
    from govsim.style import axis_label, clip, title
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
                lo, hi = clip(name, lo, hi)
                ax.errorbar(xs, mean, yerr=[np.clip(np.subtract(mean, lo), 0, None),
                                            np.clip(np.subtract(hi, mean), 0, None)],
                            fmt="o-", color=colour, capsize=3,
                            label=ARM_LABELS.get(arm, arm))
            ax.set_xlabel(lever, fontsize=8)
            ax.set_ylabel(axis_label(name), fontsize=8)
            ax.set_title(title(name), fontsize=9)
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    handles, labels = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, [f"{lab} (mean over runs, 95% interval)" for lab in labels],
               loc="lower center", ncol=2, fontsize=8, frameon=False)
    fig.suptitle("Outcomes against the swept lever\n(run summaries: mean over the last "
                 "quarter of the horizon)", fontsize=9)
    fig.tight_layout(rect=(0, 0.4 / fig.get_figheight(), 1, 1 - 0.6 / fig.get_figheight()))
    return fig


#: outcomes drawn when a scenario declares none
GENERIC_OUTCOMES = ("conflict_rate", "intergroup_conflicts", "bridging_share",
                    "legitimacy_mean", "needs_met_share")


def _scenario_of(folder: Path):
    from govsim.scenario import ScenarioError, load_scenario
    spec = json.loads((folder / "manifest.json").read_text())["spec"]
    try:
        return load_scenario(spec["scenario"]), spec
    except ScenarioError:
        return None, spec


def key_outcomes(folder: str | Path, measures: Sequence[str]) -> list[str]:
    """The outcomes of the scenario whose results a folder holds (generic ones if the
    scenario declares none or cannot be loaded)."""
    sc, _ = _scenario_of(Path(folder))
    declared = list(sc.outcomes) if sc is not None else []
    chosen = [m for m in declared if m in measures]
    return chosen or [m for m in GENERIC_OUTCOMES if m in measures]


def _subtitle(folder: Path) -> str | None:
    from govsim.style import what_changed
    sc, spec = _scenario_of(folder)
    if sc is None:
        return None
    return what_changed(sc.baseline, {**sc.intervention, **(spec.get("set") or {})})


def plot_folder(folder: str | Path, outcomes: Sequence[str] | None = None,
                out: str | Path | None = None, effects_by: str | None = None) -> list[Path]:
    """Draw the figures of a compare or sweep folder; returns the files written.

    Parameters
    ----------
    folder : path
        A folder written by ``compare`` or ``sweep``.
    outcomes : sequence of str, optional
        Measures to draw (default: the scenario's outcomes, :func:`key_outcomes`).
    out : path, optional
        The figure file (its suffix chooses the format: .png, .pdf, .svg). A comparison
        draws two figures: the effects go to ``out`` and the time series to
        ``<stem>-timeseries<suffix>`` beside it.
    effects_by : str, optional
        A swept lever: draw the paired effect against it (``effects-<lever>.png``)
        instead of each arm's response.
    """
    folder = Path(folder)
    manifest = json.loads((folder / "manifest.json").read_text())
    spec = manifest["spec"]
    runs = pd.read_csv(folder / "runs.csv")
    measures = [c[:-5] for c in runs.columns if c.endswith("_mean")]
    chosen = list(outcomes or key_outcomes(folder, measures))
    levers = list(spec.get("grid") or {}) + list((spec.get("sample") or {}).get("ranges", {}))
    written = []
    if effects_by is not None:
        fig = sweep_effects(runs, [effects_by], chosen)
        written.append(save(fig, out or folder / f"effects-{effects_by}.png"))
        return written
    if levers:
        fig = sweep_response(runs, levers, chosen)
        written.append(save(fig, out or folder / "sweep.png"))
        return written
    subtitle = _subtitle(folder)
    if (folder / "effects.csv").exists():
        from govsim.analysis import effects_table
        saved = pd.read_csv(folder / "effects.csv")
        primary = (saved.loc[saved["primary"], "outcome"].iloc[0]
                   if "primary" in saved and saved["primary"].any() else None)
        family = list(saved.loc[saved["p_holm"].notna(), "outcome"]) \
            if "p_holm" in saved else None
        ci = str(saved["ci"].iloc[0]) if "ci" in saved and len(saved) else "t"
        eff = effects_table(folder, chosen, family=[f for f in family or [] if f in chosen],
                            ci=ci, seed=int(spec.get("seed") or 0))
        target = Path(out) if out else folder / "effects.png"
        written.append(save(forest(eff, primary=primary, subtitle=subtitle), target))
    if (folder / "timeseries.csv").exists():
        target = (Path(out).with_name(Path(out).stem + "-timeseries" + Path(out).suffix)
                  if out else folder / "timeseries.png")
        written.append(save(arms_timeseries(folder / "timeseries.csv", folder / "runs.csv",
                                            chosen, subtitle=subtitle), target))
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
    from govsim.style import axis_label, title
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
            ax.set_ylabel(f"difference, {axis_label(name)}", fontsize=8)
            ax.set_title(title(name) + _direction_mark(name), fontsize=9)
            ax.tick_params(axis="x", labelrotation=30, labelsize=7)
    fig.suptitle("Effect of the intervention at each value of the lever\n(intervention − "
                 "baseline: mean paired difference, 95% interval)", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 1 - 0.6 / fig.get_figheight()))  # room for the heading
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
            ax.barh(y, part["mu_star"], xerr=part["mu_star_conf"], color="#555555",
                    capsize=3, label="mu*")
            ax.plot(part["sigma"], y, "kd", ms=5, label="sigma")
            ax.set_xlabel("elementary effect (per unit of range)", fontsize=8)
        else:
            ax.barh(y + 0.2, part["S1"], height=0.4, xerr=part["S1_conf"], capsize=3,
                    color="#555555", label="S1")
            ax.barh(y - 0.2, part["ST"], height=0.4, xerr=part["ST_conf"], capsize=3,
                    color="#BBBBBB", label="ST")
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
    from govsim.style import axis_label
    names = list(dict.fromkeys(table["outcome"]))
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows + 0.5),
                             squeeze=False)
    colour = ARM_COLOURS["intervention"]
    for ax, name in zip(axes.flat, names, strict=False):
        part = table[table["outcome"] == name]
        ax.fill_between(part["horizon"], part["ci_low"], part["ci_high"], alpha=0.3,
                        color=colour)
        ax.plot(part["horizon"], part["diff_mean"], color=colour,
                lw=2.2 if name == primary else 1.4)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_title(("★ " if name == primary else "") + name + _direction_mark(name) +
                     (" (primary)" if name == primary else ""), fontsize=9,
                     fontweight="bold" if name == primary else "normal")
        ax.set_xlabel("horizon (day)", fontsize=8)
        ax.set_ylabel(f"difference, {axis_label(name)}", fontsize=8)
    for ax in list(axes.flat)[len(names):]:
        ax.set_visible(False)
    fig.suptitle("Effect of the intervention against the horizon it is summarised over\n"
                 "(intervention − baseline: mean paired difference, 95% interval)",
                 fontsize=9)
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
