"""The book-sharing library of Yihai Compound, Changsha (report §5).

"Share a book, build a library together": anyone living in or out of the compound may
borrow free of charge as long as they donate books; the library brings together residents
of separate high-rises.

Rules: the library (a social organization) is open when ``enabled``. Each day a resident
visits with probability ``visit_rate`` × (0.5 + prosociality) × B / (B + ``books_half``),
where B is the books on the shelf (a library with nothing to lend draws few; with
``books_half`` books it draws half of what a full shelf does), up to ``capacity`` visits
per 1,000 residents a day; outsiders add ``outsiders`` visits per 1,000 residents when the
library is open to them, taking capacity but not forming ties with residents. Under the
donate-to-borrow rule (``donate_rule``) a first-time visitor donates
``books_per_donation`` books with probability ``donate_prob`` and only donors borrow;
without the rule visitors borrow freely and donate with probability ``donate_prob`` ×
``free_donate``. Outsiders who visit donate with the same probability and borrow likewise.
A visitor may borrow one book while books are on the shelf; a loan leaves the shelf for
``loan_days`` days, and then the book comes back, except with probability ``loss``, and a
resident borrower comes back with it: a return visit, which comes before new visitors
within the day's capacity. Visitors of the same day meet: each resident visitor talks to
``encounters`` others, and a meeting strengthens an existing tie or forms a new one — most
often between residents of different buildings (wards). So borrowing and donating build
ties through the visits they bring. Visiting counts as participation. Books are conserved:
the books at opening plus those donated equal those on the shelf, on loan and lost.
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import strengthen_or_form
from govsim.state import FRIEND

register([
    spec("library.enabled", False, unit="switch", doc="the book-sharing library is open",
         source="report §5: Yihai Compound, Changsha"),
    spec("library.capacity", 10.0, 0.0, 1000.0, "visits per 1,000 residents per day",
         "opening hours and space"),
    spec("library.visit_rate", 0.01, 0.0, 1.0, "per resident per day",
         "chance of a visit with a full shelf (times 0.5 + prosociality)", "assumption"),
    spec("library.books_half", 100.0, 1.0, 1e6, "books",
         "books on the shelf at which the library draws half the visits of a full one",
         "assumption: people visit for the books there are to borrow"),
    spec("library.donate_rule", True, unit="switch",
         doc="only those who have donated books may borrow", source="report §5"),
    spec("library.donate_prob", 0.6, 0.0, 1.0, "probability",
         "chance that a first-time visitor donates when the rule asks it"),
    spec("library.free_donate", 0.2, 0.0, 1.0, "ratio",
         "relative chance of donating when borrowing is free without donating"),
    spec("library.books_per_donation", 3, 1, 100, "books", "books a donor brings"),
    spec("library.initial_books", 200, 0, 100_000, "books", "books at opening"),
    spec("library.loss", 0.01, 0.0, 1.0, "per loan", "chance a borrowed book is not returned"),
    spec("library.loan_days", 14, 1, 365, "days",
         "how long a loan lasts before the borrower brings the book back", "assumption"),
    spec("library.outsiders_open", True, unit="switch",
         doc="people from outside the compound may donate and borrow", source="report §5"),
    spec("library.outsiders", 2.0, 0.0, 1000.0, "visits per 1,000 residents per day",
         "visits by outsiders when the library is open to them"),
    spec("library.encounters", 2, 0, 50, "per visitor", "other visitors a visitor talks to"),
    spec("library.gain", 0.1, 0.0, 1.0, "share", "tie strengthening per meeting"),
])


@register_institution
class BookSharingLibrary(Institution):
    """A donate-to-borrow library shared by all buildings (and outsiders)."""

    name = "library"
    hooks = ("end_of_day",)
    measures = (
        measure("library_visits", "day", "visits today (residents and outsiders)", "visits"),
        measure("library_books", "state", "books on the shelf", "books"),
        measure("library_loans", "day", "books lent today", "books"),
        measure("library_on_loan", "state", "books out on loan", "books"),
        measure("library_cross_ward_ties_share", "state",
                "share of resident ties between different wards (buildings)", "share",
                "higher"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        self.donor = np.zeros(m.state.n, dtype=bool)
        self.visited = np.zeros(m.state.n, dtype=bool)
        self.books = float(p.initial_books) if self.enabled else 0.0
        self.donated = self.lost = 0
        self.visits = self.loans = 0
        # loans out: the day they come back -> residents coming back, and books
        self.due_rows: dict[int, np.ndarray] = {}
        self.due_books: dict[int, int] = {}
        if self.enabled:
            m.add_org("SocialOrg", "book-sharing library", role="library", domain="culture",
                      community=0, links=tuple((c.node, "serves", 0.5)
                                               for c in m.committees)).capacity = 0

    def new_day(self) -> None:
        self.visits = self.loans = 0

    @property
    def on_loan(self) -> int:
        return sum(self.due_books.values())

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        if not self.enabled:
            return
        rng, st = m.rng, m.state
        n, day = st.n, m.day
        back = self.due_books.pop(day, 0)
        returners = self.due_rows.pop(day, np.zeros(0, dtype=np.int64))
        lost = rng.random(back) < p.loss
        self.books += int(back - lost.sum())
        self.lost += int(lost.sum())
        # a resident whose book was lost does not come back with it
        returners = returners[~lost[:len(returners)]]
        cap = int(p.capacity * n / 1000)
        out = min(int(rng.poisson(p.outsiders * n / 1000)) if p.outsiders_open else 0, cap)
        shelf = self.books / (self.books + p.books_half) if self.books > 0 else 0.0
        want = np.nonzero(rng.random(n) < p.visit_rate * (0.5 + st.prosociality) *
                          shelf)[0]
        want = rng.permutation(np.setdiff1d(want, returners, assume_unique=True))
        residents = np.concatenate([returners, want])[:cap - out]
        self.visits = len(residents) + out
        if self.visits == 0:
            return
        m.civic.participate(residents)
        first = residents[~self.visited[residents]]
        self.visited[first] = True
        rate = p.donate_prob * (1.0 if p.donate_rule else p.free_donate)
        gives = first[rng.random(len(first)) < rate]
        self.donor[gives] = True
        out_gives = int((rng.random(out) < rate).sum())
        new_books = p.books_per_donation * (len(gives) + out_gives)
        self.books += new_books
        self.donated += new_books
        # residents who came back with a book may borrow again, like any visitor
        borrowers = residents[self.donor[residents]] if p.donate_rule else residents
        out_borrowers = out_gives if p.donate_rule else out
        res_loans = min(len(borrowers), int(self.books))
        out_loans = min(out_borrowers, int(self.books) - res_loans)
        self.loans = res_loans + out_loans
        if self.loans:
            self.books -= self.loans
            due = day + p.loan_days
            # the first res_loans books due back are the residents': a lost one among
            # them keeps its borrower away
            self.due_rows[due] = borrowers[:res_loans]
            self.due_books[due] = self.loans
        self._meet(residents)

    def _meet(self, visitors: np.ndarray) -> None:
        m, p = self.model, self.p
        rng = m.rng
        if len(visitors) < 2 or p.encounters == 0:
            return
        a = np.repeat(visitors, p.encounters)
        b = visitors[rng.integers(len(visitors), size=len(a))]
        keep = a != b
        strengthen_or_form(m, a[keep], b[keep], FRIEND, gain=p.gain)

    def metrics(self) -> dict[str, float]:
        st, t = self.model.state, self.model.ties
        cross = st.ward[t.u] != st.ward[t.v]
        out = {"library_visits": float(self.visits), "library_books": float(self.books),
               "library_loans": float(self.loans), "library_on_loan": float(self.on_loan),
               "library_cross_ward_ties_share": float(cross.mean()) if len(t) else 0.0}
        return out
