"""Form 1, the horizontal challenge: 23 department hotlines merged into one (Qingdao)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="unified_hotline",
    title="One number for 23 department hotlines",
    summary=("The Social Governance Center of West Coast New Town, Qingdao (2014), merged "
             "the hotlines of 23 government departments into one number, '6712345'. The "
             "centre routes each case, coordinates cross-department cases jointly, tracks "
             "every case and evaluates departments' implementation. Baseline: every "
             "department runs its own hotline; callers must pick one; wrongly filed cases "
             "bounce or drop; cross-department cases move by sequential hand-offs."),
    place="West Coast New Town, Qingdao, Shandong",
    form=1,
    institutions=("hotline",),
    base={"community.residents": 3000, "community.communities": 3,
          "community.departments": 23},
    baseline={"hotline.enabled": False},
    intervention={"hotline.enabled": True, "hotline.merged": 23, "hotline.routing_accuracy": 0.9,
                  "hotline.centre_staff": 3, "hotline.coordination": True,
                  "hotline.tracking": True, "hotline.evaluation": True},
    levers=(
        Range("hotline.merged", 0, 23, "hotlines merged into the one number"),
        Range("hotline.routing_accuracy", 0.5, 1.0, "centre routes to the right department"),
        Range("hotline.centre_staff", 1, 10, "centre operators per 10,000 residents"),
        Range("hotline.evaluation", 0, 1, "centre evaluates departments"),
        Range("hotline.coordination", 0, 1, "joint handling of cross-department cases"),
    ),
    uncertainties=(
        Range("government.case_rate", 0.5, 3.0, "community cases per 10,000 residents a day"),
        Range("needs.rate", 0.01, 0.04, "needs per resident a day (drives hotline calls)"),
        Range("government.service_minutes", 240.0, 720.0, "department service time"),
        Range("government.cross_share", 0.3, 0.8, "cases needing several departments"),
        Range("attitudes.legitimacy_rate", 0.01, 0.2, "how far an observed case moves legitimacy"),
        Range("attitudes.procedure_weight", 0.5, 0.9, "weight of handling against outcome"),
    ),
    outcomes=("bounced_cases", "unresolved_cases", "needs_met_share", "legitimacy_mean",
              "response_minutes_mean", "resolution_days_mean"),
    primary="unresolved_cases",
    key_outcomes=("bounced_cases", "needs_met_share", "legitimacy_mean", "response_minutes_mean"),
    ingredients={
        "routing": {"hotline.routing_accuracy": 1 / (1 + 0.04 * 22)},
        "coordination": {"hotline.coordination": False},
        "tracking": {"hotline.tracking": False},
        "evaluation": {"hotline.evaluation": False},
    },
    figures=("23 department hotlines merged into one number, '6712345' (report §1)",
             "about 60% of grassroots hotline cases need more than one department "
             "(literature: Xifu town study)"),
    source="report §1, 'Strengthening cross-departmental collaboration'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
