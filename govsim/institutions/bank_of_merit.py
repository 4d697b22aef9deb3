"""The Bank of Merit ("Gongdeyinhang") of Hesilu Village, Yiwu, Zhejiang (report §3).

"Each villager has an account in the Bank, keeping a record of his/her good words and deeds
as claimed by oneself or by others. Such claims can also be filed retroactively. The record
is then reverted to points according to certain pre-set criteria. All villagers' points are
published in the form of quarterly report, a document that functions as an important
criterion for bank loan application and homestead allocation. Assessment of points are
conducted by four parties [...]. The villager accumulating the highest points within a year
is recognized as 'Outstanding Contributor of the Year'." By 2017 more than 10,000 deeds of
300+ households were on record (Chinanews 2017).

Rules (formulas and sources in docs/ODD.md, section 7.12):

- **Deeds.** Every day a youth, adult or senior meets an occasion for a good deed with
  probability ``opportunity_rate``: helping a neighbour (a tie partner who is not kin),
  caring for an elder (a senior of the ward, own family included: filial care) or keeping
  shared spaces. Mediation occasions arise from disputes: a contact of a party may step in
  as a peer mediator (:class:`PeerMediator`). A resident acts with probability
  :func:`deed_probability`, ``logistic((m_i + gamma v_k + E_ik - c) / sigma)``: intrinsic
  motivation m_i (``prosociality``), visibility to neighbours v_k, the expected value of
  the points E_ik and the cost c (literature notes §1.2). Without the Bank E = 0, so
  residents still act from intrinsic motivation and visibility, and the Bank's effect on
  deeds is the difference.
- **What deeds do.** Helping strengthens the tie (``w += deed_gain (1 - w)``) and meets a
  pending need of the neighbour, or else lowers their hardship; elder care does the same
  for a senior, forming a tie where there was none; keeping shared spaces lowers the
  hardship of everyone in the ward; a peer mediation is a mediation attempt in the dispute
  pipeline, after which the mediator's ties to both parties are strengthened.
- **Claims.** A deed is claimed by the doer (``self_claim``) or else by others
  (``peer_claim``); a share ``retro_share`` of claims is filed retroactively, after a
  geometric lag of mean ``retro_lag`` days. Residents also consider false claims
  (gaming, ``gaming_rate``), filed with probability
  ``logistic((E_false - m_i - exposure_cost * P(detected)) / sigma)``.
- **Assessment.** The first ``parties`` of the four parties vote on each claim: each
  approves a true claim with probability ``1 - false_rejection`` and a false one with
  ``1 - detection``; a claim is accepted with at least ``ceil(quorum * parties)`` approvals.
  Accepted claims earn ``table_scale`` times the preset points of their kind. A detected
  false claim exposes the claimant: their non-kin ties lose ``exposure_damage`` of their
  strength.
- **Publication and use.** Points are published every ``publication_interval`` days. Loans
  at the village bank (a :class:`~govsim.agents.PrivateOrg`) are approved with probability
  ``means + loan_weight * min(1, published / credit_points)``; a homestead plot goes to the
  eligible household with the highest ``(1 - homestead_weight) * need + homestead_weight *
  points / max points``; migrants are eligible only when ``migrants_eligible``. Loans and
  homesteads lower hardship. Without the Bank the same loans and plots are given on means
  and need alone.
- **Exemplar.** At the end of every year the resident with the most points earned that
  year becomes "Outstanding Contributor of the Year"; residents tied to them emulate:
  ``m_j += emulation * w_ij * (1 - m_j)`` (social learning, Bandura 1977).
- **Crowding.** A resident rewarded with points loses intrinsic motivation,
  ``m_i -= crowding_out * s_i * (m_i - motivation_floor)`` with salience s_i the weighted
  share of material uses of points open to them (Frey & Oberholzer-Gee 1997; Gneezy &
  Rustichini 2000), and, when villager representatives sit on the panel, gains
  ``crowding_in * (1 - m_i)`` (Frey 1997; Bowles & Polania-Reyes 2012). Both are
  uncertainties; ``crowding_out = 0`` is a pure incentive model.
"""

