"""Form 5: the book-sharing library builds ties across buildings."""

import pytest

from govsim import api
from tests.helpers import compare_arms


@pytest.mark.slow
def test_the_library_raises_cross_ward_ties():
    eff = compare_arms("book_sharing_library", ["cross_ward_ties_share", "participation_rate"],
                       replicates=20, steps=120, residents=800)
    assert eff.loc["cross_ward_ties_share", "ci_low"] > 0
    assert eff.loc["participation_rate", "ci_low"] > 0


def test_a_closed_library_changes_nothing():
    eff = compare_arms("book_sharing_library", ["cross_ward_ties_share"], replicates=3,
                       steps=30, residents=300, intervention={"library.open": False})
    assert eff.loc["cross_ward_ties_share", "diff_mean"] == 0


def test_the_donate_to_borrow_rule_fills_the_shelves():
    with_rule = api.run("book_sharing_library", "intervention", steps=90, residents=600,
                        seed=4)
    free = api.run("book_sharing_library", "intervention", steps=90, residents=600, seed=4,
                   set={"library.donate_rule": False})
    assert with_rule["library_books"].iloc[-1] > free["library_books"].iloc[-1]
    assert (with_rule["library_books"] >= 0).all()
