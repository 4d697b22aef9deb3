"""Form 3: the Bank of Merit of Hesilu Village, Yiwu (accounts of good deeds)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="bank_of_merit",
    title="Bank of Merit: accounts of good deeds, points for loans and homesteads",
    summary=("Hesilu Village, Yiwu: every villager has an account of good deeds claimed by "
             "oneself or by others, also retroactively; four parties assess the claims; "
             "deeds become points by a preset table; all points are published quarterly and "
             "count in bank loans and homestead allocation; the year's top scorer becomes "
             "'Outstanding Contributor of the Year'. Baseline: the same village, where "
             "residents do the same kinds of good deeds from intrinsic motivation and "
             "nobody keeps accounts."),
    place="Hesilu Village, Chengxi Subdistrict, Yiwu, Zhejiang",
    form=3,
    institutions=("merit",),
    base={"community.residents": 1200, "community.communities": 1,
          "community.wards_per_community": 8, "community.migrant_share": 0.3,
          "deeds.enabled": True,
          # posterior medians of calibrations/hesilu.toml (3.7 recorded deeds a household
          # a year with the bank in place)
          "deeds.opportunity_rate": 0.0205, "deeds.cost": 0.580},
    baseline={"merit.enabled": False},
    intervention={"merit.enabled": True},
    levers=(
        Range("merit.table_scale", 0.0, 3.0, "value of the point table (0: worth nothing)"),
        Range("merit.publication_interval", 30, 365, "days between publications"),
        Range("merit.quorum", 0.25, 1.0, "approvals a claim needs (strictness)"),
        Range("merit.detection", 0.2, 0.9, "parties' detection of false claims"),
        Range("merit.migrants_eligible", 0, 1, "migrants eligible for homesteads"),
        Range("merit.loan_weight", 0.0, 1.0, "weight of points in loan approval"),
        Range("merit.homestead_weight", 0.0, 1.0, "weight of points in homestead allocation"),
        Range("merit.exemplar", 0, 1, "Outstanding Contributor of the Year"),
    ),
    uncertainties=(
        Range("merit.crowding_out", 0.0, 0.5, "loss of intrinsic motivation when rewarded"),
        Range("merit.crowding_in", 0.0, 0.1, "gain of motivation with peers on the panel"),
        Range("merit.gaming_rate", 0.0, 0.05, "how often residents consider false claims"),
        Range("merit.reward_value", 0.0, 0.1, "value of a point"),
        Range("merit.emulation", 0.0, 0.5, "pull of the exemplar"),
        Range("deeds.choice_noise", 0.05, 0.5, "spread of residents' decisions"),
    ),
    outcomes=("deeds_done", "merit_accepted", "merit_false_accepted", "merit_points_gap",
              "merit_points_gini", "deeds_motivation_mean", "tie_strength_mean",
              "deeds_weighted_degree_mean", "needs_met_share", "hardship_mean",
              "conflict_rate"),
    primary="deeds_done",
    key_outcomes=("tie_strength_mean", "needs_met_share", "hardship_mean", "merit_points_gap"),
    ingredients={
        "material_rewards": {"merit.reward_value": 0.0},
        "public_image": {"merit.image_value": 0.0, "deeds.visibility_weight": 0.0},
        "exemplar": {"merit.exemplar": False},
    },
    figures=("four assessing parties: village party branch committee, villagers' committee, "
             "village affairs supervisory committee, voluntary villager representatives "
             "(report §3)",
             "points published quarterly, i.e. every 91 days (report §3)",
             "one 'Outstanding Contributor of the Year' (report §3)",
             "more than 10,000 deeds recorded for 300+ households by 2017 (Chinanews 2017): "
             "the village (about 460 households) and the deed rate are set near it"),
    source="report §3, 'Activating communities' vitality and reforming community culture'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
    calibrated={"deeds.opportunity_rate": "hesilu", "deeds.cost": "hesilu"},
)
