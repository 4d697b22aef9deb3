"""Good deeds: occasions, the residents' decision, what a deed does, peer mediation.

A baseline process, switched on by ``deeds.enabled`` (the ``bank_of_merit`` scenario does
so in both arms): with it off the model builds nothing here and makes no draw. Formulas
and sources are in docs/ODD.md, section 7.12.

- **Occasions.** Every day a youth, adult or senior meets an occasion for a good deed with
  probability ``opportunity_rate``. Its kind is helping a neighbour (a tie partner who is
  not kin), caring for an elder (a senior of the ward, own family included: filial care)
  or keeping shared spaces, in proportion to ``share_help``, ``share_eldercare`` and
  ``share_upkeep``. Mediation occasions arise from disputes: a contact of a party may step
  in as a peer mediator (:class:`PeerMediator`).
- **Decision (ODD+D).** A resident acts with probability :func:`deed_probability`,
  ``logistic((m_i + gamma v_k + E_ik - c) / sigma)``: intrinsic motivation m_i
  (``prosociality``), the visibility v_k of the kind to neighbours, the expected value
  E_ik of the rewards the deed would earn and the cost c (literature notes §1.2).
  Without a reward E = 0, so residents act from motivation and visibility alone.
- **What a deed does.** Helping strengthens the tie between doer and beneficiary
  (``w += deed_gain (1 - w)``, or forms it) and meets a pending need of the beneficiary,
  or else lowers their hardship; elder care does the same for a senior; keeping shared
  spaces lowers the hardship of everyone in the ward; a peer mediation is a mediation
  attempt in the dispute pipeline, after which the mediator's ties to both parties are
  strengthened. Both residents of a bond gain trust as in a positive contact.

Extension point
---------------
An institution that rewards deeds registers the expected value of its reward with
:meth:`Deeds.add_reward` (a function of the residents' rows and the deeds' kinds), and
reads the day's deeds from :attr:`Deeds.today_doers` and :attr:`Deeds.today_kinds` once
the day's interaction is over (``after_interaction`` or ``end_of_day``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from govsim.measures import DEEDS as DEEDS_MEASURES
from govsim.params import register, spec
from govsim.processes.disputes import Mediator
from govsim.processes.rules import contact_trust, logistic, strengthen_or_form
from govsim.state import FRIEND, KIN, NEIGHBOUR

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["KINDS", "Deeds", "PeerMediator", "deed_probability"]

KINDS = ("help", "eldercare", "upkeep", "mediation")
HELP, ELDERCARE, UPKEEP, MEDIATION = range(len(KINDS))

register([
    spec("deeds.enabled", False, unit="switch",
         doc="residents meet occasions for good deeds and act on them (helping, elder care, "
             "upkeep of shared spaces, peer mediation)",
         source="report §3 (Hesilu Village, Yiwu); literature notes §1.2"),
    spec("deeds.opportunity_rate", 0.02, 0.0, 1.0, "per resident per day",
         "chance that a youth, adult or senior meets an occasion for a good deed",
         "assumption; with the Bank of Merit about 4 recorded deeds per household a year, "
         "near Hesilu's >10,000 deeds of 300+ households in ~9 years (Chinanews 2017)"),
    spec("deeds.share_help", 0.5, 0.0, 1.0, "weight",
         "relative weight of occasions to help a neighbour among the daily occasions",
         "assumption"),
    spec("deeds.share_eldercare", 0.2, 0.0, 1.0, "weight",
         "relative weight of occasions to care for an elder among the daily occasions",
         "assumption"),
    spec("deeds.share_upkeep", 0.3, 0.0, 1.0, "weight",
         "relative weight of occasions to keep shared spaces among the daily occasions",
         "assumption"),
    spec("deeds.visibility_help", 0.5, 0.0, 1.0, "visibility",
         "how visible helping a neighbour is to neighbours, without any record",
         "assumption"),
    spec("deeds.visibility_eldercare", 0.3, 0.0, 1.0, "visibility",
         "how visible caring for an elder is to neighbours, without any record",
         "assumption: care inside a home is seen by few"),
    spec("deeds.visibility_upkeep", 1.0, 0.0, 1.0, "visibility",
         "how visible keeping shared spaces is to neighbours, without any record",
         "assumption: shared spaces are seen by all"),
    spec("deeds.visibility_mediation", 0.7, 0.0, 1.0, "visibility",
         "how visible mediating a dispute is to neighbours, without any record",
         "assumption"),
    spec("deeds.cost", 0.5, 0.0, 5.0, "utility", "cost c of a good deed (time, effort)",
         "assumption"),
    spec("deeds.visibility_weight", 0.2, 0.0, 5.0, "utility",
         "gamma: image value of a deed seen by neighbours (times its visibility)",
         "Benabou & Tirole 2006; assumption"),
    spec("deeds.choice_noise", 0.1, 0.01, 5.0, "utility",
         "sigma: spread of the logistic deed decision (and of the Bank of Merit's false "
         "claims)", "assumption"),
    spec("deeds.deed_gain", 0.3, 0.0, 1.0, "share",
         "strengthening of the tie between doer and beneficiary: w += gain (1 - w)",
         "assumption (a deed counts for more than a contact)"),
    spec("deeds.help_relief", 0.02, 0.0, 1.0, "hardship",
         "hardship removed by help when no need is pending", "assumption"),
    spec("deeds.upkeep_relief", 0.002, 0.0, 1.0, "hardship",
         "hardship removed for every resident of the ward by one upkeep deed", "assumption"),
])

#: the expected value of a reward: ``f(rows, kinds) -> E`` (one value per deed)
Reward = Callable[[np.ndarray, np.ndarray], np.ndarray]


def deed_probability(motivation: np.ndarray, visibility: np.ndarray, reward: np.ndarray,
                     cost: float, noise: float) -> np.ndarray:
    """Probability that a resident does a good deed when the occasion arises.

    ``P = logistic((m + gamma v + E - c) / sigma)``, the logistic form of the threshold
    rule ``a = 1[m + beta E[reward] + gamma visibility - c > 0]`` (literature notes §1.2).

    Parameters
    ----------
    motivation : numpy.ndarray
        Intrinsic motivation m (prosociality).
    visibility : numpy.ndarray
        Image value gamma v of the deed among neighbours.
    reward : numpy.ndarray
        Expected value E of the rewards the deed would earn (0 without any).
    cost, noise : float
        Cost c and decision noise sigma.

    Returns
    -------
    numpy.ndarray
        Probabilities in (0, 1).

    Example
    -------
    >>> float(deed_probability(np.array([0.5]), np.array([0.0]), np.array([0.0]), 0.5, 0.1)[0])
    0.5

    References
    ----------
    Bénabou, R. & Tirole, J. (2006). Incentives and prosocial behavior. American Economic
    Review 96(5), 1652-1678.
    """
    return logistic((motivation + visibility + reward - cost) / noise)


class PeerMediator(Mediator):
    """A contact of a party who steps in to mediate (a good deed of kind ``mediation``).

    For each dispute a random contact of the first party (not the other party, not a
    child) is asked; they mediate with :func:`deed_probability`. Parties trust a peer
    mediator as they trust residents in general (social trust).
    """

    name = "peer mediator"
    priority = 8

    def __init__(self, model: CommunityModel, deeds: Deeds):
        super().__init__(model)
        self.deeds = deeds
        self.chosen: dict[tuple[int, int], int] = {}

    def capacity(self, community: int) -> int:
        # every willing contact mediates the one dispute they were asked into
        return self.model.state.n

    def eligible(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        m, deeds = self.model, self.deeds
        rng = m.rng
        indptr, indices, _ = m.ties.adjacency()
        if len(indices) == 0:
            return np.zeros(len(u), dtype=bool)
        deg = np.diff(indptr)[u]
        j = indptr[u] + (rng.random(len(u)) * deg).astype(np.int64)
        peer = np.where(deg > 0, indices[np.minimum(j, len(indices) - 1)], -1)
        ok = (deg > 0) & (peer != v)
        ok[ok] = deeds.active[peer[ok]]
        prob = np.zeros(len(u))
        prob[ok] = deeds.decide(peer[ok], np.full(int(ok.sum()), MEDIATION))
        willing = ok & (rng.random(len(u)) < prob)
        for a, b, c in zip(u[willing].tolist(), v[willing].tolist(), peer[willing].tolist(),
                           strict=True):
            self.chosen[(a, b)] = c
        return willing

    def trust(self, rows: np.ndarray) -> np.ndarray:
        return self.model.state.social_trust[rows]

    def on_outcome(self, u: np.ndarray, v: np.ndarray, success: np.ndarray) -> None:
        peers = [self.chosen[(a, b)] for a, b in zip(u.tolist(), v.tolist(), strict=True)]
        self.deeds.mediations.append((np.array(peers, dtype=np.int64), u.copy(), v.copy()))


class Deeds:
    """The deed process (see the module docstring), called twice a day by the model:
    :meth:`occasions` after help-seeking and :meth:`bond` after the day's interaction.

    Parameters
    ----------
    model : CommunityModel
        The model, with its needs and dispute pipeline built.
    """

    #: names of the measures this process adds to every day's record (declared in
    #: govsim.measures.DEEDS)
    measures = tuple(m.name for m in DEEDS_MEASURES)

    def __init__(self, model: CommunityModel):
        self.model = model
        self.p = p = model.params.section("deeds")
        st = model.state
        self.active = st.age_group >= 1
        seniors = np.nonzero(st.age_group == 3)[0]      # rows are ordered by ward
        self.seniors = seniors
        self.senior_start = np.searchsorted(st.ward[seniors],
                                            np.arange(len(model.community.ward_start)))
        self.shares = np.array([p.share_help, p.share_eldercare, p.share_upkeep])
        self.visibility = np.array([p.visibility_help, p.visibility_eldercare,
                                    p.visibility_upkeep, p.visibility_mediation])
        self.rewards: list[Reward] = []
        self.mediations: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self._bonds: list[tuple[np.ndarray, np.ndarray, int]] = []
        self._doers: list[np.ndarray] = []
        self._kinds: list[np.ndarray] = []
        self.mediator = PeerMediator(model, self)
        model.disputes.mediators.append(self.mediator)

    # -- the extension point -----------------------------------------------------------
    def add_reward(self, reward: Reward) -> None:
        """Count the expected value of a reward in every deed decision from now on."""
        self.rewards.append(reward)

    def reward(self, rows: np.ndarray, kinds: np.ndarray) -> np.ndarray:
        """E: the expected value of all the rewards a deed of kind k by row i would earn."""
        total = np.zeros(len(rows))
        for f in self.rewards:
            total = total + f(rows, kinds)
        return total

    @property
    def today_doers(self) -> np.ndarray:
        """Rows of the residents who did today's deeds, one entry per deed."""
        return np.concatenate(self._doers) if self._doers else np.zeros(0, dtype=np.int64)

    @property
    def today_kinds(self) -> np.ndarray:
        """Kind (index into :data:`KINDS`) of each of today's deeds."""
        return np.concatenate(self._kinds) if self._kinds else np.zeros(0, dtype=np.int64)

    def decide(self, rows: np.ndarray, kinds: np.ndarray) -> np.ndarray:
        """Probability that each resident does the deed of kind k now."""
        p = self.p
        return deed_probability(self.model.state.prosociality[rows],
                                p.visibility_weight * self.visibility[kinds],
                                self.reward(rows, kinds), p.cost, p.choice_noise)

    # -- the day -------------------------------------------------------------------------
    def occasions(self) -> None:
        """The day's occasions for helping, elder care and upkeep; residents decide and act.

        Starts the day's record of deeds.
        """
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        self._doers, self._kinds = [], []
        occ = np.nonzero((rng.random(st.n) < p.opportunity_rate) & self.active)[0]
        k = len(occ)
        # with every share 0 the kind falls past the table (MEDIATION) and the occasion
        # passes: the targets and the validity test below leave it undone
        kind = np.searchsorted(np.cumsum(self.shares), rng.random(k) * self.shares.sum(),
                               side="right")
        pick, draw = rng.random(k), rng.random(k)
        target = self._targets(occ, kind, pick)
        valid = (target >= 0) | (kind == UPKEEP)
        do = valid & (draw < self.decide(occ, kind))
        doers, kind, target = occ[do], kind[do], target[do]
        self._record(doers, kind)
        care = kind != UPKEEP
        self._bonds.append((doers[care], target[care], NEIGHBOUR))
        benefit = target[care]
        helped = m.needs.meet(benefit)
        rest = benefit[~np.isin(benefit, helped)]
        np.add.at(st.hardship, rest, -p.help_relief)
        wards = np.bincount(st.ward[doers[~care]], minlength=len(m.community.ward_start) - 1)
        st.hardship -= p.upkeep_relief * wards[st.ward]
        st.clip()

    def _targets(self, rows: np.ndarray, kind: np.ndarray, pick: np.ndarray) -> np.ndarray:
        """The beneficiary of each occasion (-1: nobody to help)."""
        m, st = self.model, self.model.state
        target = np.full(len(rows), -1, dtype=np.int64)
        indptr, indices, eidx = m.ties.adjacency()
        h = np.nonzero(kind == HELP)[0]
        if len(indices):
            deg = np.diff(indptr)[rows[h]]
            j = np.minimum(indptr[rows[h]] + (pick[h] * deg).astype(np.int64),
                           len(indices) - 1)
            ok = (deg > 0) & (m.ties.kind[eidx[j]] != KIN)
            target[h[ok]] = indices[j[ok]]
        e = np.nonzero(kind == ELDERCARE)[0]
        w = st.ward[rows[e]]
        lo, cnt = self.senior_start[w], self.senior_start[w + 1] - self.senior_start[w]
        ok = cnt > 0
        who = self.seniors[np.minimum(lo + (pick[e] * cnt).astype(np.int64),
                                      max(len(self.seniors) - 1, 0))] if len(self.seniors) \
            else np.zeros(len(e), dtype=np.int64)
        ok &= who != rows[e]
        target[e[ok]] = who[ok]
        return target

    def _record(self, doers: np.ndarray, kinds: np.ndarray) -> None:
        self._doers.append(doers)
        self._kinds.append(np.asarray(kinds, dtype=np.int64))

    def _bond(self, a: np.ndarray, b: np.ndarray, kind: int) -> None:
        """A deed between a and b: their tie is strengthened, or formed at the strength a
        new tie has after one deed; both gain trust as in a positive contact."""
        if len(a) == 0:
            return
        gain = self.p.deed_gain
        new = self.model.params["interaction.new_tie_strength"]
        strengthen_or_form(self.model, a, b, kind, gain=gain,
                           new_strength=new + gain * (1.0 - new))
        contact_trust(self.model, a, b)

    def bond(self) -> None:
        """The day's deeds bond doers and beneficiaries; peer mediations are deeds whose
        mediator bonds with both parties. Ties change only now: the dispute pipeline has
        used its edge indices, and the tie index built for the day stays valid until the
        day's own tie changes."""
        for peers, u, v in self.mediations:
            self._record(peers, np.full(len(peers), MEDIATION))
            self._bonds.extend([(peers, u, FRIEND), (peers, v, FRIEND)])
        for a, b, kind in self._bonds:
            self._bond(a, b, kind)
        self.mediations = []
        self._bonds = []
        self.mediator.chosen.clear()

    # -- measures --------------------------------------------------------------------------
    def metrics(self) -> dict[str, float]:
        """Today's deeds (all kinds), mean intrinsic motivation, and the mean weighted
        degree ``2 sum w / n`` (the social capital that help-seeking uses)."""
        st = self.model.state
        return {"deeds_done": sum(len(d) for d in self._doers),
                "deeds_motivation_mean": float(st.prosociality.mean()),
                "deeds_weighted_degree_mean": 2.0 * float(self.model.ties.w.sum()) / st.n}
