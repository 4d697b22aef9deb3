"""The Bank of Merit ("Gongdeyinhang") of Hesilu Village, Yiwu, Zhejiang (report §3).

"Each villager has an account in the Bank, keeping a record of his/her good words and deeds
as claimed by oneself or by others. Such claims can also be filed retroactively. The record
is then reverted to points according to certain pre-set criteria. All villagers' points are
published in the form of quarterly report, a document that functions as an important
criterion for bank loan application and homestead allocation. Assessment of points are
conducted by four parties [...]. The villager accumulating the highest points within a year
is recognized as 'Outstanding Contributor of the Year'." By 2017 more than 10,000 deeds of
300+ households were on record (Chinanews 2017).

The deeds themselves are a baseline process (:mod:`govsim.processes.deeds`, switched on
by ``deeds.enabled`` in both arms of the ``bank_of_merit`` scenario): residents do good
deeds from intrinsic motivation and visibility whether or not anyone keeps accounts. The
Bank plugs into it at two named points: it adds the expected value E of its points to the
deed decision (:meth:`~govsim.processes.deeds.Deeds.add_reward`), and at the end of the
day it reads the day's deeds (``model.deeds.today_doers`` / ``today_kinds``) to be
claimed. Without the deed process there are no deeds to claim, only false claims.

Rules, with their formulas and sources: docs/ODD.md, section 7.12, and each method's
docstring below. Crowding-out and crowding-in of motivation by rewards are uncertainties
(``crowding_out = 0`` is a pure incentive model).
"""

from __future__ import annotations

import math

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.deeds import KINDS
from govsim.processes.rules import logistic, votes_needed
from govsim.state import ESTABLISHED, KIN

__all__ = ["BankOfMerit", "PARTIES", "YEAR", "acceptance_probability", "gini"]

PARTIES = ("village party branch committee", "villagers' committee",
           "village affairs supervisory committee", "voluntary villager representatives")
YEAR = 365
_COUNTS = ("claims", "accepted", "false", "false_accepted", "loans")

register([
    spec("merit.enabled", False, unit="switch",
         doc="the Bank of Merit keeps accounts (off: deeds go unrecorded and unrewarded)",
         source="report §3: Hesilu Village, Yiwu"),
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
])


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


