"""Statistics a referee accepts: Law's sequential procedure, TOST, Holm, bootstrap
intervals, the ablation decomposition and the warm-up."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from govsim.analysis import (
    decompose,
    holm,
    paired_effect,
    paired_effects,
    precision_met,
    sequential_stop,
    summarize,
    tost,
)


# -- sequential procedure ----------------------------------------------------------------
def test_the_sequential_procedure_covers_the_mean_and_needs_about_the_analytic_pairs():
    """Paired differences ~ N(mu, sigma^2) with sigma known: Law's rule with gamma = 0.25
    stops when t s / sqrt(n) <= gamma' |mean|, gamma' = 0.2, so n is close to
    (z sigma / (gamma' mu))^2 = 96; the final 95% interval covers mu, and the relative
    error is within gamma, in about 95% of repetitions (at least 90% of 200 here)."""
    mu, sigma, gamma = 1.0, 1.0, 0.25
    g = gamma / (1 + gamma)
    analytic = (stats.norm.ppf(0.975) * sigma / (g * mu)) ** 2
    rng = np.random.default_rng(7)
    pairs, covered, within = [], 0, 0
    for _ in range(200):
        d = rng.normal(mu, sigma, 400)
        n = sequential_stop(d, relative=gamma)
        assert n is not None and n >= 10
        x = d[:n]
        half = stats.t.ppf(0.975, n - 1) * x.std(ddof=1) / np.sqrt(n)
        covered += abs(x.mean() - mu) <= half
        within += abs(x.mean() - mu) / mu <= gamma
        pairs.append(n)
        assert precision_met(x, relative=gamma)
        assert not precision_met(d[:n - 1], relative=gamma) or n == 10
    assert covered >= 180
    assert within >= 180
    assert abs(np.mean(pairs) - analytic) / analytic < 0.15, (np.mean(pairs), analytic)


def test_the_absolute_rule_stops_at_the_half_width_and_never_before_ten_pairs():
    rng = np.random.default_rng(3)
    d = rng.normal(0.0, 2.0, 500)
    n = sequential_stop(d, absolute=0.5)
    half = stats.t.ppf(0.975, n - 1) * d[:n].std(ddof=1) / np.sqrt(n)
    assert half <= 0.5
    assert sequential_stop(np.ones(30), absolute=1.0) == 10   # no spread: the minimum
    assert sequential_stop(rng.normal(0, 1, 20), relative=0.01) is None


# -- equivalence ----------------------------------------------------------------------
def test_tost_accepts_a_zero_effect_and_rejects_one_beyond_the_margin():
    rng = np.random.default_rng(11)
    zero = rng.normal(0.0, 1.0, 200)
    big = rng.normal(1.0, 1.0, 200)
    ok = tost(zero, margin=0.3)
    assert ok["equivalent"] and ok["p_value"] < 0.05
    assert -0.3 < ok["ci_low"] <= ok["ci_high"] < 0.3
    no = tost(big, margin=0.3)
    assert not no["equivalent"] and no["p_value"] > 0.5
    # too few pairs to tell: not equivalent either, however small the mean
    assert not tost(zero[:5] - zero[:5].mean(), margin=0.1)["equivalent"]
    with pytest.raises(ValueError, match="margin"):
        tost(zero, margin=0.0)


# -- multiplicity -----------------------------------------------------------------------
def test_holm_matches_reference_values():
    # statsmodels.stats.multitest.multipletests(p, method="holm")[1] for these p-values
    p = [0.01, 0.04, 0.03, 0.005, 0.2]
    assert holm(p) == pytest.approx([0.04, 0.09, 0.09, 0.025, 0.2])
    assert holm([0.5, 0.6]) == pytest.approx([1.0, 1.0])
    out = holm([0.02, np.nan, 0.01])
    assert np.isnan(out[1]) and out[[0, 2]] == pytest.approx([0.02, 0.02])


def test_effects_carry_p_values_and_holm_over_the_family_only():
    rng = np.random.default_rng(5)
    b = pd.DataFrame({"a": rng.normal(0, 1, 12), "b": rng.normal(0, 1, 12),
                      "c": rng.normal(0, 1, 12)})
    i = b + pd.DataFrame({"a": 1.0, "b": 0.1, "c": 0.0}, index=b.index) + \
        rng.normal(0, 0.5, (12, 3))
    table = paired_effects(b, i, ["a", "b", "c"], family=["a", "b"]).set_index("outcome")
    ref = stats.ttest_rel(i["a"], b["a"]).pvalue
    assert table.loc["a", "p_value"] == pytest.approx(ref)
    assert table.loc[["a", "b"], "p_holm"].tolist() == pytest.approx(
        holm(table.loc[["a", "b"], "p_value"]).tolist())
    assert np.isnan(table.loc["c", "p_holm"])
    assert (table["ci"] == "t").all()


def test_the_bootstrap_interval_is_bca_of_the_pair_differences_and_reproducible():
    rng = np.random.default_rng(2)
    base = rng.poisson(0.3, 40).astype(float)        # a zero-inflated count
    inter = base + rng.poisson(0.6, 40)
    e = paired_effect(base, inter, ci="bootstrap", seed=1)
    ref = stats.bootstrap((inter - base,), np.mean, method="BCa", n_resamples=4999,
                          rng=np.random.default_rng(1)).confidence_interval
    assert (e["ci_low"], e["ci_high"]) == pytest.approx((ref.low, ref.high))
    assert e["ci"] == "bootstrap"
    assert paired_effect(base, inter, ci="bootstrap", seed=1) == e
    with pytest.raises(ValueError, match="ci must be"):
        paired_effect(base, inter, ci="normal")


# -- ablation decomposition -------------------------------------------------------------
def test_contributions_and_the_remainder_add_up_to_the_effect():
    rng = np.random.default_rng(9)
    b = pd.DataFrame({"y": rng.normal(0, 1, 15)})
    full = b + 3 + rng.normal(0, 0.2, (15, 1))
    without = {"a": full - 2 + rng.normal(0, 0.2, (15, 1)), "inert": full.copy(),
               "b": full - 0.5 + rng.normal(0, 0.2, (15, 1))}
    t = decompose(b, full, without, ["y"]).set_index("component")
    parts = t.loc[["a", "inert", "b", "interaction"], "contribution"].sum()
    assert parts == pytest.approx(t.loc["effect", "contribution"])
    assert t.loc[["a", "inert", "b", "interaction"], "share"].sum() == pytest.approx(1.0)
    assert t.loc["inert", "contribution"] == 0
    assert t.loc["inert", "share_low"] <= 0 <= t.loc["inert", "share_high"]
    assert t.loc["a", "share_low"] > 0.5


# -- warm-up ----------------------------------------------------------------------------
def test_summaries_leave_out_the_warm_up():
    ts = pd.DataFrame({"step": range(1, 21), "x": [100.0] * 10 + list(range(10))})
    assert summarize(ts, warmup=10) == {"x": pytest.approx(np.mean([7, 8, 9]))}
    assert summarize(ts, warmup=18) == {"x": 9.0}      # the last quarter of what is left
    assert summarize(ts, warmup=25) == {"x": 9.0}      # nothing left: the last day
