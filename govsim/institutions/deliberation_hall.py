"""The Deliberation Hall (Yishihui) of Sanyuanli Subdistrict, Guangzhou (report §4).

Each community has a hall of 13: six established residents, six new (migrant) residents
and one subdistrict official. A motion passes with two thirds of the members (9 of 13) and
the neighbourhood committee implements it. Baseline: the committee decides alone, with
established members only, by simple majority.

Rules:

- **Members** are drawn from willing residents trusted by their neighbours: adults with the
  highest weighted degree times social trust in their community, by origin; the official
  is a stubborn anchor.
- **Motions.** Every ``motion_interval`` days each community takes up an issue with benefits
  (b_est, b_mig) for the two groups, each uniform on [-1, 1] (issues affect the groups
  differently: school places, clinics, noise rules, market stalls).
- **Deliberation.** A member's initial support is x = 0.5 + 0.5 b_own + noise; the
  official's is 0.5 + ``official_lean`` (b_est + b_mig), anchored with weight ``stubbornness``.
  Members deliberate by bounded confidence (Deffuant et al. 2000) with confidence
  ``confidence`` and convergence ``convergence`` over ``encounters`` encounters per member.
- **Vote.** Yes if x > 0.5; a motion passes with at least ceil(threshold · members) yes
  votes (:func:`govsim.institutions.deliberation.votes_needed`).
- **Implementation.** A passed motion resolves its issue: every resident of the community
  gains hardship −``impact`` · b_g (their group's benefit; losers' hardship rises), a
  material outcome of the committee's implementation.
- **Legitimacy from what residents observe** (:func:`govsim.processes.attitudes.
  observe_decision`, procedural justice): the members and the residents tied to a member
  hear of each deliberation. Their legitimacy moves towards
  w_p F_g + (1 − w_p) O_g, where O_g = (1 + b_g)/2 is the favourability of a passed motion
  to their group (0.5 for a motion that failed: nothing changes) and F_g the fairness of
  the procedure for their group: its share of the voting seats relative to its share of
  the community, min(1, seat share / population share). A group without seats (migrants
  under the committee) finds the procedure unfair whatever it decides; legitimacy
  saturates at the level the experience supports instead of accumulating.
- **Ties.** Members who deliberate together meet (:func:`govsim.processes.rules.
  strengthen_or_form`): their ties strengthen by ``meeting_gain`` of what is left, or
  form, across origins where the hall is mixed.
- **Contact.** Deliberating in a mixed hall is intergroup contact under Allport's
  conditions (equal status, a common goal, cooperation, institutional support): each
  member's felt distance to the other group falls by the shared contact rule
  (:func:`govsim.processes.attitudes.contact_distance`), and residents tied to a member of
  a mixed hall learn of the cooperation across the divide (extended contact, a smaller
  share). Felt distance relaxes back without renewed contact and scales the inter-group
  term of the dispute rule (:mod:`govsim.processes.disputes`).
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.institutions.deliberation import deffuant
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.attitudes import contact_distance, observe_decision
from govsim.processes.rules import strengthen_or_form, votes_needed
from govsim.state import FRIEND

register([
    spec("hall.enabled", False, unit="switch",
         doc="a Deliberation Hall decides community motions (off: the committee alone)",
         source="report §4: Sanyuanli Yishihui"),
    spec("hall.established_seats", 6, 0, 50, "members", "seats for established residents",
         "report §4: 6"),
    spec("hall.migrant_seats", 6, 0, 50, "members", "seats for new (migrant) residents",
         "report §4: 6"),
    spec("hall.official_seats", 1, 0, 5, "members", "seats for subdistrict officials",
         "report §4: 1"),
    spec("hall.threshold", 2 / 3, 0.01, 1.0, "share of members",
         "share of yes votes a motion needs", "report §4: two thirds (9 of 13)"),
    spec("hall.committee_seats", 7, 1, 50, "members",
         "established members of the committee deciding alone (baseline)",
         "Organic Law 1989 art. 7: 5-9 members"),
    spec("hall.committee_threshold", 0.5, 0.01, 1.0, "share of members",
         "share of votes the committee alone needs (simple majority)", "Organic Law art. 10"),
    spec("hall.motion_interval", 14, 1, 365, "days", "days between motions in a community"),
    spec("hall.confidence", 0.3, 0.0, 1.0, "opinion distance",
         "bounded-confidence epsilon of deliberation", "Deffuant et al. 2000"),
    spec("hall.convergence", 0.3, 0.0, 0.5, "share", "bounded-confidence mu",
         "Deffuant et al. 2000"),
    spec("hall.encounters", 10, 0, 1000, "per member", "pairwise exchanges per member"),
    spec("hall.stubbornness", 0.5, 0.0, 1.0, "weight",
         "pull of the official back to the initial position", "Friedkin & Johnsen 1990"),
    spec("hall.official_lean", 0.25, 0.0, 0.5, "opinion per unit benefit",
         "the official's initial support is 0.5 + lean (b_established + b_migrant): the "
         "subdistrict weighs both groups' benefit", "assumption"),
    spec("hall.noise", 0.15, 0.0, 1.0, "opinion", "spread of members' initial support"),
    spec("hall.impact", 0.05, 0.0, 1.0, "hardship per unit benefit",
         "hardship removed (added for losers) when a passed motion is implemented"),
    spec("hall.procedure_seen", True, unit="switch",
         doc="residents judge the body's decisions by their procedure as well as their "
         "outcome (off: by the outcome alone, the procedure's fairness unseen; the "
         "ablation of procedural justice, which leaves the rest of the model's "
         "attitudes alone)", source="Tyler 1990"),
    spec("hall.meeting_gain", 0.15, 0.0, 1.0, "share",
         "strengthening of a tie between members per deliberation together (as a "
         "courtyard group's meeting)", "Feld 1981 (foci); assumption"),
])


@register_institution
class DeliberationHall(Institution):
    """One hall (or the committee alone) per community."""

    name = "hall"
    hooks = ("end_of_day",)
    measures = (
        measure("hall_motions", "day", "motions put to a vote today (all communities)",
                "motions"),
        measure("hall_passed", "day", "motions passed today", "motions"),
        measure("hall_cross_votes", "day", "yes votes of passed motions from the bloc the "
                "motion benefits less", "votes"),
        measure("hall_pass_rate_total", "total", "share of all motions so far that passed "
                "(0 before the first motion; the committee's in the baseline arm)",
                "share"),
        measure("hall_members_migrant", "state", "migrants holding a seat", "residents"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        t = m.ties
        wdeg = np.bincount(t.u, t.w, st.n) + np.bincount(t.v, t.w, st.n)
        standing = wdeg * st.social_trust
        self.members: list[np.ndarray] = []
        self.officials: list[int] = []
        seats = ((p.established_seats, p.migrant_seats) if self.enabled
                 else (p.committee_seats, 0))
        for c in range(len(m.committees)):
            picked = []
            for origin, k in zip((0, 1), seats, strict=True):
                pool = np.nonzero((st.community == c) & (st.origin == origin) &
                                  (st.age_group == 2))[0]
                order = pool[np.argsort(-standing[pool], kind="stable")]
                picked.append(order[:k])
            self.members.append(np.concatenate(picked))
            self.officials.append(p.official_seats if self.enabled else 0)
        self.threshold = p.threshold if self.enabled else p.committee_threshold
        self.motions = self.passed = self.cross = 0
        self.history_motions = self.history_passed = 0

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        if (m.day + 1) % p.motion_interval:
            return
        for c, members in enumerate(self.members):
            self._motion(c, members, self.officials[c])

    def _motion(self, c: int, members: np.ndarray, officials: int) -> None:
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        if len(members) + officials == 0:
            return
        benefit = rng.uniform(-1.0, 1.0, size=2)       # (established, migrant)
        origin = st.origin[members]
        x0 = np.clip(0.5 + 0.5 * benefit[origin] + rng.normal(0, p.noise, len(members)),
                     0, 1)
        off0 = np.full(officials, 0.5 + p.official_lean * benefit.sum())
        x = np.concatenate([x0, off0])
        anchor = x.copy()
        stub = np.concatenate([np.zeros(len(members)), np.full(officials, p.stubbornness)])
        x = deffuant(x, p.confidence, p.convergence, p.encounters * len(x), rng,
                     anchor, stub)
        yes = x > 0.5
        n_yes = int(yes.sum())
        passed = n_yes >= votes_needed(len(x), self.threshold)
        self.motions += 1
        self.history_motions += 1
        people = np.nonzero(st.community == c)[0]
        if passed:
            self.passed += 1
            self.history_passed += 1
            # yes votes from the bloc the motion benefits less: the other side's support
            favoured = 0 if benefit[0] >= benefit[1] else 1
            self.cross += int(np.count_nonzero(yes[:len(members)] & (origin != favoured)))
            st.hardship[people] -= p.impact * benefit[st.origin[people]]
        self._observe(c, members, benefit if passed else None)
        self._contact(members)
        self._member_ties(members)

    def _heard(self, members: np.ndarray, own_group: bool) -> np.ndarray:
        """Residents tied to a member (of their own group, if ``own_group``)."""
        st = self.model.state
        if len(members) == 0:
            return np.zeros(0, dtype=np.int64)
        indptr, indices, _ = self.model.ties.adjacency()
        heard = np.concatenate([indices[indptr[r]:indptr[r + 1]] for r in members])
        if own_group:
            src = np.repeat(members, [indptr[r + 1] - indptr[r] for r in members])
            heard = heard[st.origin[heard] == st.origin[src]]
        return np.unique(heard)

    def _observe(self, c: int, members: np.ndarray, benefit: np.ndarray | None) -> None:
        """Members and the residents tied to a member observe the decision: its
        favourability to their group and the procedure's fairness for their group (a
        group without seats hears of decisions taken without it)."""
        st = self.model.state
        rows = np.union1d(members, self._heard(members, own_group=False))
        if len(rows) == 0:
            return
        in_c = st.community == c
        pop = np.bincount(st.origin[in_c], minlength=2) / max(int(in_c.sum()), 1)
        seats = np.bincount(st.origin[members], minlength=2) / max(len(members), 1)
        fair = np.minimum(1.0, np.divide(seats, pop, out=np.ones(2), where=pop > 0))
        g = st.origin[rows]
        favourable = np.full(len(rows), 0.5) if benefit is None else (1.0 + benefit[g]) / 2
        observe_decision(self.model, rows, favourable,
                         fair[g] if self.p.procedure_seen else None)

    def _contact(self, members: np.ndarray) -> None:
        st = self.model.state
        if len(np.unique(st.origin[members])) < 2:
            return
        contact_distance(self.model, self._heard(members, own_group=False), extended=True)
        contact_distance(self.model, members)

    def _member_ties(self, members: np.ndarray) -> None:
        if len(members) < 2:
            return
        a, b = np.triu_indices(len(members), 1)
        strengthen_or_form(self.model, members[a], members[b], FRIEND,
                           gain=self.p.meeting_gain)

    def new_day(self) -> None:
        self.motions = self.passed = self.cross = 0

    def metrics(self) -> dict[str, float]:
        return {"hall_motions": self.motions, "hall_passed": self.passed,
                "hall_cross_votes": self.cross,
                "hall_pass_rate_total": (self.history_passed / self.history_motions
                                         if self.history_motions else 0.0),
                "hall_members_migrant": float(sum(
                    int(np.count_nonzero(self.model.state.origin[mm] == 1))
                    for mm in self.members))}
