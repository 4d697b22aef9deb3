"""Paired effects with confidence intervals, multiplicity, equivalence, and run summaries.

Comparisons in govsim are paired: replicate r of the baseline and of the intervention
share the same seed (common random numbers), so the effect is estimated from the
differences d_r = intervention_r - baseline_r, with a Student-t 95% interval
mean(d) +/- t_{0.975, n-1} sd(d) / sqrt(n) (e.g. Law 2015, Simulation Modeling and
Analysis, §11.2 on paired-t comparisons with common random numbers), or a BCa bootstrap
interval of the mean difference (Efron 1987) for skewed, zero-inflated counts.

On top of the paired effect this module provides what a referee asks for:

- :func:`holm` — Holm's (1979) step-down adjustment over a scenario's key outcomes;
- :func:`tost` — Schuirmann's (1987) two one-sided tests, the claim that an effect
  *vanishes* within a stated margin (Lakens 2017);
- :func:`precision_met` — the stopping rule of Law's sequential procedure (§9.4.1) for a
  relative precision gamma (with gamma' = gamma / (1 + gamma)) or an absolute half-width;
- :func:`decompose` — the share of an effect carried by each ingredient, from runs with
  that ingredient switched off on the same seeds, and the interaction remainder;
- :func:`with_direction` — each outcome's good direction made explicit (``better``,
  ``rel_improvement``, ``verdict``);
- :func:`effects` — paired effects by swept lever from a ``runs.csv`` (tidy data).

``rel_change`` is always a fraction of ``|baseline mean|`` (0.1 is +10%), so its sign is
the sign of the difference, also for negative quantities such as a gap between groups.

References
----------
Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
Journal of Statistics* 6, 65-70.

Schuirmann, D. J. (1987). A comparison of the two one-sided tests procedure and the power
approach for assessing the equivalence of average bioavailability. *J. Pharmacokinetics
and Biopharmaceutics* 15, 657-680.

Lakens, D. (2017). Equivalence tests. *Social Psychological and Personality Science* 8,
355-362.

Efron, B. (1987). Better bootstrap confidence intervals. *JASA* 82, 171-185.

Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., §9.4.1 and §9.5.1.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats

__all__ = ["CI_METHODS", "DECOMPOSITION_COLUMNS", "DIRECTION_COLUMNS", "EFFECT_COLUMNS",
           "decompose", "effects", "effects_table", "holm", "paired_effect", "paired_effects",
           "paired_summaries", "precision_met", "sequential_stop", "summarize", "tost",
           "half_width", "with_direction"]

EFFECT_COLUMNS = ("outcome", "baseline_mean", "intervention_mean", "diff_mean", "ci_low",
                  "ci_high", "rel_change", "n_pairs", "p_value", "p_holm", "ci")

#: the columns :func:`with_direction` adds: the good direction, the relative change signed
#: so that positive is good, and whether the interval excludes 0 in that direction
DIRECTION_COLUMNS = ("better", "rel_improvement", "verdict")

#: how an interval is computed: Student t on the differences, or BCa bootstrap of them
CI_METHODS = ("t", "bootstrap")

DECOMPOSITION_COLUMNS = ("outcome", "component", "contribution", "ci_low", "ci_high",
                         "share", "share_low", "share_high", "effect", "n_pairs")


def summarize(ts: pd.DataFrame, measures: Iterable[str] | None = None,
              warmup: int = 0) -> dict[str, float]:
    """Summary outcomes of one run: the mean over the last quarter of the days after the
    warm-up.

    Parameters
    ----------
    ts : DataFrame
        A run's time series (``step`` and measures).
    measures : iterable of str, optional
        Which columns (default: all but ``step``).
    warmup : int
        Days of warm-up (institutions off); rows with ``step <= warmup`` are never
        summarised. If the run is no longer than its warm-up, the last day is used.

    Returns
    -------
    dict
        ``{measure: mean over the last ceil(m/4) of the m rows after the warm-up}``.

    Example
    -------
    >>> summarize(pd.DataFrame({"step": [1, 2, 3, 4], "x": [0.0, 0.0, 0.0, 4.0]}))
    {'x': 4.0}
    >>> ts = pd.DataFrame({"step": range(1, 9), "x": [9.0] * 6 + [1.0, 3.0]})
    >>> summarize(ts), summarize(ts, warmup=6)
    ({'x': 2.0}, {'x': 3.0})
    """
    cols = [c for c in (measures or ts.columns) if c != "step"]
    after = ts[ts["step"] > warmup] if warmup and "step" in ts else ts
    if after.empty:
        after = ts.iloc[-1:]
    k = max(1, -(-len(after) // 4))
    tail = after[cols].iloc[-k:]
    return {c: float(tail[c].mean()) for c in cols}


def half_width(d: Sequence[float], level: float = 0.95) -> float:
    """Half-width of the Student-t interval of the mean of ``d``: t_{n-1} s / sqrt(n)."""
    d = np.asarray(d, dtype=float)
    n = len(d)
    if n < 2:
        return float("nan")
    return float(stats.t.ppf(0.5 + level / 2, n - 1)) * float(d.std(ddof=1)) / np.sqrt(n)


def _bootstrap_interval(d: np.ndarray, level: float, seed: int) -> tuple[float, float]:
    """BCa interval of the mean of the paired differences (resampling pairs)."""
    if len(d) < 2 or np.ptp(d) == 0:
        m = float(d.mean()) if len(d) else float("nan")
        return (m, m) if len(d) > 1 else (float("nan"), float("nan"))
    res = stats.bootstrap((d,), np.mean, confidence_level=level, n_resamples=4999,
                          method="BCa", vectorized=True, rng=np.random.default_rng(seed))
    low, high = float(res.confidence_interval.low), float(res.confidence_interval.high)
    if not (np.isfinite(low) and np.isfinite(high)):  # BCa undefined: fall back
        low, high = np.quantile(res.bootstrap_distribution, [(1 - level) / 2,
                                                             (1 + level) / 2])
    return float(low), float(high)


def paired_effect(baseline: Iterable[float], intervention: Iterable[float],
                  level: float = 0.95, ci: str = "t", seed: int = 0) -> dict[str, float]:
    """Mean paired difference, its interval and the paired t-test's two-sided p-value.

    Parameters
    ----------
    baseline, intervention : iterables of float
        One value per replicate, in the same replicate order.
    level : float
        Confidence level of the interval.
    ci : {"t", "bootstrap"}
        Student-t interval, or BCa bootstrap interval of the mean difference
        (:func:`scipy.stats.bootstrap`, pairs resampled together).
    seed : int
        Seed of the bootstrap resampling (the interval is reproducible).

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
    if ci not in CI_METHODS:
        raise ValueError(f"ci must be one of {', '.join(CI_METHODS)}, got {ci!r}")
    d = a - b
    n = len(d)
    mean = float(d.mean()) if n else float("nan")
    half = half_width(d, level)
    if ci == "bootstrap":
        low, high = _bootstrap_interval(d, level, seed)
    else:
        low, high = mean - half, mean + half
    bm, am = float(b.mean()) if n else float("nan"), float(a.mean()) if n else float("nan")
    rel = (am - bm) / abs(bm) if n and bm != 0 else float("nan")
    return {"baseline_mean": bm, "intervention_mean": am, "diff_mean": mean,
            "ci_low": low, "ci_high": high, "rel_change": rel, "n_pairs": n,
            "p_value": _t_pvalue(d), "ci": ci}


