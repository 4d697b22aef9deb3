"""Form 5: the book-sharing library builds ties across buildings."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govsim import api
from tests.helpers import compare_arms


@pytest.mark.slow
def test_the_library_raises_cross_ward_ties():
    eff = compare_arms("book_sharing_library",
                       ["library_cross_ward_ties_share", "participation_rate"],
                       replicates=20, steps=120, residents=800)
    assert eff.loc["library_cross_ward_ties_share", "ci_low"] > 0
    assert eff.loc["participation_rate", "ci_low"] > 0


def test_a_closed_library_changes_nothing():
    eff = compare_arms("book_sharing_library", ["library_cross_ward_ties_share"], replicates=3,
                       steps=30, residents=300, intervention={"library.enabled": False})
    assert eff.loc["library_cross_ward_ties_share", "diff_mean"] == 0


def test_the_donate_to_borrow_rule_fills_the_shelves():
    with_rule = api.run("book_sharing_library", "intervention", steps=90, residents=600,
                        seed=4)
    free = api.run("book_sharing_library", "intervention", steps=90, residents=600, seed=4,
                   set={"library.donate_rule": False})
    assert with_rule["library_books"].iloc[-1] > free["library_books"].iloc[-1]
    assert (with_rule["library_books"] >= 0).all()


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.booleans(), st.booleans(), st.floats(0.0, 0.3), st.integers(1, 30),
       st.floats(1.0, 40.0))
def test_books_are_conserved(rule, outsiders, loss, loan_days, capacity):
    """Books at opening plus books donated = on the shelf + on loan + lost."""
    m = api.build("book_sharing_library", "intervention", residents=300, seed=5,
                  set={"library.donate_rule": rule, "library.outsiders_open": outsiders,
                       "library.loss": loss, "library.loan_days": loan_days,
                       "library.capacity": capacity})
    lib = m.institutions[0]
    initial = lib.books
    for _ in range(60):
        m.step()
        assert lib.books >= 0
        assert initial + lib.donated == lib.books + lib.on_loan + lib.lost


def test_borrowers_come_back_to_return_their_books():
    m = api.build("book_sharing_library", "intervention", residents=400, seed=6,
                  set={"library.capacity": 1000.0, "library.loss": 0.0,
                       "library.loan_days": 5})
    lib = m.institutions[0]
    visited: dict[int, np.ndarray] = {}
    borrowed: dict[int, np.ndarray] = {}
    meet = lib._meet

    def record(visitors):
        visited[m.day] = visitors.copy()
        if m.day + 5 in lib.due_rows:   # today's loans, due in five days
            borrowed[m.day] = lib.due_rows[m.day + 5].copy()
        meet(visitors)

    lib._meet = record
    for _ in range(40):
        m.step()
    returned = 0
    for day, rows in borrowed.items():
        if day + 5 < 40:
            assert np.isin(rows, visited[day + 5]).all()
            returned += len(rows)
    assert returned > 50


def test_under_the_donate_to_borrow_rule_only_donors_borrow():
    from govsim import api
    m = api.build("book_sharing_library", "intervention", residents=600, seed=3)
    lib = next(i for i in m.institutions if i.name == "library")
    borrowers = []
    for _ in range(60):
        m.step()
        borrowers.extend(r for rows in lib.due_rows.values() for r in rows.tolist())
    assert borrowers and lib.donor[np.array(borrowers)].all()
    assert (~lib.donor).any()            # some residents never donated, and never borrowed


def test_an_empty_shelf_draws_no_visitors():
    from govsim import api
    m = api.build("book_sharing_library", "intervention", residents=600, seed=3,
                  set={"library.initial_books": 0, "library.outsiders_open": False})
    m.run_for(20)
    assert m.timeseries()["library_visits"].sum() == 0
