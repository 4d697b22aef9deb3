"""Form 3: a bicycle shed turned into a culture courtyard with eight groups (Beijing)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="culture_courtyard",
    title="Culture courtyard: eight culture groups in a former bicycle shed",
    summary=("Tiancun Street Compound 40, Haidian, Beijing, turned its worn bicycle shed "
             "into a culture courtyard where eight culture-themed groups (choral, dance, "
             "knitting, ...) meet, improving cohesion and engagement. Baseline: the shed."),
    place="Tiancun Street Compound 40, Haidian District, Beijing",
    form=3,
    institutions=("courtyard",),
    base={"community.residents": 1500, "community.communities": 1,
          "community.wards_per_community": 6},
    baseline={"courtyard.enabled": False},
    intervention={"courtyard.enabled": True, "courtyard.groups": 8},
    levers=(
        Range("courtyard.groups", 0, 16, "culture groups"),
        Range("courtyard.meeting_interval", 1, 30, "days between meetings"),
        Range("courtyard.capacity", 5, 100, "members per group"),
        Range("courtyard.open", 0, 1, "open to residents of other wards"),
        Range("courtyard.mixed", 0, 1, "groups of either origin (0: one origin a group)"),
    ),
    uncertainties=(
        Range("courtyard.interest", 0.02, 0.4, "residents' interest in the groups"),
        Range("courtyard.attendance", 0.3, 1.0, "attendance at meetings"),
        Range("interaction.decay", 0.001, 0.01, "decay of unused ties"),
    ),
    outcomes=("participation_rate", "tie_strength_mean", "bridging_share", "courtyard_members",
              "social_trust_mean", "clustering"),
    primary="tie_strength_mean",
    key_outcomes=("participation_rate", "bridging_share", "social_trust_mean"),
    ingredients={
        "mixed_groups": {"courtyard.mixed": False},
        "open_to_wards": {"courtyard.open": False},
        "practice": {"courtyard.gain": 0.0},
    },
    figures=("eight culture-themed groups, e.g. choral, dance and knitting (report §3)",),
    source="report §3, 'Activating communities' vitality'",
    scales_with_residents=("courtyard.capacity",),  # the report's 8 groups stay, each smaller
)
