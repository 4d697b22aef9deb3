"""The community without any of the report's innovations.

Both arms are identical, so a comparison of this scenario against itself is a check of
the experiment machinery: every paired difference must be exactly zero.
"""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="baseline",
    title="Status quo community (no innovation)",
    summary=("A mixed community of established residents and migrants with 23 separate "
             "department hotlines, residents' committees, social and private "
             "organizations, and no institution of the report switched on."),
    place="generic",
    form=0,
    base={"community.residents": 2000, "community.communities": 2},
    levers=(
        Range("needs.committee_capacity", 0.5, 5.0, "committee service capacity"),
        Range("mediation.capacity", 0.5, 5.0, "committee mediation capacity"),
    ),
    uncertainties=(
        Range("dispute.base_rate", 0.00001, 0.00004, "how often contacts become disputes"),
        Range("dispute.social_distance", 0.0, 3.0, "extra friction across origins"),
        Range("community.homophily", 0.0, 0.9, "migrant clustering"),
        Range("interaction.decay", 0.001, 0.01, "decay of unused ties"),
    ),
    outcomes=("conflict_rate", "intergroup_conflicts", "bridging_share",
              "legitimacy_mean", "needs_met_share"),
    primary="conflict_rate",
    key_outcomes=("intergroup_conflicts", "bridging_share", "legitimacy_mean",
                  "needs_met_share"),
    figures=("five kinds of governance subjects (report, introduction)",),
    source="report, introduction",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
