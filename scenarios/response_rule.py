"""Form 1, the vertical challenge: departments must reach the scene within 30 minutes."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="response_rule",
    title="Once a village or town calls, a department reports (30-minute rule)",
    summary=("Jinhaihu Town, Pinggu District, Beijing (2017): to stop illegal gold mining, "
             "a department must send personnel to the scene within 30 minutes of a town's "
             "call and stay until the case is handled, consolidated by case-by-case "
             "evaluation; later applied to unapproved construction, ecosystem damage and "
             "work safety, and delegated to villages. Baseline: such cases go through the "
             "ordinary hotlines and queues."),
    place="Jinhaihu Town, Pinggu District, Beijing",
    form=1,
    institutions=("rule",),
    base={"community.residents": 2000, "community.communities": 4,
          "community.wards_per_community": 4, "rule.site_birth": 0.03,
          "government.case_rate": 6.0},
    baseline={"rule.enabled": False},
    intervention={"rule.enabled": True, "government.deadline_minutes": 30.0,
                  "rule.evaluation": True, "rule.delegated": False},
    levers=(
        Range("government.deadline_minutes", 15.0, 120.0, "deadline for personnel on the scene"),
        Range("rule.evaluation", 0, 1, "case-by-case evaluation of departments"),
        Range("rule.evaluation_strength", 0.0, 0.5, "strength of evaluation"),
        Range("rule.delegated", 0, 1, "villages blow the whistle themselves"),
    ),
    uncertainties=(
        Range("government.travel_minutes", 10.0, 40.0, "median travel time to the scene"),
        Range("rule.spread", 0.0, 0.05, "how quickly illicit sites spread"),
        Range("government.effort", 0.3, 1.0, "departments' baseline effort"),
        Range("rule.escape_minutes", 20.0, 240.0, "how long operators need to hide"),
    ),
    outcomes=("responded_within_30min_share", "rule_illicit_sites", "response_minutes_mean",
              "legitimacy_mean", "hardship_mean"),
    primary="responded_within_30min_share",
    key_outcomes=("rule_illicit_sites", "legitimacy_mean", "hardship_mean"),
    ingredients={
        "deadline": {"government.deadline_minutes": 100_000.0},
        "evaluation": {"rule.evaluation": False},
    },
    figures=("30 minutes to reach the scene (report §1)",
             "illegal gold mining eradicated in the district (report §1)",
             "extended to unapproved construction, ecosystem damage, work safety"),
    source="report §1, 'delegating governance power'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
