"""Form 4: reimbursement at the place of work for Honghu migrants in Sanyuanli."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="medical_reimbursement",
    title="Reimbursement of rural medical insurance at the place of work",
    summary=("An outcome of Sanyuanli's Deliberation Hall: the subdistrict office and the "
             "government of Honghu (Hubei) added two Guangzhou hospitals to the network of "
             "the new rural cooperative medical insurance, so that insured migrant workers "
             "from Honghu are reimbursed where they work instead of travelling home to "
             "claim. Only Honghu's migrants are covered. Baseline: no agreement."),
    place="Sanyuanli Subdistrict, Guangzhou; Honghu, Hubei",
    form=4,
    institutions=("medical",),
    base={"community.residents": 2000, "community.communities": 2,
          "community.migrant_share": 56 / 103},
    baseline={"medical.enabled": False},
    intervention={"medical.enabled": True, "medical.hospitals": 2},
    levers=(
        Range("medical.hospitals", 0, 5, "network hospitals where migrants work"),
    ),
    uncertainties=(
        Range("medical.rate", 0.001, 0.01, "treatments per resident a day"),
        Range("medical.return_prob", 0.0, 1.0, "migrants who travel home to claim"),
        Range("medical.hospital_share", 0.1, 0.5, "treatments at each network hospital"),
        Range("medical.honghu_share", 0.1, 0.6, "migrants from Honghu insured there"),
        Range("medical.price", 0.3, 1.5, "price of a treatment against its need"),
    ),
    outcomes=("medical_hardship_honghu", "hardship_mean_migrant", "hardship_gap",
              "medical_forgone_honghu", "legitimacy_mean_migrant"),
    primary="medical_hardship_honghu",
    key_outcomes=("hardship_mean_migrant", "hardship_gap", "medical_forgone_honghu",
                  "legitimacy_mean_migrant"),
    ingredients={
        "network_hospitals": {"medical.hospitals": 0},
    },
    figures=("two Guangzhou hospitals joined the network (report §4)",),
    source="report §4",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