def _t_pvalue(d: np.ndarray) -> float:
    """Two-sided p-value of the paired t-test of mean(d) = 0 (1 for identical pairs)."""
    if len(d) < 2:
        return float("nan")
    sd = float(d.std(ddof=1))
    if sd == 0:
        return 1.0 if float(d.mean()) == 0 else 0.0
    t = float(d.mean()) / (sd / np.sqrt(len(d)))
    return float(2 * stats.t.sf(abs(t), len(d) - 1))


def holm(p_values: Sequence[float]) -> np.ndarray:
    """Holm's step-down adjusted p-values (family-wise error rate).

    Sort p_(1) <= ... <= p_(m); the adjusted p_(i) = max_{j <= i} min(1, (m - j + 1) p_(j)).
    NaN entries are left out of the family and stay NaN.

    Parameters
    ----------
    p_values : sequence of float

    Returns
    -------
    ndarray
        Adjusted p-values in the order given.

    Example
    -------
    >>> holm([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.06, 0.06]

    References
    ----------
    Holm, S. (1979). *Scand. J. Statist.* 6, 65-70.
    """
    p = np.asarray(p_values, dtype=float)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if not m:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    scaled = np.minimum(1.0, (m - np.arange(m)) * p[order])
    out[order] = np.maximum.accumulate(scaled)
    return out


