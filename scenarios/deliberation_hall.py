"""Form 4: the Deliberation Hall (Yishihui) of Sanyuanli, 6 + 6 + 1 with two thirds."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="deliberation_hall",
    title="Deliberation Hall: 6 established + 6 new residents + 1 official, two thirds",
    summary=("Sanyuanli Subdistrict, Guangzhou: 103,000 residents of whom 56,000 migrants in "
             "13 communities, each with a Yishihui of six established residents, six new "
             "residents and one subdistrict official; a motion needs two thirds of the 13 "
             "votes and the neighbourhood committee implements it. Baseline: the committee "
             "decides alone, with established members only, by simple majority. The "
             "community is Sanyuanli scaled down; --residents keeps 200 residents a community "
             "(for 1:1, --residents 103000 --set community.communities=13)."),
    place="Sanyuanli Subdistrict, Guangzhou, Guangdong",
    form=4,
    institutions=("hall",),
    base={"community.residents": 2600, "community.communities": 13,
          "community.wards_per_community": 4, "community.migrant_share": 56 / 103},
    baseline={"hall.enabled": False},
    intervention={"hall.enabled": True, "hall.established_seats": 6,
                  "hall.migrant_seats": 6, "hall.official_seats": 1,
                  "hall.threshold": 2 / 3},
    levers=(
        Range("hall.threshold", 0.5, 1.0, "share of the votes a motion needs"),
        Range("hall.migrant_seats", 0, 12, "seats for new residents"),
        Range("hall.established_seats", 0, 12, "seats for established residents"),
        Range("hall.motion_interval", 7, 60, "days between motions"),
    ),
    uncertainties=(
        Range("hall.confidence", 0.05, 0.6, "openness of deliberation (epsilon)"),
        Range("hall.stubbornness", 0.0, 1.0, "official's anchoring"),
        Range("attitudes.procedure_weight", 0.5, 0.9,
              "weight of a fair procedure against a favourable outcome (Tyler 1990)"),
        Range("hall.impact", 0.0, 0.15, "how much an implemented motion matters"),
        Range("dispute.base_rate", 0.00001, 0.0001, "how often contacts become disputes"),
        Range("attitudes.extended_ratio", 0.1, 0.7,
              "extended contact's effect relative to direct contact (Zhou et al. 2019)"),
    ),
    outcomes=("legitimacy_mean_migrant", "bridging_share", "intergroup_conflicts",
              "hall_pass_rate_total", "legitimacy_gap", "hardship_gap"),
    primary="legitimacy_mean_migrant",
    key_outcomes=("bridging_share", "intergroup_conflicts", "legitimacy_gap"),
    ingredients={
        "migrant_seats": {"hall.migrant_seats": 0},
        "official": {"hall.official_seats": 0},
        "two_thirds": {"hall.threshold": 0.5},
        "contact": {"attitudes.contact_distance": 0.0},
        "fair_procedure": {"hall.procedure_seen": False},
    },
    figures=("103,000 residents, 56,000 migrants, 13 communities (report §4)",
             "13 members: 6 established, 6 new residents, 1 official (report §4)",
             "a motion passes with two thirds, 9 of 13 votes (report §4)"),
    source="report §4, 'Incorporating migrant population'",
    scales_with_residents=("community.communities",),  # 200 residents a hall, 13 seats each
)
