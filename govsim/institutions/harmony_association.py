"""The Harmony Promotion Association of Cixi, Ningbo (report §4).

Chaired by the village party branch secretary with a migrant worker as vice chair; the
village is divided into wards by demographic distribution and ward leaders are chosen from
nominated members; the association manages conflicts between migrants and established
residents (employment, neighbour relations, debts, traffic accidents), and, scaled up to
504 service stations, helps migrants with education and training, employment and school
enrolment.

Rules:

- **Members and ward leaders.** Each adult joins the association with probability
  ``join_share``. Every member nominates the fellow member of their ward they are most
  strongly tied to (the best-standing member of the ward, weighted degree × trust, when
  they are tied to none); one leader per ``ward_size`` residents is chosen among the most
  nominated members, in proportion to the ward's origins (the others fill the seats when
  one origin has too few members).
- **Mediation.** The association is a mediator (:class:`govsim.processes.Mediator`) for
  disputes between an established resident and a migrant, tried before the committee, with
  ``capacity`` mediations per 1,000 residents a day. Its team for a dispute is the chair
  (an established resident), the vice chair (a migrant when ``vice_chair_migrant``) and
  the ward leaders of the parties' ward. A party trusts the team as they trust governing
  bodies (legitimacy L), and more when someone of their own origin sits on it: an
  insider-partial mediator (Wehr & Lederach 1991) removes a share ``insider_trust`` of the
  party's remaining distrust, T = L + insider_trust (1 − L). So migrants' trust comes from
  who mediates. Success follows the core rule, logistic(a + b (T_i + T_j − 1)).
- **Leaders' meetings.** Every ``meeting_interval`` days each ward leader invites
  ``meeting_size`` residents of their ward, each of whom comes with probability
  ``attendance``; those present meet (the shared meeting rule,
  :func:`govsim.processes.rules.strengthen_or_form`, gain ``meeting_gain``), so bridging
  ties form through repeated meetings (Burt 1992, brokerage; Feld 1981), and take part.
- **Service stations** (``stations``): a station in each community adds education and
  employment service capacity (``station_capacity`` per 1,000 residents) that help-seeking
  uses like any social organization.
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.disputes import Mediator
from govsim.processes.rules import RollingWindow, daily_volume, meet_in_turn
from govsim.state import FRIEND

register([
    spec("harmony.enabled", False, unit="switch",
         doc="a Harmony Promotion Association mediates migrant-established disputes",
         source="report §4: Cixi, from 2 pilot villages"),
    spec("harmony.vice_chair_migrant", True, unit="switch",
         doc="a migrant worker serves as vice chair", source="report §4"),
    spec("harmony.insider_trust", 0.4, 0.0, 1.0, "share",
         "share of a party's remaining distrust removed when someone of their own origin "
         "mediates",
         "Wehr & Lederach 1991 (insider-partial mediators); the size is an assumption",
         plausible=(0.1, 0.7)),
    spec("harmony.join_share", 0.2, 0.0, 1.0, "share of adults",
         "adults who join the association", "assumption"),
    spec("harmony.capacity", 1.0, 0.0, 1000.0, "per 1,000 residents per day",
         "mediations the association can take on"),
    spec("harmony.ward_size", 150, 10, 100_000, "residents",
         "residents per association ward (one ward leader each)",
         "report §4: wards by demographic distribution"),
    spec("harmony.meeting_interval", 14, 1, 365, "days",
         "days between a ward leader's meetings", "assumption"),
    spec("harmony.meeting_size", 6, 0, 100, "residents",
         "residents of the ward a leader convenes to a meeting", "assumption"),
    spec("harmony.attendance", 0.7, 0.0, 1.0, "probability",
         "chance that an invited resident comes to a leader's meeting", "assumption"),
    spec("harmony.meeting_gain", 0.15, 0.0, 1.0, "share",
         "strengthening of a tie per meeting together (as a courtyard group's)",
         "Feld 1981 (foci); assumption"),
    spec("harmony.stations", False, unit="switch",
         doc="service stations for education, training, employment and school enrolment",
         source="report §4: 504 service stations"),
    spec("harmony.station_capacity", 1.0, 0.0, 1000.0, "per 1,000 residents per day",
         "needs a station can take on per day (per domain)"),
])


class AssociationMediator(Mediator):
    """The association as a mediator of intergroup disputes."""

    name = "harmony association"
    priority = 5

    def __init__(self, model, institution: HarmonyAssociation):
        super().__init__(model)
        self.inst = institution

    def capacity(self, community: int) -> int:
        m = self.model
        per = self.inst.p.capacity * m.residents_in(community) / 1000.0
        return int(daily_volume(m.rng, np.array([per]))[0])

    def eligible(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        st = self.model.state
        return st.origin[u] != st.origin[v]

    def trust(self, rows: np.ndarray) -> np.ndarray:
        """T = L + insider_trust (1 - L) where someone of the party's origin is on the
        team (the chair is established; the vice chair a migrant if so chosen; the ward
        leaders of the party's ward)."""
        st, p = self.model.state, self.inst.p
        origin = st.origin[rows]
        insider = (origin == 0) | ((origin == 1) & bool(p.vice_chair_migrant))
        insider |= self.inst.leader_of[st.ward[rows], origin]
        L = st.legitimacy[rows]
        return np.clip(L + p.insider_trust * insider * (1.0 - L), 0.0, 1.0)

    def on_outcome(self, u, v, success) -> None:
        self.inst.attempts += len(success)
        self.inst.successes += int(np.count_nonzero(success))


@register_institution
class HarmonyAssociation(Institution):
    """Mediation of intergroup disputes, ward leaders and service stations."""

    name = "harmony"
    hooks = ("end_of_day",)
    # (the meetings run in end_of_day, after the day's disputes)
    measures = (
        measure("harmony_intergroup_success_share", "window",
                "share of mediations of migrant-established disputes (by committees or "
                "the association) that succeeded", "share", "higher"),
        measure("harmony_success_share", "window",
                "share of the association's own mediations that succeeded", "share",
                "higher"),
        measure("harmony_mediations", "day", "the association's successful mediations "
                "today", "disputes"),
        measure("harmony_ward_leaders", "state", "ward leaders of the association",
                "residents"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        self.attempts = self.successes = 0
        self.window = RollingWindow(m.params["metrics.window_days"], (4,))
        self.leaders = np.zeros(0, dtype=np.int64)
        self.leader_ward = np.zeros(0, dtype=np.int64)
        #: leader_of[ward, origin]: the ward has a leader of that origin
        self.leader_of = np.zeros((len(m.community.ward_start) - 1, 2), dtype=bool)
        self.meetings = 0
        if not self.enabled:
            return
        # the association's own draws (meetings) come from a child stream, so that both
        # arms of a comparison share every draw of the dynamics stream
        self.stream = np.random.default_rng(m.rng.bit_generator.seed_seq.spawn(1)[0])
        m.disputes.mediators.append(AssociationMediator(m, self))
        self._leaders()
        if p.stations:
            self._stations()

    def _leaders(self) -> None:
        """Members join, nominate, and the most nominated become ward leaders (drawn
        from the build stream, so both arms share them)."""
        m, p, rng = self.model, self.p, self.model.build_rng
        st, t = m.state, m.ties
        wdeg = np.bincount(t.u, t.w, st.n) + np.bincount(t.v, t.w, st.n)
        standing = wdeg * st.social_trust
        member = (st.age_group == 2) & (rng.random(st.n) < p.join_share)
        indptr, indices, eidx = t.adjacency()
        ws = m.community.ward_start
        leaders, wards = [], []
        for w in range(len(ws) - 1):
            rows = np.arange(ws[w], ws[w + 1])
            pool = rows[member[rows]]
            k = min(max(1, round(len(rows) / p.ward_size)), len(pool)) if len(pool) else 0
            if k == 0:
                continue
            votes = self._nominations(pool, standing, indptr, indices, eidx)
            rank = np.lexsort((-standing[pool], -votes))   # most nominated, then standing
            share = st.origin[rows].mean()
            k_mig = int(round(k * share))
            chosen: list[int] = []
            for origin, kk in ((1, k_mig), (0, k - k_mig)):
                ranked = pool[rank][st.origin[pool[rank]] == origin]
                chosen.extend(int(x) for x in ranked[:kk])
            if len(chosen) < k:   # too few of one origin: the others fill the seats
                rest = [int(x) for x in pool[rank] if int(x) not in chosen]
                chosen.extend(rest[:k - len(chosen)])
            leaders.extend(chosen)
            wards.extend([w] * len(chosen))
        order = np.argsort(leaders, kind="stable")
        self.leaders = np.array(leaders, dtype=np.int64)[order]
        self.leader_ward = np.array(wards, dtype=np.int64)[order]
        self.leader_of[self.leader_ward, st.origin[self.leaders]] = True

    def _nominations(self, pool: np.ndarray, standing: np.ndarray, indptr, indices,
                     eidx) -> np.ndarray:
        """Nominations each member of ``pool`` (one ward's members) receives: every
        member names the fellow member they are most strongly tied to, or the
        best-standing member when tied to none."""
        t = self.model.ties
        pos = {int(r): i for i, r in enumerate(pool)}
        votes = np.zeros(len(pool))
        best = int(np.argmax(standing[pool]))
        for r in pool:
            nb = indices[indptr[r]:indptr[r + 1]]
            w = t.w[eidx[indptr[r]:indptr[r + 1]]]
            fellow = np.array([pos.get(int(x), -1) for x in nb], dtype=np.int64)
            ok = fellow >= 0
            votes[fellow[ok][np.argmax(w[ok])] if ok.any() else best] += 1
        return votes

    def _meet(self) -> None:
        """Each ward leader convenes residents of their ward; those present meet."""
        m, p, s = self.model, self.p, self.stream
        ws = m.community.ward_start
        pairs_a, pairs_b = [], []
        for leader, w in zip(self.leaders.tolist(), self.leader_ward.tolist(), strict=True):
            rows = np.arange(ws[w], ws[w + 1])
            rows = rows[rows != leader]
            invited = s.choice(rows, size=min(p.meeting_size, len(rows)), replace=False)
            came = invited[s.random(len(invited)) < p.attendance]
            here = np.concatenate([[leader], came]).astype(np.int64)
            if len(here) < 2:
                continue
            a, b = np.triu_indices(len(here), 1)
            pairs_a.append(here[a])
            pairs_b.append(here[b])
            m.civic.participate(here)
            self.meetings += 1
        # the meetings one after another, merged into the tie arrays at once
        if pairs_a:
            meet_in_turn(m, np.concatenate(pairs_a), np.concatenate(pairs_b), FRIEND,
                         p.meeting_gain)

    def _stations(self) -> None:
        m, p = self.model, self.p
        for c, committee in enumerate(m.committees):
            for domain in ("education", "employment"):
                m.add_org("SocialOrg", f"harmony service station {c + 1} ({domain})",
                          role="station", domain=domain, community=c, funding="government",
                          links=((committee.node, "serves", 0.5),), channel=True,
                          capacity=max(1, round(p.station_capacity * m.residents_in(c)
                                                / 1000)),
                          quality=m.params["needs.social_quality"])

    def new_day(self) -> None:
        self.attempts = self.successes = 0

    def end_of_day(self) -> None:
        if self.enabled and (self.model.day + 1) % self.p.meeting_interval == 0:
            self._meet()
        today = self.model.today
        self.window.slot(self.model.day)[:] = (today.intergroup_mediation_attempts,
                                               today.intergroup_mediated,
                                               self.attempts, self.successes)

    def metrics(self) -> dict[str, float]:
        """Success shares over the window: of all mediations of migrant-established
        disputes (by committees or the association), and of the association's own."""
        att, succ, h_att, h_succ = self.window.total()
        return {"harmony_intergroup_success_share": float(succ / att) if att else 0.0,
                "harmony_success_share": float(h_succ / h_att) if h_att else 0.0,
                "harmony_mediations": float(self.window.slot(self.model.day)[3]),
                "harmony_ward_leaders": float(len(self.leaders))}