def tost(differences: Sequence[float], margin: float, alpha: float = 0.05
         ) -> dict[str, float | bool]:
    """Two one-sided tests that the mean paired difference lies within (-margin, margin).

    Equivalence is accepted when both one-sided t-tests reject at ``alpha``, that is when
    the (1 - 2 alpha) interval of the mean difference lies inside the margin.

    Parameters
    ----------
    differences : sequence of float
        Paired differences (intervention - baseline), one per replicate.
    margin : float
        The equivalence margin Delta > 0, in the outcome's units (state it: e.g. 10% of
        the full intervention's effect).
    alpha : float
        Level of each one-sided test.

    Returns
    -------
    dict
        ``diff_mean``, ``margin``, ``p_value`` (the larger one-sided p), ``ci_low`` and
        ``ci_high`` of the (1 - 2 alpha) interval, ``n_pairs`` and ``equivalent``.

    Example
    -------
    >>> tost([0.1, -0.1, 0.05, -0.05, 0.0, 0.02, -0.02, 0.01], margin=0.5)["equivalent"]
    True
    >>> tost([1.0, 1.1, 0.9, 1.05, 0.95, 1.0], margin=0.5)["equivalent"]
    False

    References
    ----------
    Schuirmann, D. J. (1987); Lakens, D. (2017), *SPPS* 8, 355-362.
    """
    if not margin > 0:
        raise ValueError(f"the equivalence margin must be > 0, got {margin!r}")
    d = np.asarray(differences, dtype=float)
    n = len(d)
    if n < 2:
        raise ValueError("TOST needs at least 2 paired differences")
    mean, sd = float(d.mean()), float(d.std(ddof=1))
    se = sd / np.sqrt(n)
    if se == 0:
        p = 0.0 if abs(mean) < margin else 1.0
        low = high = mean
    else:
        p_low = float(stats.t.sf((mean + margin) / se, n - 1))    # H0: mean <= -margin
        p_high = float(stats.t.cdf((mean - margin) / se, n - 1))  # H0: mean >= +margin
        p = max(p_low, p_high)
        q = float(stats.t.ppf(1 - alpha, n - 1)) * se
        low, high = mean - q, mean + q
    return {"diff_mean": mean, "margin": float(margin), "p_value": p, "ci_low": low,
            "ci_high": high, "n_pairs": n, "equivalent": bool(p < alpha)}


def precision_met(differences: Sequence[float], relative: float | None = None,
                  absolute: float | None = None, level: float = 0.95, min_pairs: int = 10
                  ) -> bool:
    """The stopping rule of Law's sequential procedure (§9.4.1) on paired differences.

    With n >= ``min_pairs`` pairs, mean X(n) and half-width delta(n) =
    t_{n-1, 1-alpha/2} S(n) / sqrt(n), stop when delta(n) / |X(n)| <= gamma / (1 + gamma)
    (``relative`` = gamma; this makes |X - mu| / |mu| <= gamma with probability about
    1 - alpha) or when delta(n) <= ``absolute``; with both, either suffices.

    Example
    -------
    >>> d = [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0, 1.02, 0.98, 1.0]
    >>> precision_met(d, relative=0.1), precision_met(d[:5], relative=0.1)
    (True, False)
    """
    if relative is None and absolute is None:
        raise ValueError("give a relative precision, an absolute half-width, or both")
    d = np.asarray(differences, dtype=float)
    if len(d) < max(2, min_pairs):
        return False
    delta = half_width(d, level)
    if absolute is not None and delta <= absolute:
        return True
    if relative is not None:
        mean = abs(float(d.mean()))
        return bool(mean > 0 and delta / mean <= relative / (1 + relative))
    return False


def sequential_stop(differences: Sequence[float], relative: float | None = None,
                    absolute: float | None = None, level: float = 0.95,
                    min_pairs: int = 10) -> int | None:
    """The number of pairs at which Law's sequential procedure stops, or None.

    Applies :func:`precision_met` to the first k differences for k = min_pairs, ...,
    len(differences), as if pairs were added one at a time, and returns the first k at
    which it holds. Pairs made in wider batches past that k do not change the answer, so
    the pairs used do not depend on how many runs were made at once.

    Example
    -------
    >>> d = [1.0, 1.1, 0.9, 1.0, 1.05, 0.95, 1.0, 1.02, 0.98, 1.0, 1.0]
    >>> sequential_stop(d, relative=0.1)
    10
    """
    if relative is None and absolute is None:
        raise ValueError("give a relative precision, an absolute half-width, or both")
    d = np.asarray(differences, dtype=float)
    k = np.arange(1, len(d) + 1)
    mean = np.cumsum(d) / k
    with np.errstate(invalid="ignore", divide="ignore"):
        var = (np.cumsum(d * d) - k * mean ** 2) / (k - 1)
        delta = stats.t.ppf(0.5 + level / 2, np.maximum(k - 1, 1)) * \
            np.sqrt(np.maximum(var, 0.0)) / np.sqrt(k)
    ok = np.zeros(len(d), dtype=bool)
    if absolute is not None:
        ok |= delta <= absolute
    if relative is not None:
        ok |= (np.abs(mean) > 0) & (delta <= relative / (1 + relative) * np.abs(mean))
    ok &= k >= max(2, min_pairs)
    hits = np.flatnonzero(ok)
    return int(hits[0]) + 1 if len(hits) else None


