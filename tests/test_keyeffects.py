"""The key-effects table: how an effect moved between two versions, and its rows."""

from types import SimpleNamespace

import pandas as pd

from govsim import keyeffects
from govsim.docs import ODD, render_readme
from govsim.keyeffects import README, change, key_rows, markdown


def row(lo: float, hi: float):
    return SimpleNamespace(ci_low=lo, ci_high=hi)


def test_an_effect_is_classified_by_whether_each_interval_excludes_zero():
    assert change(row(0.1, 0.3), row(0.2, 0.4)) == "held"
    assert change(row(-0.3, -0.1), row(0.2, 0.4)) == "sign changed"
    assert change(row(-0.1, 0.3), row(0.2, 0.4)) == "vanished"
    assert change(row(0.1, 0.3), row(-0.2, 0.4)) == "appeared"
    assert change(row(-0.1, 0.3), row(-0.2, 0.4)) == "unclear"
    assert change(row(0.1, 0.3), None) == "new"
    assert change(row(float("nan"), float("nan")), row(0.1, 0.2)) == "vanished"


def _effects(outcomes):
    return pd.DataFrame({"outcome": outcomes, "baseline_mean": 1.0, "intervention_mean": 2.0,
                         "diff_mean": 1.0, "ci_low": 0.5, "ci_high": 1.5, "n_pairs": 10})


def test_key_rows_put_the_primary_first_and_leave_out_what_a_version_did_not_measure():
    from govsim.scenario import load_scenario
    sc = load_scenario("unified_hotline")
    others = [o for o in sc.key_outcomes if o != sc.primary]
    rows = key_rows("unified_hotline", _effects(others[:1] + [sc.primary, "disputes"]))
    assert list(rows["outcome"]) == [sc.primary, others[0]]
    assert list(rows["primary"]) == [True, False]
    assert rows["p_holm"].isna().all()        # an older table has no Holm column


def test_the_table_shows_the_earlier_version_and_marks_the_primary():
    now = key_rows("unified_hotline", _effects(["unresolved_cases", "legitimacy_mean"]))
    before = now.copy()
    before.loc[1, ["ci_low", "ci_high"]] = [-0.1, 0.1]
    text = markdown(now, before.iloc[:1])
    assert "**`unresolved_cases`**" in text and "| held |" in text and "| new |" in text
    text = markdown(now, before)
    assert "| appeared |" in text
    assert "before:" not in markdown(now)


def test_the_readme_and_the_odd_show_the_committed_table():
    table = pd.read_csv(keyeffects.TABLE)
    assert set(table["scenario"]) == set(keyeffects.intervention_scenarios())
    assert render_readme(README.read_text()) == README.read_text(), "run python -m govsim.docs"
    assert keyeffects.odd_block() in ODD.read_text()


def test_rerunning_one_scenario_replaces_only_its_rows_in_the_scenarios_order():
    table = pd.read_csv(keyeffects.TABLE)
    one = table[table["scenario"] == "bank_of_merit"].assign(diff_mean=123.0)
    merged = keyeffects.merge(table, one)
    assert list(merged["scenario"]) == list(table["scenario"])
    changed = merged["diff_mean"] != table["diff_mean"]
    assert set(merged.loc[changed, "scenario"]) == {"bank_of_merit"}
    assert (merged.loc[merged["scenario"] == "bank_of_merit", "diff_mean"] == 123.0).all()
