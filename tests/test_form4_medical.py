"""Form 4: reimbursement at the place of work lowers migrants' hardship."""

import pytest

from tests.helpers import compare_arms


@pytest.mark.slow
def test_reimbursement_lowers_migrant_hardship_and_leaves_established_residents_alone():
    eff = compare_arms("medical_reimbursement", ["hardship_mean_migrant",
                                                 "hardship_mean_established",
                                                 "medical_unreimbursed"],
                       replicates=20, steps=120, residents=800)
    assert eff.loc["hardship_mean_migrant", "ci_high"] < 0
    assert eff.loc["medical_unreimbursed", "ci_high"] < 0
    row = eff.loc["hardship_mean_established"]
    assert abs(row["diff_mean"]) < abs(eff.loc["hardship_mean_migrant", "diff_mean"]) / 3


def test_an_agreement_without_hospitals_changes_nothing():
    eff = compare_arms("medical_reimbursement", ["hardship_mean_migrant"], replicates=3,
                       steps=30, residents=300, intervention={"medical.hospitals": 0})
    assert eff.loc["hardship_mean_migrant", "diff_mean"] == 0
