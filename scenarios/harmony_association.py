"""Form 4: the Harmony Promotion Association of Cixi (migrant vice chair, ward leaders)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="harmony_association",
    title="Harmony Promotion Association with a migrant vice chair",
    summary=("Cixi, Ningbo: 1.07 million migrants, slightly more than the established "
             "residents, and about 600 migrant-established conflicts a year (employment, "
             "neighbour relations, debts, traffic accidents). An association chaired by the "
             "village party branch secretary with a migrant vice chair, wards by "
             "demographic distribution with ward leaders from nominated members, mediates "
             "these conflicts; scaled up to 504 service stations for education, employment "
             "and school enrolment. The baseline's inter-group conflict rate is calibrated "
             "to about 0.28 per 1,000 residents a year."),
    place="Cixi, Ningbo, Zhejiang",
    form=4,
    institutions=("harmony",),
    # friction across origins, encounters among strangers and migrants' clustering:
    # calibrated to Cixi's conflict rate (calibrations/cixi.toml, posterior medians)
    base={"community.residents": 3000, "community.communities": 2,
          "community.migrant_share": 1.07 / 2.12, "community.homophily": 0.892,
          "dispute.social_distance": 0.365, "encounters.rate": 0.0396},
    baseline={"harmony.enabled": False},
    intervention={"harmony.enabled": True, "harmony.vice_chair_migrant": True,
                  "harmony.stations": True},
    levers=(
        Range("harmony.vice_chair_migrant", 0, 1, "a migrant vice chair"),
        Range("harmony.ward_size", 50, 1000, "residents per association ward"),
        Range("harmony.stations", 0, 1, "service stations"),
        Range("harmony.capacity", 0.1, 5.0, "mediations per 1,000 residents a day"),
    ),
    uncertainties=(
        Range("dispute.base_rate", 0.00001, 0.00004,
              "how often contacts become disputes (about the baseline's calibrated rate)"),
        Range("harmony.insider_trust", 0.1, 0.7,
              "distrust removed by a mediator of the party's own origin"),
        Range("mediation.trust_slope", 1.0, 6.0, "how much trust matters in mediation"),
        Range("dispute.social_distance", 0.03, 2.1,
              "friction across origins (the Cixi fit's 90% posterior interval)"),
    ),
    outcomes=("intergroup_conflicts", "harmony_intergroup_success_share", "harmony_success_share",
              "conflict_rate", "bridging_share", "legitimacy_mean_migrant"),
    primary="intergroup_conflicts",
    key_outcomes=("harmony_intergroup_success_share", "conflict_rate", "bridging_share",
                  "legitimacy_mean_migrant"),
    ingredients={
        "migrant_vice_chair": {"harmony.vice_chair_migrant": False},
        "stations": {"harmony.stations": False},
        "ward_leaders": {"harmony.join_share": 0.0},
    },
    figures=("1.07 million migrants, slightly more than established residents (report §4)",
             "about 600 migrant-established conflicts a year, i.e. about 0.28 per 1,000 "
             "residents per year (report §4; calibration target)",
             "2 pilot villages, then 504 service stations (report §4)"),
    source="report §4, 'Incorporating migrant population'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
    calibrated={"community.homophily": "cixi", "dispute.social_distance": "cixi",
                "encounters.rate": "cixi"},
)
