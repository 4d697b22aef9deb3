"""The Harmony Promotion Association of Cixi, Ningbo (report §4).

Chaired by the village party branch secretary with a migrant worker as vice chair; the
village is divided into wards by demographic distribution and ward leaders are chosen from
nominated members; the association manages conflicts between migrants and established
residents (employment, neighbour relations, debts, traffic accidents), and, scaled up to
504 service stations, helps migrants with education and training, employment and school
enrolment.

Rules:

- **Mediation.** The association is a mediator (:class:`govsim.processes.Mediator`) for
  disputes between an established resident and a migrant, tried before the committee, with
  ``capacity`` mediations per 1,000 residents a day. A party's trust in it is their
  legitimacy, plus ``vice_chair_trust`` for migrants when the vice chair is a migrant
  ("managing migrants through migrants"), plus ``leader_trust`` when the party is tied to a
  ward leader. Success follows the core rule, logistic(a + b (T_i + T_j − 1)).
- **Ward leaders.** One leader per ``ward_size`` residents, chosen among adult residents
  with the highest standing (weighted degree × trust) in proportion to the ward's origins;
  each leader brokers ``leader_ties`` new ties between residents of different origin in
  their ward (Burt 1992, brokerage).
- **Service stations** (``stations``): a station in each community adds education and
  employment service capacity (``station_capacity`` per 1,000 residents) that help-seeking
  uses like any social organization.
"""

from __future__ import annotations

import numpy as np

from govsim.institutions import register_institution
from govsim.institutions.base import Institution
from govsim.params import register, spec
from govsim.processes.disputes import Mediator
from govsim.state import FRIEND

