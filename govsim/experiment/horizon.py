"""Horizon robustness: each key effect against the horizon it is summarised over.

A run's summary is the mean over the last quarter of the days after the warm-up
(:func:`govsim.analysis.summarize`). Recomputing it as if the run had ended on day h, for
a range of h, and pairing the arms again shows whether an effect is a transient (it fades
as h grows) or a steady state (it settles).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from govsim.analysis import paired_effect, summarize

__all__ = ["HORIZON_COLUMNS", "horizon_table"]

HORIZON_COLUMNS = ("outcome", "horizon", "diff_mean", "ci_low", "ci_high", "n_pairs")


def horizon_table(folder: str | Path, outcomes: Sequence[str], points: int = 12
                  ) -> pd.DataFrame:
    """Paired effects of ``outcomes`` summarised at ``points`` horizons after the warm-up.

    Parameters
    ----------
    folder : path
        A compare folder (runs.csv, timeseries.csv, manifest.json).
    outcomes : sequence of str
        Measures to follow.
    points : int
        Number of horizons, evenly spaced from the first day after the warm-up that
        leaves at least four days to summarise, to the last day.

    Returns
    -------
    DataFrame
        Columns :data:`HORIZON_COLUMNS`, one row per outcome and horizon.
    """
    folder = Path(folder)
    spec = json.loads((folder / "manifest.json").read_text())["spec"]
    warmup = int(spec.get("warmup") or 0)
    runs = pd.read_csv(folder / "runs.csv", usecols=["run_id", "arm", "replicate", "status"])
    runs = runs[runs["status"] == "done"]
    ts = pd.read_csv(folder / "timeseries.csv", usecols=["run_id", "step", *outcomes])
    ts = ts.merge(runs, on="run_id")
    last = int(ts["step"].max())
    first = min(last, warmup + 4)
    horizons = np.unique(np.linspace(first, last, points).round().astype(int))
    pairs = sorted(set(runs.loc[runs["arm"] == "baseline", "replicate"]) &
                   set(runs.loc[runs["arm"] == "intervention", "replicate"]))
    groups = {(a, r): g.sort_values("step") for (a, r), g in ts.groupby(["arm", "replicate"])}
    rows = []
    for h in horizons:
        summ = {arm: pd.DataFrame([summarize(groups[(arm, r)][groups[(arm, r)]["step"] <= h],
                                             list(outcomes), warmup) for r in pairs])
                for arm in ("baseline", "intervention")}
        for name in outcomes:
            e = paired_effect(summ["baseline"][name], summ["intervention"][name])
            rows.append({"outcome": name, "horizon": int(h), "diff_mean": e["diff_mean"],
                         "ci_low": e["ci_low"], "ci_high": e["ci_high"],
                         "n_pairs": e["n_pairs"]})
    return pd.DataFrame(rows, columns=list(HORIZON_COLUMNS))
