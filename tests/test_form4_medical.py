"""Form 4: reimbursement at the place of work lowers migrants' hardship."""

import numpy as np
import pytest

from tests.helpers import compare_arms


@pytest.mark.slow
def test_reimbursement_lowers_the_covered_migrants_hardship_and_forgone_care():
    """Only the Honghu migrants are covered: their hardship falls, fewer of their
    treatments go unreimbursed, and established residents are left alone."""
    eff = compare_arms("medical_reimbursement", ["medical_hardship_honghu",
                                                 "hardship_mean_established",
                                                 "medical_unreimbursed", "medical_forgone"],
                       replicates=20, steps=120, residents=800)
    assert eff.loc["medical_hardship_honghu", "ci_high"] < 0
    assert eff.loc["medical_unreimbursed", "ci_high"] < 0
    assert eff.loc["medical_forgone", "ci_high"] <= 0
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


def test_less_coverage_means_more_care_forgone_by_the_poor():
    """The decision weighs cost against need: with the price borne in full, residents of
    low means forgo more care than with it covered."""
    from govsim.processes.rules import logistic
    need, price, noise = 0.5, 0.8, 0.2
    poor, rich = 0.1, 0.9

    def seek(k, means):
        return logistic(np.array((need - price * k * (1 - means)) / noise))

    assert seek(1.0, poor) < seek(1.0, rich) < seek(0.0, poor)


def test_an_agreement_without_hospitals_changes_nothing():
    eff = compare_arms("medical_reimbursement", ["hardship_mean_migrant"], replicates=3,
                       steps=30, residents=300, intervention={"medical.hospitals": 0})
    assert eff.loc["hardship_mean_migrant", "diff_mean"] == 0
