"""Form 5: parking micro-renewal in Luocheng Compound (barriers removed, 70+ spots added)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="parking_renewal",
    title="Parking micro-renewal: barriers removed, more than 70 extra spots",
    summary=("Luocheng Compound, Xuhui, Shanghai: the realty management used 'Weigaizao' "
             "(renewal without demolition) against a parking shortage. Through "
             "communication residents agreed to remove their own parking barriers, and the "
             "space was rearranged into more than 70 extra spots. Baseline: barriers stay, "
             "no extra spots."),
    place="Luocheng Compound, Xuhui District, Shanghai",
    form=5,
    institutions=("parking",),
    base={"community.residents": 2000, "community.communities": 1,
          "community.wards_per_community": 8},
    baseline={"parking.enabled": False},
    intervention={"parking.enabled": True, "parking.added_spots": 70},
    levers=(
        Range("parking.consent_threshold", 0.3, 1.0, "agreement needed to rearrange"),
        Range("parking.added_spots", 0, 150, "spots created by rearrangement"),
        Range("parking.consult_interval", 7, 90, "days between rounds of communication"),
    ),
    uncertainties=(
        Range("parking.car_share", 0.2, 0.7, "households with a car"),
        Range("parking.barrier_share", 0.0, 0.6, "owners with private barriers"),
        Range("parking.expected_gain", -1.0, 3.0, "other gains of removing a barrier"),
        Range("parking.search_aversion", 0.0, 0.5, "weight of the search under the plan"),
        Range("parking.steepness", 2.0, 30.0, "how steeply disputes rise with occupancy"),
    ),
    outcomes=("parking_disputes", "parking_occupancy", "parking_search_minutes",
              "parking_consent_share", "conflict_rate", "disputes"),
    primary="parking_disputes",
    key_outcomes=("conflict_rate", "disputes", "parking_search_minutes"),
    ingredients={
        "added_spots": {"parking.added_spots": 0},
        "persuasion": {"parking.expected_gain": 0.0},
    },
    figures=("more than 70 extra parking spots (report §5)",
             "search time explodes above about 90% occupancy (Fulman & Benenson 2018)"),
    source="report §5",
    scales_with_residents=("parking.added_spots",),  # 70 spots for 2,000 residents
)
