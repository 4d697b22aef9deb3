"""Parking micro-renewal ("Weigaizao") in Luocheng Compound, Xuhui, Shanghai (report §5).

The realty management addressed a shortage of parking: through communication residents
agreed to remove their own parking barriers, and the space was rearranged to create more
than 70 extra spots.

Rules (per community, daily):

- **Cars and spots.** A household owns a car with probability ``car_share``; the compound
  has ``spots_per_car`` physical spots per car. A share ``barrier_share`` of owners has
  fenced a spot with a private barrier; while the owner is away (probability ``away``) the
  fenced spot stays empty and no one else may use it.
- **Occupancy and search.** Usable spots U = spots − idle barrier spots; cars looking for a
  spot P (present, not behind their own barrier); occupancy x = (P + barrier owners
  present)/spots_in_use. Search time grows steeply as occupancy nears capacity,
  ``search_minutes`` / max(1 − x, 0.02) (PARKAGENT, Benenson et al. 2008; Fulman & Benenson
  2018: search explodes above about 90% occupancy). Cars that find no spot double-park.
- **Disputes.** Each day each present car is in a parking dispute with probability
  ``dispute_rate`` · exp(``steepness`` · (x − 0.9)) (blocked cars, taken spots), with a
  resident of its ward, submitted to the dispute pipeline (settle, mediate or escalate).
  Scarcity raises parking disputes, not every other dispute among neighbours.
- **Micro-renewal** (``enabled``): every ``consult_interval`` days the realty management
  talks to owners who keep a barrier and shows them the plan; each agrees to remove it
  with probability logistic(``consent_slope`` (τ + L − 1) + g), trust and expected gain.
  The expected gain g = ``expected_gain`` − ``search_aversion`` · m_plan weighs the
  other gains of removal (cars no longer blocked, neighbours' goodwill) against the
  search an owner without a barrier would face under the plan: m_plan is the search time
  at the occupancy the plan promises in the owner's community, with no barriers and the
  added spots. So a plan that adds more spots persuades more owners.
  Once the share of barrier owners who agreed reaches ``consent_threshold``, the space is
  rearranged and ``added_spots`` spots are created (report: more than 70), never exceeding
  the compound's physical capacity for parking (``max_spots_per_car`` per car).
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import logistic

register([
    spec("parking.enabled", False, unit="switch",
         doc="the realty management's micro-renewal (barriers removed, spots rearranged); "
         "off: cars, barriers and parking disputes as they are",
         source="report §5: Luocheng Compound, Xuhui, Shanghai"),
    spec("parking.car_share", 0.4, 0.0, 1.0, "cars per household", "households with a car"),
    spec("parking.spots_per_car", 0.85, 0.0, 3.0, "spots per car", "physical parking spots"),
    spec("parking.max_spots_per_car", 1.2, 0.0, 5.0, "spots per car",
         "most spots the compound's space can hold after rearrangement"),
    spec("parking.barrier_share", 0.3, 0.0, 1.0, "share of owners",
         "owners who fenced a spot with a private barrier"),
    spec("parking.away", 0.3, 0.0, 1.0, "probability", "chance a car is away on a day"),
    spec("parking.search_minutes", 2.0, 0.0, 120.0, "minutes",
         "search time at low occupancy (scaled by 1/(1 - occupancy))",
         "Benenson et al. 2008; assumption"),
    spec("parking.dispute_rate", 0.0005, 0.0, 1.0, "per car per day",
         "parking disputes at 90% occupancy", "assumption"),
    spec("parking.steepness", 10.0, 0.0, 100.0, "per unit occupancy",
         "how steeply disputes rise with occupancy",
         "assumption; the 90% threshold follows Fulman & Benenson 2018, who study parking "
         "search, not disputes"),
    spec("parking.added_spots", 70, 0, 10_000, "spots", "spots created by rearrangement",
         "report §5: more than 70"),
    spec("parking.consent_threshold", 0.6, 0.0, 1.0, "share of barrier owners",
         "agreement needed before the space is rearranged"),
    spec("parking.consent_slope", 4.0, 0.0, 50.0, "logit per trust", "weight of trust in consent"),
    spec("parking.expected_gain", 1.0, -5.0, 5.0, "logit",
         "other gains an owner expects from removing a barrier (cars no longer blocked, "
         "neighbours' goodwill)", "assumption"),
    spec("parking.search_aversion", 0.2, 0.0, 5.0, "logit per minute",
         "weight of the search time an owner would face without a barrier under the plan",
         "assumption"),
    spec("parking.consult_interval", 30, 1, 365, "days", "days between rounds of communication"),
])


@register_institution
class ParkingRenewal(Institution):
    """Cars, spots, barriers and the micro-renewal of a compound's parking."""

    name = "parking"
    hooks = ("start_of_day",)
    measures = (
        measure("parking_disputes", "day", "disputes over parking today", "disputes",
                "lower"),
        measure("parking_occupancy", "state",
                "cars present per usable spot (weighted over communities)", "ratio",
                "lower"),
        measure("parking_search_minutes", "state", "minutes a driver searches for a spot",
                "minutes", "lower"),
        measure("parking_spots", "state", "parking spots in the compound", "spots"),
        measure("parking_barriers", "state", "private barriers still standing", "barriers"),
        measure("parking_consent_share", "state",
                "share of barrier owners who agreed to remove theirs", "share"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st, rng = m.state, m.build_rng
        # the first member of each household is its head; heads of car households own cars
        heads = np.nonzero(np.r_[True, st.household[1:] != st.household[:-1]])[0]
        self.owners = heads[rng.random(len(heads)) < p.car_share]
        self.barrier = rng.random(len(self.owners)) < p.barrier_share
        self.had_barrier = self.barrier.copy()
        self.agreed = np.zeros(len(self.owners), dtype=bool)
        comm = st.community[self.owners]
        n_comm = len(m.committees)
        cars = np.bincount(comm, minlength=n_comm)
        self.comm = comm
        self.spots = np.floor(p.spots_per_car * cars).astype(np.int64)
        self.capacity = np.floor(p.max_spots_per_car * cars).astype(np.int64)
        self.rearranged = np.zeros(n_comm, dtype=bool)
        self.state = {k: 0.0 for k in self.measure_names() if k != "parking_disputes"}
        self.disputes = 0

    def start_of_day(self) -> None:
        m, p = self.model, self.p
        if self.enabled and m.day % p.consult_interval == 0:
            self._consult()
        self._park()

    def _consult(self) -> None:
        m, p = self.model, self.p
        st, rng = m.state, m.rng
        ask = np.nonzero(self.barrier)[0]
        r = self.owners[ask]
        gain = p.expected_gain - p.search_aversion * self._plan_minutes()[self.comm[ask]]
        z = p.consent_slope * (st.social_trust[r] + st.legitimacy[r] - 1.0) + gain
        yes = ask[rng.random(len(ask)) < logistic(z)]
        self.agreed[yes] = True
        self.barrier[yes] = False          # residents remove their own barriers
        m.civic.participate(self.owners[yes])
        for c in range(len(self.spots)):
            fenced = self.had_barrier & (self.comm == c)
            if self.rearranged[c] or not fenced.any():
                continue
            if self.agreed[fenced].mean() >= p.consent_threshold:
                self.rearranged[c] = True
                self.spots[c] = min(self.spots[c] + p.added_spots, self.capacity[c])

    def _plan_minutes(self) -> np.ndarray:
        """Search time per community under the plan: cars present on an average day,
        no barriers, and the added spots (within the room) where not yet rearranged."""
        p = self.p
        cars = np.bincount(self.comm, minlength=len(self.spots))
        added = np.maximum(self.spots, np.minimum(self.spots + p.added_spots, self.capacity))
        spots = np.where(self.rearranged, self.spots, added)
        return self._search((1.0 - p.away) * cars / np.maximum(spots, 1))

    def _search(self, occupancy: np.ndarray) -> np.ndarray:
        """Search minutes at an occupancy (capped at 1.5): steep near full (PARKAGENT)."""
        return self.p.search_minutes / np.maximum(1.0 - np.minimum(occupancy, 1.5), 0.02)

    def _park(self) -> None:
        m, p = self.model, self.p
        st, rng = m.state, m.rng
        present = rng.random(len(self.owners)) >= p.away
        n_comm = len(self.spots)
        idle = np.bincount(self.comm[self.barrier & ~present], minlength=n_comm)
        cars = np.bincount(self.comm[present], minlength=n_comm)
        usable = np.maximum(self.spots - idle, 1)
        occupancy = np.minimum(cars / usable, 1.5)
        self.parked = np.minimum(cars, usable)
        search = self._search(occupancy)
        prob = np.minimum(1.0, p.dispute_rate * np.exp(p.steepness * (occupancy - 0.9)))
        driver = self.owners[present]
        dispute = driver[rng.random(len(driver)) < prob[st.community[driver]]]
        if len(dispute):
            ws = m.community.ward_start
            w = st.ward[dispute]
            other = ws[w] + (rng.random(len(dispute)) * (ws[w + 1] - ws[w])).astype(np.int64)
            ok = other != dispute
            u, v = dispute[ok], other[ok]
            m.disputes.resolve(u, v, m.ties.find(u, v))
            self.disputes += len(u)
        weights = np.maximum(cars, 1)
        self.state = {
            "parking_occupancy": float(np.average(occupancy, weights=weights)),
            "parking_search_minutes": float(np.average(search, weights=weights)),
            "parking_spots": float(self.spots.sum()),
            "parking_barriers": float(self.barrier.sum()),
            "parking_consent_share": float(self.agreed[self.had_barrier].mean())
            if self.had_barrier.any() else 0.0}

    def new_day(self) -> None:
        self.disputes = 0

    def metrics(self) -> dict[str, float]:
        return {"parking_disputes": float(self.disputes), **self.state}
