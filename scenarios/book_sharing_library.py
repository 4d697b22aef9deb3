"""Form 5: "share a book, build a library together" (Yihai Compound, Changsha)."""

from govsim.scenario import Range, Scenario

SCENARIO = Scenario(
    name="book_sharing_library",
    title="Donate-to-borrow library shared by all high-rises",
    summary=("Yihai Compound, Changsha: residents asked for a better cultural environment "
             "and a library opened under 'sharing a book with one another, building a "
             "library together': anyone, living in or out of the compound, borrows free of "
             "charge as long as they donate books. The library brings together residents "
             "of separate high-rises. Baseline: no library."),
    place="Yihai Compound, Changsha, Hunan",
    form=5,
    institutions=("library",),
    base={"community.residents": 1500, "community.communities": 1,
          "community.wards_per_community": 8},
    baseline={"library.enabled": False},
    intervention={"library.enabled": True, "library.donate_rule": True,
                  "library.outsiders_open": True},
    levers=(
        Range("library.capacity", 1.0, 30.0, "visits per 1,000 residents a day"),
        Range("library.donate_rule", 0, 1, "donate to borrow"),
        Range("library.outsiders_open", 0, 1, "open to outsiders"),
    ),
    uncertainties=(
        Range("library.visit_rate", 0.002, 0.05, "residents' interest"),
        Range("library.donate_prob", 0.1, 1.0, "willingness to donate"),
        Range("library.outsiders", 0.0, 10.0, "outsiders' visits"),
    ),
    outcomes=("library_cross_ward_ties_share", "bridging_share", "participation_rate",
              "tie_strength_mean", "library_visits", "library_loans", "library_books"),
    primary="library_cross_ward_ties_share",
    key_outcomes=("bridging_share", "participation_rate", "tie_strength_mean"),
    ingredients={
        "donate_to_borrow": {"library.donate_rule": False},
        "outsiders": {"library.outsiders_open": False},
    },
    figures=("anyone in or out of the compound borrows free of charge by donating books "
             "(report §5)",),
    source="report §5, 'Building communities' capacity for public services'",
    scales_with_residents=(),  # structure stays; communities shrink with --residents
)