def paired_effects(baseline: pd.DataFrame | Mapping, intervention: pd.DataFrame | Mapping,
                   outcomes: Iterable[str], family: Iterable[str] | None = None,
                   ci: str = "t", level: float = 0.95, seed: int = 0) -> pd.DataFrame:
    """One row per outcome with the columns of :data:`EFFECT_COLUMNS`.

    ``baseline`` and ``intervention`` hold one row per replicate, in the same order.
    ``p_holm`` is Holm's adjustment of ``p_value`` over the outcomes in ``family`` (a
    scenario's key outcomes) and NaN for the others; without a family, over none.
    """
    rows = []
    for name in outcomes:
        e = paired_effect(baseline[name], intervention[name], level=level, ci=ci,
                          seed=seed)
        rows.append({"outcome": name, **e})
    table = pd.DataFrame(rows, columns=list(EFFECT_COLUMNS))
    members = table["outcome"].isin(list(family or ()))
    table["p_holm"] = np.nan
    if members.any():
        table.loc[members, "p_holm"] = holm(table.loc[members, "p_value"].to_numpy())
    return table


def _ratio_interval(num: np.ndarray, den: np.ndarray, level: float
                    ) -> tuple[float, float, float]:
    """Ratio of means mean(num) / mean(den) and its delta-method interval.

    The linearised residuals num_r - R den_r have mean zero; their spread over sqrt(n)
    |mean(den)| is the ratio's standard error (the ratio estimator of survey sampling,
    Cochran 1977, §6.4).
    """
    mden = float(den.mean())
    if len(num) < 2 or mden == 0:
        return float("nan"), float("nan"), float("nan")
    r = float(num.mean()) / mden
    half = half_width(num - r * den, level) / abs(mden)
    return r, r - half, r + half


def decompose(baseline: pd.DataFrame, full: pd.DataFrame,
              without: Mapping[str, pd.DataFrame], outcomes: Iterable[str],
              level: float = 0.95) -> pd.DataFrame:
    """Split each outcome's effect among ingredients, on common seeds.

    For replicate r, the full effect is E_r = Y_full,r - Y_baseline,r and ingredient k
    carries C_k,r = Y_full,r - Y_without_k,r (what is lost when only k is switched off).
    The interaction remainder is E_r - sum_k C_k,r, so contributions and remainder add up
    to the effect exactly. Each contribution has a paired t-interval; its share
    mean(C_k) / mean(E) has a delta-method interval.

    Parameters
    ----------
    baseline, full : DataFrame
        One summary row per replicate, replicates in the same order.
    without : mapping of str to DataFrame
        Ingredient name -> summary rows of the intervention with that ingredient off.
    outcomes : iterable of str
    level : float

    Returns
    -------
    DataFrame
        Columns :data:`DECOMPOSITION_COLUMNS`; per outcome one row per ingredient, then
        ``interaction`` (the remainder) and ``effect`` (the full effect, share 1).

    Example
    -------
    >>> b = pd.DataFrame({"y": [0.0, 1.0, 2.0]})
    >>> f = pd.DataFrame({"y": [3.0, 4.2, 4.9]})
    >>> w = {"a": pd.DataFrame({"y": [1.0, 2.1, 3.0]}), "b": f.copy()}
    >>> t = decompose(b, f, w, ["y"]).set_index("component")
    >>> round(float(t.loc["a", "share"]), 2), float(t.loc["b", "contribution"])
    (0.66, 0.0)
    """
    rows = []
    for name in outcomes:
        base = np.asarray(baseline[name], dtype=float)
        top = np.asarray(full[name], dtype=float)
        effect = top - base
        parts = {k: top - np.asarray(df[name], dtype=float) for k, df in without.items()}
        parts["interaction"] = effect - sum(parts.values(), np.zeros_like(effect))
        parts["effect"] = effect
        e_mean = float(effect.mean())
        for comp, c in parts.items():
            mean, half = float(c.mean()), half_width(c, level)
            share, s_low, s_high = _ratio_interval(c, effect, level)
            if comp == "effect":
                share, s_low, s_high = 1.0, 1.0, 1.0
            rows.append({"outcome": name, "component": comp, "contribution": mean,
                         "ci_low": mean - half, "ci_high": mean + half, "share": share,
                         "share_low": s_low, "share_high": s_high, "effect": e_mean,
                         "n_pairs": len(c)})
    return pd.DataFrame(rows, columns=list(DECOMPOSITION_COLUMNS))


