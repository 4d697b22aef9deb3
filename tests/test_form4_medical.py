"""Form 4: reimbursement at the place of work lowers migrants' hardship."""

import pytest

from tests.helpers import compare_arms


@pytest.mark.slow
def test_reimbursement_lowers_the_covered_migrants_hardship_and_forgone_care():
    """Only the Honghu migrants are covered: their hardship falls, fewer of their
    treatments go unreimbursed, fewer of their illnesses go untreated, and established
    residents are left alone.

    Forgone care is counted in the covered group, where the decision changes: over all
    residents the change is small against the noise of everyone else's illnesses. The
    scenario's own size (2,000 residents) is needed: at 800, Honghu migrants fall ill about
    0.3 times a day and the fall in their forgone care (about 0.04 a day, a quarter of it)
    is not resolved by 20 pairs over the last 30 days."""
    eff = compare_arms("medical_reimbursement", ["medical_hardship_honghu",
                                                 "hardship_mean_established",
                                                 "medical_unreimbursed",
                                                 "medical_forgone_honghu"],
                       replicates=20, steps=120, residents=2000)
    assert eff.loc["medical_hardship_honghu", "ci_high"] < 0
    assert eff.loc["medical_unreimbursed", "ci_high"] < 0
    assert eff.loc["medical_forgone_honghu", "ci_high"] < 0
    row = eff.loc["hardship_mean_established"]
    assert abs(row["diff_mean"]) < abs(eff.loc["medical_hardship_honghu", "diff_mean"]) / 3


def test_only_honghu_migrants_are_reimbursed_on_the_spot():
    from govsim import api
    m = api.build("medical_reimbursement", "intervention", residents=800, seed=2)
    inst = next(i for i in m.institutions if i.name == "medical")
    st = m.state
    assert not inst.honghu[st.origin == 0].any()
    assert 0 < inst.honghu[st.origin == 1].mean() < 1
    m.run_for(30)
    assert m.timeseries()["medical_reimbursed_on_spot"].sum() > 0