@register_institution
class BankOfMerit(Institution):
    """Accounts of good deeds, four-party assessment, quarterly publication, loans,
    homesteads and the exemplar of the year (see the module docstring)."""

    name = "merit"
    hooks = ("end_of_day",)
    measures = (
        measure("merit_claims", "day", "claims assessed today", "claims"),
        measure("merit_accepted", "day", "claims accepted today", "claims"),
        measure("merit_false_claims", "day", "false claims filed today", "claims", "lower"),
        measure("merit_false_accepted", "day", "false claims accepted today", "claims",
                "lower"),
        measure("merit_points_mean", "state", "mean points in the accounts", "points"),
        measure("merit_points_gini", "state", "Gini coefficient of the accounts", "index 0-1"),
        measure("merit_points_gap", "state", "mean points of established residents minus "
                "migrants'", "points"),
        measure("merit_loans", "day", "loans approved today", "loans"),
        measure("merit_homesteads_total", "total", "homestead plots allocated so far",
                "plots"),
        measure("merit_exemplars_total", "total", "Outstanding Contributors named so far",
                "residents"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        n = st.n
        # the Bank's own draws (claims, votes, gaming) come from a child stream of the
        # dynamics, so that both arms of a comparison share every other draw
        self.stream = np.random.default_rng(m.rng.bit_generator.seed_seq.spawn(1)[0])
        self.table = p.table_scale * np.array([p.points_help, p.points_eldercare,
                                               p.points_upkeep, p.points_mediation])
        self.claimant = st.age_group >= 1
        self.borrower = (st.age_group == 1) | (st.age_group == 2)
        self.home_eligible = (st.origin == ESTABLISHED) | bool(p.migrants_eligible)
        self.n_households = int(st.household.max()) + 1
        self.homestead = np.zeros(self.n_households, dtype=bool)
        self.noise = m.params["deeds.choice_noise"]
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
        self.publications: list[int] = []
        self.exemplars: list[tuple[int, int]] = []
        self.q_doer = np.zeros(0, dtype=np.int64)
        self.q_kind = np.zeros(0, dtype=np.int64)
        self.q_true = np.zeros(0, dtype=bool)
        self.q_due = np.zeros(0, dtype=np.int64)
        self.allocated = 0
        self.counts = dict.fromkeys(_COUNTS, 0)
        self.bank = next((o for o in m.private_orgs if o.role == "bank"), None)
        if self.bank is None:
            self.bank = m.add_org("PrivateOrg", "village bank", role="bank",
                                  services=("loans",),
                                  links=tuple((c.node, "serves", 0.3) for c in m.committees))
        if p.enabled:
            if m.deeds is not None:
                m.deeds.add_reward(self.expected_reward)
            mandate = "assesses merit claims: " + ", ".join(PARTIES[:p.parties])
            for c, committee in enumerate(m.committees):
                m.add_org("SelfGovernanceOrg", f"merit assessment panel {c + 1}",
                          role="merit panel", community=c, members=committee.members,
                          mandate=mandate, links=((committee.node, "member", 1.0),))

    def new_day(self) -> None:
        self.counts = dict.fromkeys(_COUNTS, 0)

    # -- residents' expectations -------------------------------------------------------
    def value(self, rows: np.ndarray) -> np.ndarray:
        """Weighted share of the material uses of points open to each resident:
        ``loan_weight * borrower + homestead_weight * eligible * (no plot yet)``."""
        st, p = self.model.state, self.p
        home = self.home_eligible[rows] & ~self.homestead[st.household[rows]]
        return p.loan_weight * self.borrower[rows] + p.homestead_weight * home

    def expected_reward(self, rows: np.ndarray, kinds: np.ndarray,
                        false: bool = False) -> np.ndarray:
        """E: expected utility of the points a (true or false) claim of kind k earns,
        ``P(claimed) P(accepted) exp(-delta T / 2) table_k (image + beta value_i)``.

        The Bank's reward in the deed decision (:meth:`Deeds.add_reward
        <govsim.processes.deeds.Deeds.add_reward>`)."""
        factor = self.false_factor if false else self.true_factor
        p = self.p
        return factor * self.table[kinds] * (p.image_value + p.reward_value * self.value(rows))

    # -- the day -------------------------------------------------------------------------
    def end_of_day(self) -> None:
        """Loans and homesteads (both arms); with the Bank on, the day's deeds are claimed,
        false claims filed, due claims assessed, points published and the exemplar named."""
        m, p = self.model, self.p
        step = m.day + 1
        self._loans()
        self._homestead()
        if not p.enabled:
            return
        if m.deeds is not None:
            self._claim(m.deeds.today_doers, m.deeds.today_kinds, step)
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
        norm) and the expected shame of being found out, filing with probability
        ``logistic((E_false - m_i - exposure_cost P(detected)) / sigma)``."""
        m, p, s = self.model, self.p, self.stream
        rows = np.nonzero((s.random(m.state.n) < p.gaming_rate) & self.claimant)[0]
        kinds = s.integers(len(KINDS), size=len(rows))
        gain = self.expected_reward(rows, kinds, false=True)
        shame = p.exposure_cost * (1.0 - self.p_false)
        prob = logistic((gain - m.state.prosociality[rows] - shame) / self.noise)
        file = (gain > 0) & (s.random(len(rows)) < prob)
        self.counts["false"] += int(file.sum())
        self._queue(rows[file], kinds[file], False, step)

    def _assess(self, step: int) -> None:
        """The first ``parties`` parties vote on the claims due today: a claim is accepted
        with ``ceil(quorum * parties)`` approvals; a detected false claim costs the
        claimant's non-kin ties ``exposure_damage`` of their strength."""
        m, p = self.model, self.p
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
        self.credit(doer[ok], kind[ok])
        exposed = np.unique(doer[~ok & ~true])
        if len(exposed):
            t = m.ties
            hit = (np.isin(t.u, exposed) | np.isin(t.v, exposed)) & (t.kind != KIN)
            t.w[hit] *= 1.0 - p.exposure_damage

    def credit(self, rows: np.ndarray, kinds: np.ndarray) -> None:
        """Accepted claims: each adds ``table_k`` points to the doer's account, and each
        reward worth points moves the doer's motivation (:meth:`_crowd`)."""
        np.add.at(self.model.state.points, rows, self.table[kinds])
        self._crowd(rows[self.table[kinds] > 0])

    def _crowd(self, rows: np.ndarray) -> None:
        """Crowding of the motivation of residents rewarded today, once per reward:
        ``m_i <- f + (m_i - f)(1 - crowding_out s_i)`` (Frey & Oberholzer-Gee 1997; Gneezy
        & Rustichini 2000) and, with villager representatives on the panel,
        ``m_i <- m_i + crowding_in (1 - m_i)`` (Frey 1997; Bowles & Polania-Reyes 2012)."""
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
        """Loans at the village bank, approved with probability ``means + loan_weight
        min(1, published / credit_points)``; a loan lowers hardship."""
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        apply = np.nonzero((rng.random(st.n) < p.loan_rate) & self.borrower)[0]
        bonus = p.loan_weight * np.minimum(1.0, self.published[apply] / p.credit_points)
        ok = apply[rng.random(len(apply)) < st.means[apply] + bonus]
        st.hardship[ok] = np.maximum(st.hardship[ok] - p.loan_relief, 0.0)
        self.counts["loans"] = len(ok)

    def _homestead(self) -> None:
        """A plot, when one comes free, goes to the eligible household with the highest
        ``(1 - homestead_weight) need + homestead_weight points / max points``."""
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
        """The year's top earner becomes "Outstanding Contributor of the Year"; residents
        tied to them emulate, ``m_j += emulation w_ij (1 - m_j)`` (Bandura 1977)."""
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
        """Today's claims and loans; the accounts; plots and exemplars so far."""
        st = self.model.state
        pts = st.points
        est = st.origin == ESTABLISHED
        n_est, n_mig = int(est.sum()), int((~est).sum())
        gap = (pts[est].sum() / n_est if n_est else 0.0) - \
            (pts[~est].sum() / n_mig if n_mig else 0.0)
        c = self.counts
        return {"merit_claims": c["claims"], "merit_accepted": c["accepted"],
                "merit_false_claims": c["false"], "merit_false_accepted": c["false_accepted"],
                "merit_points_mean": float(pts.mean()), "merit_points_gini": gini(pts),
                "merit_points_gap": float(gap), "merit_loans": c["loans"],
                "merit_homesteads_total": self.allocated,
                "merit_exemplars_total": len(self.exemplars)}