def paired_summaries(folder: str | Path, names: list[str], replicates: int | None = None
                      ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Summary rows of both arms on the replicates where both succeeded (in order)."""
    runs = pd.read_csv(Path(folder) / "runs.csv")
    done = runs[runs["status"] == "done"]
    if replicates is not None:
        done = done[done["replicate"] < replicates]
    b = done[done["arm"] == "baseline"].set_index("replicate")
    i = done[done["arm"] == "intervention"].set_index("replicate")
    reps = sorted(set(b.index) & set(i.index))
    cols = [f"{n}_mean" for n in names]

    def pick(df):
        return df.loc[reps, cols].rename(columns=lambda c: c[:-5]).reset_index(drop=True)
    return pick(b), pick(i)


def effects_table(folder: str | Path, outcomes: list[str] | None = None,
                  family: list[str] | None = None, ci: str = "t",
                  replicates: int | None = None, seed: int = 0) -> pd.DataFrame:
    """Paired effects from a compare folder's runs.csv (pairs where both arms succeeded).

    ``family`` names the key outcomes over which ``p_holm`` adjusts; ``ci`` chooses the
    interval (``"t"`` or ``"bootstrap"``, BCa); ``replicates`` uses only the first ones.
    """
    if outcomes is None:
        columns = pd.read_csv(Path(folder) / "runs.csv", nrows=0).columns
        outcomes = [c[:-5] for c in columns if c.endswith("_mean")]
    b, i = paired_summaries(folder, list(outcomes), replicates)
    return with_direction(paired_effects(b, i, outcomes, family=family, ci=ci, seed=seed))


def with_direction(table: pd.DataFrame) -> pd.DataFrame:
    """An effect table with the good direction of each outcome made explicit.

    Adds :data:`DIRECTION_COLUMNS`: ``better`` (``higher``, ``lower``, ``zero`` — closer to
    0, as for a gap — or ``-``, from the measure's declaration), ``rel_improvement``
    (``rel_change`` signed so that a positive value is a change in the good direction;
    empty where neither direction is better) and ``verdict``: ``better`` or ``worse`` when
    the interval of the paired difference (the table's ``ci`` method) excludes 0, else
    ``unclear``; ``-`` for an outcome without a good direction. The verdict reads the
    interval only: for a key outcome, ``p_holm`` says whether it survives the family's
    adjustment.

    ``rel_change`` is relative to ``|baseline_mean|``, so its sign is the sign of the
    difference even for a negative quantity (a gap from -0.152 to -0.097 is +36%: it rose
    towards 0, which for ``better = zero`` is an improvement of 36%).

    Parameters
    ----------
    table : DataFrame
        An effect table (columns :data:`EFFECT_COLUMNS`).

    Returns
    -------
    DataFrame
        A copy with the three columns appended.

    Example
    -------
    >>> t = pd.DataFrame({"outcome": ["conflicts"], "baseline_mean": [2.0],
    ...                   "intervention_mean": [1.0], "diff_mean": [-1.0],
    ...                   "ci_low": [-1.5], "ci_high": [-0.5], "rel_change": [-0.5],
    ...                   "n_pairs": [5]})
    >>> r = with_direction(t).iloc[0]
    >>> r["better"], float(r["rel_improvement"]), r["verdict"]
    ('lower', 0.5, 'better')

    References
    ----------
    The directions are the measures' declarations (:mod:`govsim.measures`, docs/ODD.md
    7.7 and each institution's section).
    """
    from govsim.catalog import lookup
    out = table.copy()
    better, improvement, verdict = [], [], []
    for row in out.itertuples(index=False):
        m = lookup(row.outcome)
        way = (m.better if m is not None else "") or "-"
        sign = {"higher": 1.0, "lower": -1.0,
                "zero": -float(np.sign(row.baseline_mean)) or float("nan")
                }.get(way, float("nan"))
        better.append(way)
        improvement.append(sign * row.rel_change)
        if not np.isfinite(sign):
            verdict.append("-")
        elif not (np.isfinite(row.ci_low) and np.isfinite(row.ci_high)) or \
                row.ci_low <= 0 <= row.ci_high:
            verdict.append("unclear")
        else:
            verdict.append("better" if sign * row.diff_mean > 0 else "worse")
    out["better"] = better
    out["rel_improvement"] = improvement
    out["verdict"] = verdict
    return out


def effects(runs: pd.DataFrame, by: str | Sequence[str] | None = None,
            outcomes: Iterable[str] | None = None, family: Iterable[str] | None = None,
            ci: str = "t", seed: int = 0) -> pd.DataFrame:
    """Paired effects (intervention minus baseline) from a runs table, by swept lever.

    Runs are paired by design point and replicate: both arms of a pair share the seed,
    so each pair counts once, however many points a lever's value spans.

    Parameters
    ----------
    runs : DataFrame
        A ``runs.csv`` of ``govsim compare`` or ``govsim sweep`` (read with pandas).
    by : str or list of str, optional
        Lever column(s), e.g. ``"hall.threshold"``: one block of rows per value.
    outcomes : iterable of str, optional
        Measures (default: every ``<measure>_mean`` column).
    family : iterable of str, optional
        Outcomes over which ``p_holm`` adjusts, within each block (default: none).
    ci : {"t", "bootstrap"}
        Interval of the paired effects, as for :func:`paired_effect`.
    seed : int
        Seed of the bootstrap resampling.

    Returns
    -------
    DataFrame
        One row per (lever values, outcome): the lever columns, then
        :data:`EFFECT_COLUMNS` — ``baseline_mean``, ``intervention_mean``, ``diff_mean``,
        ``ci_low``, ``ci_high`` (95% interval of the paired differences), ``rel_change``
        (a fraction of ``|baseline_mean|``: 0.1 is +10%), ``n_pairs``, ``p_value``,
        ``p_holm``, ``ci`` — and :data:`DIRECTION_COLUMNS`. Value columns are floats,
        ``n_pairs`` is an int.

    Example
    -------
    >>> runs = pd.DataFrame({"arm": ["baseline", "intervention"] * 2, "point": [0, 0, 0, 0],
    ...                      "replicate": [0, 0, 1, 1], "status": ["done"] * 4,
    ...                      "conflicts_mean": [2.0, 1.0, 3.0, 1.5]})
    >>> e = effects(runs).iloc[0]
    >>> e["outcome"], float(e["diff_mean"]), int(e["n_pairs"]), e["verdict"]
    ('conflicts', -1.25, 2, 'unclear')

    References
    ----------
    Law, A. M. (2015). *Simulation Modeling and Analysis*, 5th ed., §11.2 (paired-t
    comparisons with common random numbers).
    """
    by = [by] if isinstance(by, str) else list(by or [])
    for col in by:
        if col not in runs.columns:
            raise KeyError(f"runs has no column {col!r}")
    names = list(outcomes or [c[:-5] for c in runs.columns if c.endswith("_mean")])
    done = runs[runs["status"] == "done"] if "status" in runs else runs
    base = done[done["arm"] == "baseline"].set_index(["point", "replicate"])
    inter = done[done["arm"] == "intervention"]
    blocks = []
    groups = inter.groupby(by, sort=True) if by else [((), inter)]
    for key, part in groups:
        key = key if isinstance(key, tuple) else (key,)
        i = part.set_index(["point", "replicate"])
        pairs = base.index.intersection(i.index).sort_values()
        bi = base.loc[pairs, [f"{n}_mean" for n in names]].rename(columns=lambda c: c[:-5])
        ii = i.loc[pairs, [f"{n}_mean" for n in names]].rename(columns=lambda c: c[:-5])
        block = paired_effects(bi.reset_index(drop=True), ii.reset_index(drop=True), names,
                               family=family, ci=ci, seed=seed)
        for col, value in zip(by, key, strict=True):
            block[col] = value
        blocks.append(block)
    table = (pd.concat(blocks, ignore_index=True) if blocks else
             pd.DataFrame(columns=list(EFFECT_COLUMNS)))
    table = table[[*by, *EFFECT_COLUMNS]]
    table["n_pairs"] = table["n_pairs"].astype(int)
    return with_direction(table)