from __future__ import annotations

import math

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.disputes import Mediator
from govsim.processes.rules import logistic
from govsim.state import ESTABLISHED, FRIEND, KIN, NEIGHBOUR

__all__ = ["BankOfMerit", "DEEDS", "PARTIES", "PeerMediator", "acceptance_probability",
           "deed_probability", "gini", "votes_needed"]

DEEDS = ("help", "eldercare", "upkeep", "mediation")
HELP, ELDERCARE, UPKEEP, MEDIATION = range(4)
PARTIES = ("village party branch committee", "villagers' committee",
           "village affairs supervisory committee", "voluntary villager representatives")
#: shares of daily occasions by kind (help, eldercare, upkeep); mediation comes from disputes
OCCASIONS = np.array([0.5, 0.2, 0.3])
#: how visible a deed of each kind is to neighbours without any record (assumption:
#: shared spaces are seen by all, care inside a home by few)
VISIBILITY = np.array([0.5, 0.3, 1.0, 0.7])
YEAR = 365

register([
    spec("merit.enabled", False, unit="switch",
         doc="the Bank of Merit keeps accounts (off: deeds go unrecorded and unrewarded)",
         source="report §3: Hesilu Village, Yiwu"),
    spec("merit.opportunity_rate", 0.02, 0.0, 1.0, "per resident per day",
         "chance that a youth, adult or senior meets an occasion for a good deed",
         "assumption; with the Bank about 4 recorded deeds per household a year, near "
         "Hesilu's >10,000 deeds of 300+ households in ~9 years (Chinanews 2017)"),
    spec("merit.cost", 0.5, 0.0, 5.0, "utility", "cost c of a good deed (time, effort)",
         "assumption"),
    spec("merit.visibility_weight", 0.2, 0.0, 5.0, "utility",
         "gamma: image value of a deed seen by neighbours (times its visibility)",
         "Benabou & Tirole 2006; assumption"),
    spec("merit.choice_noise", 0.1, 0.01, 5.0, "utility",
         "sigma: spread of the logistic deed and gaming decisions", "assumption"),
    spec("merit.points_help", 3.0, 0.0, 1000.0, "points", "points for helping a neighbour",
         "Shangwujiang: +3 for filial care (Rednet 2019)"),
    spec("merit.points_eldercare", 3.0, 0.0, 1000.0, "points", "points for caring for an elder",
         "Shangwujiang: +3 for filial care (Rednet 2019)"),
    spec("merit.points_upkeep", 5.0, 0.0, 1000.0, "points",
         "points for keeping shared spaces", "Zhangjiadian: +5 for a patrol (Huanqiu)"),
    spec("merit.points_mediation", 10.0, 0.0, 1000.0, "points",
         "points for mediating a dispute",
         "Zhangjiadian: +10 for resolving a neighbour dispute (Huanqiu)"),
    spec("merit.table_scale", 1.0, 0.0, 100.0, "ratio",
         "multiplier of the preset point table (0: a table worth nothing)",
         "report §3: 'pre-set criteria'"),
    spec("merit.self_claim", 0.6, 0.0, 1.0, "probability",
         "chance that the doer claims a deed", "report §3: claimed by oneself; assumption"),
    spec("merit.peer_claim", 0.3, 0.0, 1.0, "probability",
         "chance that others claim a deed the doer did not claim",
         "report §3: or by others; assumption"),
    spec("merit.retro_share", 0.2, 0.0, 1.0, "share", "share of claims filed retroactively",
         "report §3: claims can be filed retroactively; assumption"),
    spec("merit.retro_lag", 60.0, 1.0, 3650.0, "days",
         "mean lag of a retroactive claim (geometric)", "assumption"),
    spec("merit.parties", 4, 1, 4, "parties",
         "assessing parties: the first k of party branch, villagers' committee, "
         "supervisory committee, villager representatives", "report §3: four parties"),
    spec("merit.quorum", 0.75, 0.01, 1.0, "share of parties",
         "approvals a claim needs, as a share of the parties (strictness)",
         "assumption: 3 of 4"),
    spec("merit.detection", 0.5, 0.0, 1.0, "probability",
         "chance that a party rejects a false claim", "assumption"),
    spec("merit.false_rejection", 0.1, 0.0, 1.0, "probability",
         "chance that a party rejects a true claim", "assumption"),
    spec("merit.publication_interval", 91, 1, 3650, "days",
         "days between publications of all points", "report §3: quarterly"),
    spec("merit.discount", 0.005, 0.0, 1.0, "per day",
         "residents' discounting of points that count only once published",
         "assumption (about 0.8 for half a quarter)"),
    spec("merit.reward_value", 0.05, 0.0, 10.0, "utility per point",
         "beta: value of a point whose material uses (loans, homestead) are all open",
         "assumption"),
    spec("merit.image_value", 0.01, 0.0, 10.0, "utility per point",
         "value of a published point as public image", "Benabou & Tirole 2006; assumption"),
    spec("merit.loan_weight", 0.5, 0.0, 1.0, "probability",
         "rise of the loan approval probability at credit_points published points",
         "report §3: points count in bank loan applications"),
    spec("merit.credit_points", 20.0, 1.0, 100_000.0, "points",
         "published points that give the full loan bonus",
         "scaled from Shangwujiang: >50 points give a village credit guarantee"),
    spec("merit.loan_rate", 0.001, 0.0, 1.0, "per resident per day",
         "chance that a youth or adult applies for a loan", "assumption"),
    spec("merit.loan_relief", 0.05, 0.0, 1.0, "hardship", "hardship removed by a loan",
         "assumption"),
    spec("merit.homestead_weight", 0.5, 0.0, 1.0, "weight",
         "weight of points against need in homestead allocation",
         "report §3: points count in homestead allocation"),
    spec("merit.homesteads", 2.0, 0.0, 1000.0, "per 1,000 residents per year",
         "homestead plots allocated", "assumption"),
    spec("merit.homestead_relief", 0.1, 0.0, 1.0, "hardship",
         "lasting hardship relief of every member of a household given a plot", "assumption"),
    spec("merit.migrants_eligible", False, unit="switch",
         doc="migrant households may be allocated homesteads",
         source="literature notes §1.2: homesteads mostly go to hukou villagers"),
    spec("merit.exemplar", True, unit="switch",
         doc="the year's top scorer becomes 'Outstanding Contributor of the Year'",
         source="report §3"),
    spec("merit.emulation", 0.1, 0.0, 1.0, "share",
         "pull of the exemplar on the motivation of residents tied to them (times w)",
         "Bandura 1977 (social learning); assumption"),
    spec("merit.crowding_out", 0.0, 0.0, 1.0, "share per reward",
         "kappa: loss of intrinsic motivation towards the floor when rewarded",
         "Frey & Oberholzer-Gee 1997; Gneezy & Rustichini 2000; uncertainty"),
    spec("merit.crowding_in", 0.0, 0.0, 1.0, "share per reward",
         "kappa': gain of intrinsic motivation when rewarded by a panel with peers",
         "Frey 1997; Bowles & Polania-Reyes 2012; uncertainty"),
    spec("merit.motivation_floor", 0.0, 0.0, 1.0, "motivation",
         "intrinsic motivation left after complete crowding-out", "assumption"),
    spec("merit.gaming_rate", 0.002, 0.0, 1.0, "per resident per day",
         "chance that a resident considers a false claim", "assumption"),
    spec("merit.exposure_cost", 0.3, 0.0, 10.0, "utility",
         "expected shame of a false claim that is detected", "assumption"),
    spec("merit.exposure_damage", 0.1, 0.0, 1.0, "share",
         "share of strength a claimant's non-kin ties lose when a false claim is detected",
         "assumption"),
    spec("merit.deed_gain", 0.3, 0.0, 1.0, "share",
         "strengthening of the tie between doer and beneficiary: w += gain (1 - w)",
         "assumption (a deed counts for more than a contact)"),
    spec("merit.help_relief", 0.02, 0.0, 1.0, "hardship",
         "hardship removed by help when no need is pending", "assumption"),
    spec("merit.upkeep_relief", 0.002, 0.0, 1.0, "hardship",
         "hardship removed for every resident of the ward by one upkeep deed", "assumption"),
])


