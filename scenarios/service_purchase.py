"""Form 2: the government buys public services from social organizations (Nanshan)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="service_purchase",
    title="Government purchase of services from social organizations, with inspection",
    summary=("Nanshan District, Shenzhen (2013): 780 million RMB, 9% of district "
             "expenditure, bought more than 20 public services from 148 social "
             "organizations; the government inspects and assesses how far they meet "
             "residents' needs and renews contracts by that assessment. Baseline: no "
             "purchased services."),
    place="Nanshan District, Shenzhen, Guangdong",
    form=2,
    institutions=("purchase",),
    base={"community.residents": 2000, "community.communities": 2,
          "needs.social_capacity": 0.5, "needs.committee_capacity": 1.0,
          "needs.patience": 4, "needs.informal_strength": 0.15},
    baseline={"purchase.enabled": False},
    intervention={"purchase.enabled": True, "purchase.budget_share": 0.09,
                  "purchase.contractors": 6, "purchase.inspection": True},
    levers=(
        Range("purchase.budget_share", 0.0, 0.2, "share of the budget spent"),
        Range("purchase.contractors", 1, 20, "contracted organizations per community"),
        Range("purchase.inspection", 0, 1, "inspection and assessment"),
        Range("purchase.accuracy", 0.0, 1.0, "accuracy of the assessment"),
    ),
    uncertainties=(
        Range("purchase.drift", 0.0, 0.01, "quality drift without oversight"),
        Range("purchase.quality", 0.5, 0.95, "contractors' initial quality"),
        Range("purchase.capacity_per_share", 10.0, 60.0, "capacity a budget buys"),
        Range("purchase.displaced", 0.0, 1.0, "share of the money taken from the committees"),
    ),
    outcomes=("needs_met_share", "purchase_quality_mean", "hardship_mean",
              "legitimacy_mean", "needs_met_share_migrant"),
    primary="needs_met_share",
    key_outcomes=("purchase_quality_mean", "hardship_mean", "legitimacy_mean"),
    ingredients={
        "inspection": {"purchase.inspection": False},
        "selection": {"purchase.renew_threshold": 0.0},
    },
    figures=("780 million RMB, 9% of district expenditure (report §2)",
             "more than 20 services from 148 social organizations (report §2)",
             "more than 1,700 social organizations supported (report §2)"),
    source="report §2, 'Promoting the participation of social forces'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