register([
    spec("harmony.enabled", False, unit="switch",
         doc="a Harmony Promotion Association mediates migrant-established disputes",
         source="report §4: Cixi, from 2 pilot villages"),
    spec("harmony.vice_chair_migrant", True, unit="switch",
         doc="a migrant worker serves as vice chair", source="report §4"),
    spec("harmony.vice_chair_trust", 0.25, 0.0, 1.0, "trust",
         "extra trust migrants place in an association with a migrant vice chair",
         "assumption ('managing migrants through migrants')"),
    spec("harmony.leader_trust", 0.1, 0.0, 1.0, "trust",
         "extra trust of a party tied to a ward leader", "assumption"),
    spec("harmony.capacity", 1.0, 0.0, 1000.0, "per 1,000 residents per day",
         "mediations the association can take on"),
    spec("harmony.ward_size", 150, 10, 100_000, "residents",
         "residents per association ward (one ward leader each)",
         "report §4: wards by demographic distribution"),
    spec("harmony.leader_ties", 3, 0, 100, "ties",
         "bridging ties each ward leader brokers among residents of their ward"),
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
        base = int(per)
        return base + int(m.rng.random() < per - base)

    def eligible(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        st = self.model.state
        return st.origin[u] != st.origin[v]

    def trust(self, rows: np.ndarray) -> np.ndarray:
        st, p = self.model.state, self.inst.p
        t = st.legitimacy[rows].copy()
        if p.vice_chair_migrant:
            t += p.vice_chair_trust * (st.origin[rows] == 1)
        t += p.leader_trust * self.inst.near_leader[rows]
        return np.clip(t, 0.0, 1.0)

    def on_outcome(self, u, v, success) -> None:
        self.inst.attempts += len(success)
        self.inst.successes += int(np.count_nonzero(success))
        mig = (self.model.state.origin[u] == 1) | (self.model.state.origin[v] == 1)
        self.inst.migrant_attempts += int(np.count_nonzero(mig))


@register_institution
class HarmonyAssociation(Institution):
    """Mediation of intergroup disputes, ward leaders and service stations."""

    name = "harmony"
    measures = ("mediation_success_share", "harmony_success_share", "harmony_mediations",
                "ward_leaders")

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        self.attempts = self.successes = self.migrant_attempts = 0
        self.window = np.zeros((30, 4))
        self.near_leader = np.zeros(st.n, dtype=bool)
        self.leaders = np.zeros(0, dtype=np.int64)
        if not p.enabled:
            return
        m.disputes.mediators.append(AssociationMediator(m, self))
        self._leaders()
        if p.stations:
            self._stations()

    def _leaders(self) -> None:
        # the brokered ties come from the build stream, so that the dynamics stream stays
        # paired with the baseline arm's (common random numbers)
        m, p, rng = self.model, self.p, self.model.build_rng
        st, t = m.state, m.ties
        wdeg = np.bincount(t.u, t.w, st.n) + np.bincount(t.v, t.w, st.n)
        standing = wdeg * st.social_trust
        ws = m.community.ward_start
        leaders = []
        batch = t.bulk()
        for w in range(len(ws) - 1):
            rows = np.arange(ws[w], ws[w + 1])
            adults = rows[st.age_group[rows] == 2]
            k = max(1, round(len(rows) / p.ward_size)) if len(adults) else 0
            k = min(k, len(adults))
            share = st.origin[rows].mean() if len(rows) else 0.0
            k_mig = int(round(k * share))
            ward_leaders = []
            for origin, kk in ((1, k_mig), (0, k - k_mig)):
                pool = adults[st.origin[adults] == origin]
                ward_leaders.extend(pool[np.argsort(-standing[pool], kind="stable")][:kk])
            if len(ward_leaders) < k:   # too few of one origin: the others fill the seats
                rest = np.setdiff1d(adults, ward_leaders)
                ward_leaders.extend(rest[np.argsort(-standing[rest], kind="stable")]
                                    [:k - len(ward_leaders)])
            leaders.extend(ward_leaders)
            # brokerage: each leader joins residents of different origin in the ward
            for leader in ward_leaders:
                a = rng.choice(rows, size=min(p.leader_ties, len(rows)), replace=False)
                b = rng.choice(rows, size=len(a), replace=True)
                cross = st.origin[a] != st.origin[b]
                batch.add(a[cross], b[cross], m.params["interaction.new_tie_strength"],
                          FRIEND)
                batch.add(np.full(len(a), leader), a, 0.3, FRIEND)
        batch.commit()
        self.leaders = np.array(sorted(set(int(x) for x in leaders)), dtype=np.int64)
        self.near_leader[self.leaders] = True
        _, _, near = t.neighbourhoods(self.leaders)
        self.near_leader[near] = True
        m.civic.participate(self.leaders)

    def _stations(self) -> None:
        m, p = self.model, self.p
        for c, committee in enumerate(m.committees):
            for domain in ("education", "employment"):
                org = m.add_org("SocialOrg", f"harmony service station {c + 1} ({domain})",
                                role="station", domain=domain, community=c,
                                funding="government",
                                links=((committee.node, "serves", 0.5),))
                org.capacity = max(1, round(p.station_capacity * m.residents_in(c) / 1000))
                org.quality = m.params["needs.social_quality"]
                m.social_orgs.append(org)
        m.needs.refresh_channels()

    def end_of_day(self) -> None:
        today = self.model.today
        self.window[self.model.day % 30] = (today["intergroup_mediation_attempts"],
                                            today["intergroup_mediated"],
                                            self.attempts, self.successes)
        self.attempts = self.successes = 0

    def metrics(self) -> dict[str, float]:
        """Success shares over the last 30 days: of all mediations of migrant-established
        disputes (by committees or the association), and of the association's own."""
        att, succ, h_att, h_succ = self.window.sum(axis=0)
        return {"mediation_success_share": float(succ / att) if att else 0.0,
                "harmony_success_share": float(h_succ / h_att) if h_att else 0.0,
                "harmony_mediations": float(self.window[self.model.day % 30][3]),
                "ward_leaders": float(len(self.leaders))}