def votes_needed(parties: int, quorum: float) -> int:
    """Approvals a claim needs: ``ceil(quorum * parties)``, at least 1.

    Example
    -------
    >>> [votes_needed(4, q) for q in (0.25, 0.5, 0.75, 1.0)]
    [1, 2, 3, 4]
    """
    return max(1, math.ceil(quorum * parties - 1e-9))


def acceptance_probability(parties: int, needed: int, approve: float) -> float:
    """P(at least ``needed`` of ``parties`` independent parties approve).

    The binomial tail ``sum_{j >= needed} C(k, j) a^j (1 - a)^(k - j)``.

    Example
    -------
    >>> acceptance_probability(4, 3, 0.5)
    0.3125
    """
    return float(sum(math.comb(parties, j) * approve**j * (1 - approve)**(parties - j)
                     for j in range(needed, parties + 1)))


def deed_probability(motivation: np.ndarray, visibility: np.ndarray, reward: np.ndarray,
                     cost: float, noise: float) -> np.ndarray:
    """Probability that a resident does a good deed when the occasion arises.

    ``P = logistic((m + gamma v + E - c) / sigma)``, the logistic form of the threshold
    rule ``a = 1[m + beta E[reward] + gamma visibility - c > 0]`` (literature notes §1.2).

    Parameters
    ----------
    motivation : array
        Intrinsic motivation m (prosociality).
    visibility : array
        Image value gamma v of the deed among neighbours.
    reward : array
        Expected value E of the points the deed would earn (0 without the Bank).
    cost, noise : float
        Cost c and decision noise sigma.

    Returns
    -------
    array
        Probabilities in (0, 1).

    Example
    -------
    >>> float(deed_probability(np.array([0.5]), np.array([0.0]), np.array([0.0]), 0.5, 0.1)[0])
    0.5
    """
    return logistic((motivation + visibility + reward - cost) / noise)


