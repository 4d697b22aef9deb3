"""Paired effects with confidence intervals, and run summaries.

Comparisons in govsim are paired: replicate r of the baseline and of the intervention
share the same seed (common random numbers), so the effect is estimated from the
differences d_r = intervention_r - baseline_r, with a Student-t 95% interval
mean(d) +/- t_{0.975, n-1} sd(d) / sqrt(n) (e.g. Law 2015, Simulation Modeling and
Analysis, §11.2 on paired-t comparisons with common random numbers).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["EFFECT_COLUMNS", "paired_effect", "paired_effects", "summarize"]

EFFECT_COLUMNS = ("outcome", "baseline_mean", "intervention_mean", "diff_mean", "ci_low",
                  "ci_high", "rel_change", "n_pairs")


def summarize(ts: pd.DataFrame, measures: Iterable[str] | None = None) -> dict[str, float]:
    """Summary outcomes of one run: the mean over the last quarter of the horizon.

    Parameters
    ----------
    ts : DataFrame
        A run's time series (``step`` and measures).
    measures : iterable of str, optional
        Which columns (default: all but ``step``).

    Returns
    -------
    dict
        ``{measure: mean over the last ceil(n/4) rows}``.

    Example
    -------
    >>> summarize(pd.DataFrame({"step": [1, 2, 3, 4], "x": [0.0, 0.0, 0.0, 4.0]}))
    {'x': 4.0}
    """
    cols = [c for c in (measures or ts.columns) if c != "step"]
    k = max(1, -(-len(ts) // 4))
    tail = ts[cols].iloc[-k:]
    return {c: float(tail[c].mean()) for c in cols}


def paired_effect(baseline: Iterable[float], intervention: Iterable[float],
                  level: float = 0.95) -> dict[str, float]:
    """Mean paired difference and its t-interval.

    Example
    -------
    >>> e = paired_effect([1.0, 2.0, 3.0], [2.0, 3.0, 4.5])
    >>> round(e["diff_mean"], 3), e["n_pairs"]
    (1.167, 3)
    """
    b = np.asarray(list(baseline), dtype=float)
    a = np.asarray(list(intervention), dtype=float)
    if b.shape != a.shape:
        raise ValueError("baseline and intervention need the same number of replicates")
    d = a - b
    n = len(d)
    mean = float(d.mean()) if n else float("nan")
    if n > 1:
        sd = float(d.std(ddof=1))
        half = float(stats.t.ppf(0.5 + level / 2, n - 1)) * sd / np.sqrt(n)
    else:
        half = float("nan")
    bm, am = float(b.mean()) if n else float("nan"), float(a.mean()) if n else float("nan")
    rel = (am - bm) / abs(bm) if n and bm != 0 else float("nan")
    return {"baseline_mean": bm, "intervention_mean": am, "diff_mean": mean,
            "ci_low": mean - half, "ci_high": mean + half, "rel_change": rel,
            "n_pairs": n}


def paired_effects(baseline: pd.DataFrame | Mapping, intervention: pd.DataFrame | Mapping,
                   outcomes: Iterable[str]) -> pd.DataFrame:
    """One row per outcome with the columns of :data:`EFFECT_COLUMNS`.

    ``baseline`` and ``intervention`` hold one row per replicate, in the same order.
    """
    rows = []
    for name in outcomes:
        e = paired_effect(baseline[name], intervention[name])
        rows.append({"outcome": name, **e})
    return pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
