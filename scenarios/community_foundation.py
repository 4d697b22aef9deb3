"""Form 2: a community foundation whose donors choose and evaluate projects (Yangjing)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="community_foundation",
    title="Community foundation with donors' participation",
    summary=("Shanghai encouraged subdistricts to set up community foundations; Yangjing "
             "Subdistrict's serves children, high-school students and seniors, and "
             "residents who donate take part in deciding on and evaluating projects. "
             "Baseline: the same money (in expectation) spent by the subdistrict through "
             "its residents' committees, without residents' participation, in a community "
             "whose services fall short of its needs."),
    place="Yangjing Subdistrict, Pudong, Shanghai",
    form=2,
    institutions=("foundation",),
    base={"community.residents": 2000, "community.communities": 2,
          "foundation.enabled": True, "needs.patience": 2,
          "needs.informal_strength": 0.05, "needs.social_capacity": 0.3},
    baseline={"foundation.provider": "subdistrict", "foundation.participation": False},
    intervention={"foundation.provider": "foundation", "foundation.participation": True},
    levers=(
        Range("foundation.project_interval", 7, 120, "days between project rounds"),
        Range("foundation.project_cost", 10.0, 300.0, "cost of a project"),
        Range("foundation.participation", 0, 1, "donors choose and evaluate projects"),
    ),
    uncertainties=(
        Range("foundation.donate_rate", 0.0, 0.02, "residents' propensity to donate"),
        Range("foundation.feedback", 0.0, 0.5, "how evaluations move donations"),
        Range("foundation.cost_per_capacity", 100.0, 600.0,
              "cost of a need a day of service"),
    ),
    outcomes=("participation_rate", "foundation_needs_met_share_targeted",
              "foundation_needs_met_share_child", "foundation_needs_met_share_youth",
              "foundation_needs_met_share_senior", "needs_met_share",
              "foundation_donations", "social_trust_mean"),
    primary="foundation_needs_met_share_targeted",
    key_outcomes=("participation_rate", "social_trust_mean", "needs_met_share"),
    ingredients={
        "outreach": {"foundation.provider": "subdistrict"},
        "participation": {"foundation.participation": False},
    },
    figures=("projects for children, high-school students and seniors (report §2)",),
    source="report §2, 'Promoting the participation of social forces'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