def gini(x: np.ndarray) -> float:
    """Gini coefficient of non-negative values, 0 when all are zero.

    ``G = 2 sum_i i x_(i) / (n sum x) - (n + 1) / n`` over the values sorted ascending.

    Example
    -------
    >>> gini(np.array([0.0, 0.0, 0.0, 4.0]))
    0.75
    """
    total = float(x.sum())
    n = len(x)
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    # rounding can leave a tiny negative value for equal accounts
    return max(0.0, float(2.0 * (ranks * np.sort(x)).sum() / (n * total) - (n + 1) / n))


class PeerMediator(Mediator):
    """A contact of a party who steps in to mediate (a good deed of kind ``mediation``).

    For each dispute a random contact of the first party (not the other party, not a
    child) is asked; they mediate with :func:`deed_probability`. Parties trust a peer
    mediator as they trust residents in general (social trust).
    """

    name = "peer mediator"
    priority = 8

    def __init__(self, model, bank: BankOfMerit):
        super().__init__(model)
        self.bank = bank
        self.chosen: dict[tuple[int, int], int] = {}

    def capacity(self, community: int) -> int:
        # every willing contact mediates the one dispute they were asked into
        return self.model.state.n

    def eligible(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        m, bank = self.model, self.bank
        rng = m.rng
        indptr, indices, _ = m.ties.adjacency()
        if len(indices) == 0:
            return np.zeros(len(u), dtype=bool)
        deg = np.diff(indptr)[u]
        j = indptr[u] + (rng.random(len(u)) * deg).astype(np.int64)
        peer = np.where(deg > 0, indices[np.minimum(j, len(indices) - 1)], -1)
        ok = (deg > 0) & (peer != v)
        ok[ok] = bank.active[peer[ok]]
        prob = np.zeros(len(u))
        prob[ok] = bank.decide(peer[ok], np.full(int(ok.sum()), MEDIATION))
        willing = ok & (rng.random(len(u)) < prob)
        for a, b, c in zip(u[willing].tolist(), v[willing].tolist(), peer[willing].tolist(),
                           strict=True):
            self.chosen[(a, b)] = c
        return willing

    def trust(self, rows: np.ndarray) -> np.ndarray:
        return self.model.state.social_trust[rows]

    def on_outcome(self, u: np.ndarray, v: np.ndarray, success: np.ndarray) -> None:
        peers = [self.chosen[(a, b)] for a, b in zip(u.tolist(), v.tolist(), strict=True)]
        self.bank.mediations.append((np.array(peers, dtype=np.int64), u.copy(), v.copy()))


@register_institution
class BankOfMerit(Institution):
    """Accounts of good deeds, four-party assessment, quarterly publication, loans,
    homesteads and the exemplar of the year (see the module docstring)."""

    name = "merit"
    hooks = ("start_of_day", "after_needs", "after_interaction", "end_of_day")
    measures = tuple(measure(n, k) for n, k in (
        ("merit_deeds", "day"), ("merit_claims", "day"), ("merit_accepted", "day"),
        ("merit_false_claims", "day"), ("merit_false_accepted", "day"),
        ("merit_points_mean", "state"), ("merit_points_gini", "state"),
        ("merit_points_gap", "state"), ("merit_motivation_mean", "state"),
        ("merit_loans", "day"), ("merit_homesteads_total", "total"),
        ("merit_exemplars_total", "total"), ("merit_weighted_degree_mean", "state")))

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        n = st.n
        # the Bank's own draws (claims, votes, gaming) come from a child stream of the
        # dynamics, so that both arms of a comparison share every other draw
        self.stream = np.random.default_rng(m.rng.bit_generator.seed_seq.spawn(1)[0])
        self.table = p.table_scale * np.array([p.points_help, p.points_eldercare,
                                               p.points_upkeep, p.points_mediation])
        self.active = st.age_group >= 1
        self.borrower = (st.age_group == 1) | (st.age_group == 2)
        self.home_eligible = (st.origin == ESTABLISHED) | bool(p.migrants_eligible)
        self.n_households = int(st.household.max()) + 1
        self.homestead = np.zeros(self.n_households, dtype=bool)
        seniors = np.nonzero(st.age_group == 3)[0]      # rows are ordered by ward
        self.seniors = seniors
        self.senior_start = np.searchsorted(st.ward[seniors],
                                            np.arange(len(m.community.ward_start)))
        self.needed = votes_needed(p.parties, p.quorum)
        p_true = acceptance_probability(p.parties, self.needed, 1.0 - p.false_rejection)
        self.p_false = acceptance_probability(p.parties, self.needed, 1.0 - p.detection)
        wait = math.exp(-p.discount * p.publication_interval / 2.0)
        p_claim = 1.0 - (1.0 - p.self_claim) * (1.0 - p.peer_claim)
        # E = factor * table_k * (image + beta * value_i): the chance of being claimed and
        # accepted, discounted for the mean wait until publication
        self.true_factor = wait * p_claim * p_true if p.enabled else 0.0
        self.false_factor = wait * self.p_false if p.enabled else 0.0
        self.published = np.zeros(n)
        self.year_start = np.zeros(n)
        self.accepted = np.zeros((n, len(DEEDS)), dtype=np.int64)
        self.publications: list[int] = []
        self.exemplars: list[tuple[int, int]] = []
        self.q_doer = np.zeros(0, dtype=np.int64)
        self.q_kind = np.zeros(0, dtype=np.int64)
        self.q_true = np.zeros(0, dtype=bool)
        self.q_due = np.zeros(0, dtype=np.int64)
        self.mediations: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.bonds: list[tuple[np.ndarray, np.ndarray, int]] = []
        self.allocated = 0
        self._reset()
        self.bank = next((o for o in m.private_orgs if o.role == "bank"), None)
        if self.bank is None:
            self.bank = m.add_org("PrivateOrg", "village bank", role="bank",
                                  services=("loans",),
                                  links=tuple((c.node, "serves", 0.3) for c in m.committees))
        self.bank.loans = 0
        self.mediator = PeerMediator(m, self)
        m.disputes.mediators.append(self.mediator)
        if p.enabled:
            mandate = "assesses merit claims: " + ", ".join(PARTIES[:p.parties])
            for c, committee in enumerate(m.committees):
                m.add_org("SelfGovernanceOrg", f"merit assessment panel {c + 1}",
                          role="merit panel", community=c, members=committee.members,
                          mandate=mandate, links=((committee.node, "member", 1.0),))

    def _reset(self) -> None:
        self.doers: list[np.ndarray] = []
        self.kinds: list[np.ndarray] = []
        self.counts = dict.fromkeys(("deeds", "claims", "accepted", "false", "false_accepted",
                                     "loans"), 0)

    # -- residents' choices ------------------------------------------------------------
    def value(self, rows: np.ndarray) -> np.ndarray:
        """Weighted share of the material uses of points open to each resident:
        ``loan_weight * borrower + homestead_weight * eligible * (no plot yet)``."""
        st, p = self.model.state, self.p
        home = self.home_eligible[rows] & ~self.homestead[st.household[rows]]
        return p.loan_weight * self.borrower[rows] + p.homestead_weight * home

    def expected_reward(self, rows: np.ndarray, kinds: np.ndarray,
                        false: bool = False) -> np.ndarray:
        """E: expected utility of the points a (true or false) claim of kind k earns,
        ``P(claimed) P(accepted) exp(-delta T / 2) table_k (image + beta value_i)``."""
        factor = self.false_factor if false else self.true_factor
        p = self.p
        return factor * self.table[kinds] * (p.image_value + p.reward_value * self.value(rows))

    def decide(self, rows: np.ndarray, kinds: np.ndarray) -> np.ndarray:
        """Probability that each resident does the deed of kind k now."""
        p = self.p
        return deed_probability(self.model.state.prosociality[rows],
                                p.visibility_weight * VISIBILITY[kinds],
                                self.expected_reward(rows, kinds), p.cost, p.choice_noise)

    # -- the day -------------------------------------------------------------------------
    def start_of_day(self) -> None:
        self._reset()

    def after_needs(self) -> None:
        """Occasions for helping, elder care and upkeep; residents decide and act."""
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        occ = np.nonzero((rng.random(st.n) < p.opportunity_rate) & self.active)[0]
        k = len(occ)
        kind = np.searchsorted(np.cumsum(OCCASIONS), rng.random(k) * OCCASIONS.sum(),
                               side="right")
        pick, draw = rng.random(k), rng.random(k)
        target = self._targets(occ, kind, pick)
        valid = (target >= 0) | (kind == UPKEEP)
        do = valid & (draw < self.decide(occ, kind))
        doers, kind, target = occ[do], kind[do], target[do]
        self._record(doers, kind)
        care = kind != UPKEEP
        self.bonds.append((doers[care], target[care], NEIGHBOUR))
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
        self.doers.append(doers)
        self.kinds.append(np.asarray(kinds, dtype=np.int64))
        self.counts["deeds"] += len(doers)

    def _bond(self, a: np.ndarray, b: np.ndarray, kind: int) -> None:
        """A deed between a and b: their tie is strengthened, or formed and strengthened;
        both gain trust as in a positive contact (more across origins)."""
        if len(a) == 0:
            return
        m, p = self.model, self.p
        st, t, q = m.state, m.ties, m.params.section("interaction")
        found = t.find(a, b)
        have = found >= 0
        t.w[found[have]] += p.deed_gain * (1.0 - t.w[found[have]])
        fresh = q.new_tie_strength + p.deed_gain * (1.0 - q.new_tie_strength)
        t.add(a[~have], b[~have], fresh, kind)
        cross = st.origin[a] != st.origin[b]
        dtrust = q.trust_gain * (1.0 + q.bridging_bonus * cross)
        np.add.at(st.social_trust, a, dtrust)
        np.add.at(st.social_trust, b, dtrust)

    def after_interaction(self) -> None:
        """The day's deeds bond doers and beneficiaries; peer mediations are deeds whose
        mediator bonds with both parties. Ties change only now: the dispute pipeline has
        used its edge indices, and the tie index built for the day stays valid until the
        day's own tie changes."""
        for peers, u, v in self.mediations:
            self._record(peers, np.full(len(peers), MEDIATION))
            self.bonds.extend([(peers, u, FRIEND), (peers, v, FRIEND)])
        for a, b, kind in self.bonds:
            self._bond(a, b, kind)
        self.mediations = []
        self.bonds = []
        self.mediator.chosen.clear()

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        step = m.day + 1
        self._loans()
        self._homestead()
        if not p.enabled:
            return
        doers = np.concatenate(self.doers) if self.doers else np.zeros(0, dtype=np.int64)
        kinds = np.concatenate(self.kinds) if self.kinds else np.zeros(0, dtype=np.int64)
        self._claim(doers, kinds, step)
        self._game(step)
        self._assess(step)
        if step % p.publication_interval == 0:
            self.published = m.state.points.copy()
            self.publications.append(step)
        if step % YEAR == 0:
            self._exemplar(step)

    # -- claims and assessment -----------------------------------------------------------
    def _queue(self, doers: np.ndarray, kinds: np.ndarray, true: bool, step: int) -> None:
        p, s = self.p, self.stream
        retro = s.random(len(doers)) < p.retro_share
        lag = np.where(retro, s.geometric(1.0 / p.retro_lag, size=len(doers)), 0)
        self.q_doer = np.concatenate([self.q_doer, doers])
        self.q_kind = np.concatenate([self.q_kind, kinds])
        self.q_true = np.concatenate([self.q_true, np.full(len(doers), true)])
        self.q_due = np.concatenate([self.q_due, step + lag])

    def _claim(self, doers: np.ndarray, kinds: np.ndarray, step: int) -> None:
        """Deeds are claimed by the doer, or else by others (the beneficiary, witnesses)."""
        p = self.p
        u = self.stream.random(len(doers))
        claimed = u < 1.0 - (1.0 - p.self_claim) * (1.0 - p.peer_claim)
        self._queue(doers[claimed], kinds[claimed], True, step)

    def _game(self, step: int) -> None:
        """False claims: a resident weighs the points against their motivation (as a moral
        norm) and the expected shame of being found out."""
        m, p, s = self.model, self.p, self.stream
        rows = np.nonzero((s.random(m.state.n) < p.gaming_rate) & self.active)[0]
        kinds = s.integers(len(DEEDS), size=len(rows))
        gain = self.expected_reward(rows, kinds, false=True)
        shame = p.exposure_cost * (1.0 - self.p_false)
        prob = logistic((gain - m.state.prosociality[rows] - shame) / p.choice_noise)
        file = (gain > 0) & (s.random(len(rows)) < prob)
        self.counts["false"] += int(file.sum())
        self._queue(rows[file], kinds[file], False, step)

    def _assess(self, step: int) -> None:
        """The parties vote on the claims due today; accepted claims earn points."""
        m, p = self.model, self.p
        st = m.state
        due = self.q_due == step
        if not due.any():
            return
        doer, kind, true = self.q_doer[due], self.q_kind[due], self.q_true[due]
        keep = ~due
        self.q_doer, self.q_kind = self.q_doer[keep], self.q_kind[keep]
        self.q_true, self.q_due = self.q_true[keep], self.q_due[keep]
        approve = np.where(true, 1.0 - p.false_rejection, 1.0 - p.detection)
        votes = (self.stream.random((len(doer), p.parties)) < approve[:, None]).sum(axis=1)
        ok = votes >= self.needed
        self.counts["claims"] += len(doer)
        self.counts["accepted"] += int(ok.sum())
        self.counts["false_accepted"] += int((ok & ~true).sum())
        np.add.at(self.accepted, (doer[ok], kind[ok]), 1)
        np.add.at(st.points, doer[ok], self.table[kind[ok]])
        self._crowd(doer[ok & (self.table[kind] > 0)])
        exposed = np.unique(doer[~ok & ~true])
        if len(exposed):
            t = m.ties
            hit = (np.isin(t.u, exposed) | np.isin(t.v, exposed)) & (t.kind != KIN)
            t.w[hit] *= 1.0 - p.exposure_damage

    def _crowd(self, rows: np.ndarray) -> None:
        """Crowding-out (and, with villager representatives on the panel, crowding-in) of
        the motivation of residents rewarded today, once per reward."""
        if len(rows) == 0:
            return
        p, st = self.p, self.model.state
        rows, times = np.unique(rows, return_counts=True)
        m = st.prosociality[rows]
        floor = p.motivation_floor
        keep = (1.0 - p.crowding_out * self.value(rows)) ** times
        m = np.where(m > floor, floor + (m - floor) * keep, m)
        if p.parties == len(PARTIES):
            m = 1.0 - (1.0 - m) * (1.0 - p.crowding_in) ** times
        st.prosociality[rows] = m

    # -- uses of points --------------------------------------------------------------------
    def _loans(self) -> None:
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        apply = np.nonzero((rng.random(st.n) < p.loan_rate) & self.borrower)[0]
        bonus = p.loan_weight * np.minimum(1.0, self.published[apply] / p.credit_points)
        ok = apply[rng.random(len(apply)) < st.means[apply] + bonus]
        st.hardship[ok] = np.maximum(st.hardship[ok] - p.loan_relief, 0.0)
        self.counts["loans"] = len(ok)
        self.bank.loans += len(ok)

    def _homestead(self) -> None:
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        if rng.random() >= p.homesteads * st.n / 1000.0 / YEAR:
            return
        hh = st.household
        size = np.bincount(hh, minlength=self.n_households)
        elig = np.bincount(hh, weights=self.home_eligible, minlength=self.n_households) > 0
        cand = np.nonzero(elig & ~self.homestead)[0]
        if len(cand) == 0:
            return
        need = np.bincount(hh, weights=st.hardship, minlength=self.n_households)[cand] / \
            size[cand]
        pts = np.bincount(hh, weights=self.published, minlength=self.n_households)[cand]
        top = pts.max()
        score = (1.0 - p.homestead_weight) * need + \
            p.homestead_weight * (pts / top if top > 0 else 0.0)
        h = cand[np.lexsort((need, score))[-1]]
        self.homestead[h] = True
        members = hh == h
        st.hardship[members] = np.maximum(st.hardship[members] - p.homestead_relief, 0.0)
        st.hardship0[members] = np.maximum(st.hardship0[members] - p.homestead_relief, 0.0)
        self.allocated += 1

    def _exemplar(self, step: int) -> None:
        """The year's top scorer becomes the exemplar; residents tied to them emulate."""
        m, p, st = self.model, self.p, self.model.state
        gained = st.points - self.year_start
        self.year_start = st.points.copy()
        if not p.exemplar or gained.max() <= 0:
            return
        top = int(np.argmax(gained))
        self.exemplars.append((step, top))
        indptr, indices, eidx = m.ties.adjacency()
        nb = indices[indptr[top]:indptr[top + 1]]
        w = m.ties.w[eidx[indptr[top]:indptr[top + 1]]]
        st.prosociality[nb] += p.emulation * w * (1.0 - st.prosociality[nb])

    # -- measures --------------------------------------------------------------------------
    def metrics(self) -> dict[str, float]:
        """Today's deeds, claims and loans; the state of the accounts and of the ties
        (``merit_weighted_degree_mean``: mean sum of a resident's tie strengths)."""
        st = self.model.state
        pts = st.points
        est = st.origin == ESTABLISHED
        n_est, n_mig = int(est.sum()), int((~est).sum())
        gap = (pts[est].sum() / n_est if n_est else 0.0) - \
            (pts[~est].sum() / n_mig if n_mig else 0.0)
        c = self.counts
        return {"merit_deeds": c["deeds"], "merit_claims": c["claims"],
                "merit_accepted": c["accepted"], "merit_false_claims": c["false"],
                "merit_false_accepted": c["false_accepted"],
                "merit_points_mean": float(pts.mean()), "merit_points_gini": gini(pts),
                "merit_points_gap": float(gap),
                "merit_motivation_mean": float(st.prosociality.mean()),
                "merit_loans": c["loans"], "merit_homesteads_total": self.allocated,
                "merit_exemplars_total": len(self.exemplars),
                "merit_weighted_degree_mean": 2.0 * float(self.model.ties.w.sum()) / st.n}
