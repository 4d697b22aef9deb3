"""Needs arise and residents seek help through channels with capacity.

Each day every resident has a need with probability ``needs.rate``; its domain depends on
the resident's age group. A pending need goes to one channel, chosen by a multinomial
logit over the channels' attractiveness (McFadden 1974): kin and neighbours (weighted by
the resident's social trust and tie strength: social capital, Putnam 2000), the
residents' committee, a social organization of that domain in the community, a private
organization (hospital, employer, realty management) or a government hotline (weighted by
legitimacy). Formal channels serve at most their daily capacity; a need that is refused or
not solved stays pending and is tried again the next day, until it expires after
``needs.patience`` days. A met need lowers hardship. The outcome is an experience
(:mod:`govsim.processes.attitudes`): a need met or failed by a formal channel, or expired,
is a decision whose outcome (not its procedure) the resident sees, so legitimacy moves
towards it; help from kin and neighbours moves social trust towards 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

import numpy as np

from govsim import kernels
from govsim.community import DOMAINS
from govsim.params import register, spec
from govsim.processes.attitudes import experience_trust, observe_decision
from govsim.processes.rules import RollingWindow

if TYPE_CHECKING:
    from govsim.model import CommunityModel

register([
    spec("needs.rate", 0.02, 0.0, 1.0, "per resident per day",
         "probability that a resident develops a new service need on a day",
         "assumption (about 7 needs per resident per year)"),
    spec("needs.patience", 10, 1, 365, "days", "days a need waits before it expires unmet"),
    spec("needs.choice_sensitivity", 4.0, 0.0, 50.0, "1/utility",
         "logit sensitivity of channel choice to attractiveness", "McFadden 1974; assumption"),
    spec("needs.pref_informal", 1.0, 0.0, 5.0, "utility",
         "attractiveness of kin and neighbours (times trust and tie strength)"),
    spec("needs.pref_committee", 0.6, 0.0, 5.0, "utility",
         "attractiveness of the residents' committee (times legitimacy)"),
    spec("needs.pref_social", 0.7, 0.0, 5.0, "utility",
         "attractiveness of a social organization of the need's domain (times legitimacy)"),
    spec("needs.pref_private", 0.5, 0.0, 5.0, "utility",
         "attractiveness of a private organization (times means)"),
    spec("needs.pref_government", 0.5, 0.0, 5.0, "utility",
         "attractiveness of a government hotline (times legitimacy)"),
    spec("needs.informal_strength", 0.25, 0.0, 10.0, "1/tie strength",
         "informal success p = 1 - exp(-k * weighted degree) for suitable domains"),
    spec("needs.committee_capacity", 2.0, 0.0, 1000.0, "per 1,000 residents per day",
         "needs a committee can take on per day"),
    spec("needs.committee_quality", 0.6, 0.0, 1.0, "probability",
         "probability that the committee solves a need it takes on"),
    spec("needs.social_capacity", 1.5, 0.0, 1000.0, "per 1,000 residents per day",
         "needs the social organizations of a community can take on per day (all domains)"),
    spec("needs.social_quality", 0.7, 0.0, 1.0, "probability",
         "initial quality of social organizations"),
    spec("needs.private_capacity", 1.0, 0.0, 1000.0, "per 1,000 residents per day",
         "needs each private service (hospital, employer, realty) can take per day"),
    spec("needs.private_quality", 0.8, 0.0, 1.0, "probability",
         "probability that a private organization solves a need it takes on"),
    spec("needs.met_relief", 0.04, 0.0, 1.0, "hardship", "hardship removed by a met need"),
    spec("needs.unmet_burden", 0.04, 0.0, 1.0, "hardship",
         "hardship added when a need expires unmet"),
    spec("needs.informal_saturation", 3.0, 0.1, 100.0, "tie strength",
         "weighted degree at which kin and neighbours are as attractive as they get "
         "(attractiveness grows with min(1, weighted degree / saturation))", "assumption"),
    spec("needs.informal_professional", 0.5, 0.0, 1.0, "ratio",
         "informal help's success in professional domains (health, housing) relative "
         "to the others", "assumption"),
    # domain shares of a new need by age group, over DOMAINS: health, education,
    # employment, eldercare, culture, housing, safety, environment
    spec("needs.domains_child", (0.30, 0.45, 0.00, 0.00, 0.15, 0.05, 0.03, 0.02), 0.0, 1.0,
         "shares", "domains of children's needs (health, education, employment, "
         "eldercare, culture, housing, safety, environment)", "assumption"),
    spec("needs.domains_youth", (0.15, 0.35, 0.25, 0.00, 0.15, 0.05, 0.03, 0.02), 0.0, 1.0,
         "shares", "domains of youths' needs (as needs.domains_child)", "assumption"),
    spec("needs.domains_adult", (0.20, 0.05, 0.30, 0.05, 0.10, 0.20, 0.05, 0.05), 0.0, 1.0,
         "shares", "domains of working-age adults' needs (as needs.domains_child)",
         "assumption"),
    spec("needs.domains_senior", (0.40, 0.00, 0.00, 0.35, 0.10, 0.08, 0.04, 0.03), 0.0, 1.0,
         "shares", "domains of seniors' needs (as needs.domains_child)", "assumption"),
])

# channel kinds
INFORMAL, GOVERNMENT, COMMITTEE, SOCIAL, PRIVATE = range(5)
CHANNEL_NAMES = ("informal", "government", "committee", "social", "private")
_PRIVATE_FOR = {"health": "hospital", "employment": "employer", "housing": "realty"}


class Pending(NamedTuple):
    """The needs waiting for help, one entry per need, oldest first per resident."""

    #: the resident (row) who has the need
    resident: np.ndarray
    #: its domain (index into :data:`govsim.community.DOMAINS`)
    domain: np.ndarray
    #: days it has waited
    waited: np.ndarray


class Needs:
    """Pending needs (arrays) and the help-seeking rule."""

    def __init__(self, model: CommunityModel):
        self.model = model
        self.res = np.zeros(0, dtype=np.int64)
        self.dom = np.zeros(0, dtype=np.int8)
        self.age = np.zeros(0, dtype=np.int32)
        #: needs taken on by the last call of serve_pending
        self.last_taken = 0
        self._tables(model)
        p = model.params.section("needs")
        shares = np.array([p.domains_child, p.domains_youth, p.domains_adult,
                           p.domains_senior])
        self.domain_cdf = np.cumsum(shares / shares.sum(axis=1, keepdims=True), axis=1)
        days = model.params["metrics.window_days"]
        self.window_met = RollingWindow(days, (2,))
        self.window_closed = RollingWindow(days, (2,))
        # by (age group, domain), for services aimed at one group's needs of one domain
        self.window_met_cell = RollingWindow(days, (4, len(DOMAINS)))
        self.window_closed_cell = RollingWindow(days, (4, len(DOMAINS)))

    @property
    def pending(self) -> Pending:
        """The needs waiting for help now (read-only views)."""
        return Pending(self.res, self.dom, self.age)

    def _tables(self, model: CommunityModel) -> None:
        """Channel lookups: which organization serves a (community, domain)."""
        st = model.state
        n_comm = int(st.community.max()) + 1
        self.n_comm = n_comm
        self.social_of = [[[] for _ in DOMAINS] for _ in range(n_comm)]
        for org in model.social_orgs:
            if org.channel and org.domain in DOMAINS and org.community is not None:
                self.social_of[org.community][DOMAINS.index(org.domain)].append(org)
        self.private_of: dict[tuple[int, int], list] = {}
        for org in model.private_orgs:
            if not org.channel:
                continue
            for d, role in _PRIVATE_FOR.items():
                if org.role == role:
                    comms = range(n_comm) if org.community is None else [org.community]
                    for c in comms:
                        self.private_of.setdefault((c, DOMAINS.index(d)), []).append(org)

    def refresh_channels(self) -> None:
        """Rebuild the channel lookups (``model.add_org`` calls it for a new channel)."""
        self._tables(self.model)

    def pending_count(self, row: int) -> int:
        return int(np.count_nonzero(self.res == row))

    def meet(self, rows: np.ndarray) -> np.ndarray:
        """Meet the oldest pending need of each of ``rows`` by informal help that comes
        from outside the help-seeking rule (a neighbour's good deed, an institution).

        Returns the residents (unique, sorted) who had a pending need and were helped.
        """
        idx = np.nonzero(np.isin(self.res, rows))[0]
        if len(idx) == 0:
            return np.zeros(0, dtype=np.int64)
        # needs are appended in arrival order, so the first of a resident is the oldest
        helped, first = np.unique(self.res[idx], return_index=True)
        keep = np.ones(len(self.res), dtype=bool)
        keep[idx[first]] = False
        self.close(helped, met=True, formal=False, domains=self.dom[idx[first]])
        self._keep(keep)
        return helped

    def serve_pending(self, community: int, domain: int, capacity: int, quality: float,
                      age_group: int | None = None) -> int:
        """A service that reaches out: it takes on up to ``capacity`` of the pending needs
        of one domain in one community (of one age group, if given), the oldest first,
        and meets each with probability ``quality``; the others stay pending.

        Returns the number of needs met; ``last_taken`` holds the number taken on (what
        an inspector sees of the service: needs met out of needs taken on).
        """
        self.last_taken = 0
        if capacity <= 0 or len(self.res) == 0:
            return 0
        st = self.model.state
        mask = (self.dom == domain) & (st.community[self.res] == community)
        if age_group is not None:
            mask &= st.age_group[self.res] == age_group
        idx = np.nonzero(mask)[0]
        if len(idx) == 0:
            return 0
        idx = idx[np.argsort(-self.age[idx], kind="stable")][:capacity]
        self.last_taken = len(idx)
        idx = idx[self.model.rng.random(len(idx)) < quality]
        keep = np.ones(len(self.res), dtype=bool)
        keep[idx] = False
        self.close(self.res[idx], met=True, formal=True, domains=self.dom[idx])
        self._keep(keep)
        return len(idx)

    def close(self, rows: np.ndarray, met: bool, formal: bool, domains: np.ndarray,
              observed: bool = False) -> None:
        """Book the outcome of needs that leave the system (met or expired); ``domains``
        holds each need's domain, for the shares by age group and domain. ``observed``:
        the caller has already made the outcome an experience (a government case's
        closure, seen with its procedure), so it is not seen a second time here."""
        if len(rows) == 0:
            return
        m = self.model
        st, p = m.state, m.params.section("needs")
        rows = np.asarray(rows, dtype=np.int64)
        by_origin = np.bincount(st.origin[rows], minlength=2)
        self.window_closed.add(m.day, by_origin)
        cell = (st.age_group[rows].astype(np.int64), np.asarray(domains, dtype=np.int64))
        np.add.at(self.window_closed_cell.slot(m.day), cell, 1.0)
        if met:
            np.add.at(self.window_met_cell.slot(m.day), cell, 1.0)
            self.window_met.add(m.day, by_origin)
            np.add.at(st.hardship, rows, -p.met_relief)
            np.add.at(st.needs_met, rows, 1)
            if not formal:
                experience_trust(m, rows, 1.0)
            elif not observed:
                observe_decision(m, rows, 1.0, None)
        else:
            np.add.at(st.hardship, rows, p.unmet_burden)
            if not observed:
                observe_decision(m, rows, 0.0, None)
            np.add.at(st.needs_unmet, rows, 1)

    def step(self, model: CommunityModel) -> None:
        rng, st, p = model.rng, model.state, model.params.section("needs")
        n = st.n
        for window in (self.window_met, self.window_closed, self.window_met_cell,
                       self.window_closed_cell):
            window.clear(model.day)
        # 1. needs arise
        rows = np.nonzero(rng.random(n) < p.rate)[0]
        u = rng.random(len(rows))
        dom = (u[:, None] > self.domain_cdf[st.age_group[rows]]).sum(axis=1).astype(np.int8)
        dom = np.minimum(dom, len(DOMAINS) - 1)
        self.res = np.concatenate([self.res, rows])
        self.dom = np.concatenate([self.dom, dom])
        self.age = np.concatenate([self.age, np.zeros(len(rows), dtype=np.int32)])
        if len(self.res) == 0:
            return
        self._seek_help(model, rng, st, p)
        # 3. needs that waited too long expire
        self.age += 1
        old = self.age > p.patience
        if old.any():
            self.close(self.res[old], met=False, formal=True, domains=self.dom[old])
            self._keep(~old)

    def _keep(self, mask: np.ndarray) -> None:
        self.res, self.dom, self.age = self.res[mask], self.dom[mask], self.age[mask]

    def _seek_help(self, model, rng, st, p) -> None:
        res, dom = self.res, self.dom
        k = len(res)
        comm = st.community[res]
        # social capital: weighted degree over resident ties
        t = model.ties
        wdeg = kernels.weighted_degree(t.u, t.v, t.w, st.n)
        util = np.full((k, 5), -np.inf)
        util[:, INFORMAL] = p.pref_informal * st.social_trust[res] * np.minimum(
            wdeg[res] / p.informal_saturation, 1.0)
        util[:, GOVERNMENT] = p.pref_government * st.legitimacy[res]
        util[:, COMMITTEE] = p.pref_committee * st.legitimacy[res]
        has_soc = np.array([[len(x) > 0 for x in row] for row in self.social_of])
        soc_ok = has_soc[comm, dom]
        util[soc_ok, SOCIAL] = p.pref_social * st.legitimacy[res[soc_ok]]
        prv_ok = np.zeros(k, dtype=bool)
        for (c, d) in self.private_of:
            prv_ok |= (comm == c) & (dom == d)
        util[prv_ok, PRIVATE] = p.pref_private * st.means[res[prv_ok]]
        z = p.choice_sensitivity * util
        z -= z.max(axis=1, keepdims=True)
        prob = np.exp(z)
        prob /= prob.sum(axis=1, keepdims=True)
        choice = (rng.random(k)[:, None] > np.cumsum(prob, axis=1)).sum(axis=1)
        choice = np.minimum(choice, 4)
        met = np.zeros(k, dtype=bool)
        gone = np.zeros(k, dtype=bool)
        draw = rng.random(k)
        # informal help: no capacity, success grows with tie strength; poorer for
        # professional domains (health, housing)
        inf = choice == INFORMAL
        suit = np.where(np.isin(dom, [0, 5]), p.informal_professional, 1.0)
        p_inf = suit * (1.0 - np.exp(-p.informal_strength * wdeg[res]))
        ok = inf & (draw < p_inf)
        met |= ok
        self.close(res[ok], met=True, formal=False, domains=dom[ok])
        # formal channels with capacity
        prio = rng.random(k)
        n_dom = len(DOMAINS)
        cidx = np.nonzero(choice == COMMITTEE)[0]
        self._serve_orgs(model, res, cidx, comm[cidx], [[c] for c in model.committees],
                         prio, draw, met, lambda org: p.committee_quality)
        sidx = np.nonzero(choice == SOCIAL)[0]
        self._serve_orgs(model, res, sidx, comm[sidx] * n_dom + dom[sidx],
                         [lst for row in self.social_of for lst in row],
                         prio, draw, met, lambda org: org.quality)
        pidx = np.nonzero(choice == PRIVATE)[0]
        self._serve_orgs(model, res, pidx, comm[pidx] * n_dom + dom[pidx],
                         [self.private_of.get((c, d), []) for c in range(self.n_comm)
                          for d in range(n_dom)],
                         prio, draw, met, lambda org: p.private_quality)
        # government: the need becomes a case; its outcome is booked by the government
        gov = choice == GOVERNMENT
        if gov.any():
            model.gov.file_needs(res[gov], dom[gov])
            gone |= gov
        self._keep(~(met | gone))

    def _serve_orgs(self, model, res, idx, keys, lists, prio, draw, met, quality):
        """Each need in ``idx`` asks one organization of ``lists[keys[j]]``, the list
        of its channel; an organization serves up to its capacity, in ``prio`` order."""
        if len(idx) == 0:
            return
        pick = np.floor(model.rng.random(len(idx)) * 1e9).astype(np.int64)
        ages = model.state.age_group[res[idx]].astype(np.int64)
        keys = np.asarray(keys, dtype=np.int64)
        # a resident asks one of the organizations open to their age group: a table of
        # the candidates of each (list, age group), in list order
        used_keys, kslot = np.unique(keys, return_inverse=True)
        orgs: list = []
        local: dict[int, int] = {}

        def slot(org) -> int:
            if id(org) not in local:
                local[id(org)] = len(orgs)
                orgs.append(org)
            return local[id(org)]
        cands = [[[slot(o) for o in lists[kk] if getattr(o, "serves_age", None) in (None, age)]
                  for age in range(4)] for kk in used_keys.tolist()]
        width = max((len(c) for row in cands for c in row), default=0)
        table = np.full((len(used_keys), 4, max(width, 1)), -1, dtype=np.int64)
        count = np.zeros((len(used_keys), 4), dtype=np.int64)
        for a, row in enumerate(cands):
            for age, c in enumerate(row):
                table[a, age, :len(c)] = c
                count[a, age] = len(c)
        cnt = count[kslot, ages]
        chosen = np.where(cnt > 0, table[kslot, ages, pick % np.maximum(cnt, 1)], -1)
        cap = np.array([o.capacity for o in orgs], dtype=np.int64)
        qual = np.array([quality(o) for o in orgs], dtype=float)
        # in priority order, an organization takes the first `capacity` who ask it
        order = np.argsort(prio[idx], kind="stable")
        order = order[chosen[order] >= 0]
        who = chosen[order]
        by_org = np.argsort(who, kind="stable")
        sizes = np.bincount(who, minlength=len(orgs))
        starts = np.concatenate([[0], np.cumsum(sizes)])[:-1]
        rank = np.empty(len(who), dtype=np.int64)
        rank[by_org] = np.arange(len(who)) - starts[who[by_org]]
        served = rank < cap[who]
        order, who = order[served], who[served]
        i = idx[order]
        ok = draw[i] < qual[who]
        met[i[ok]] = True
        self.close(res[i[ok]], met=True, formal=True, domains=self.dom[i[ok]])
        if (~ok).any():
            observe_decision(model, res[i[~ok]], 0.0, None)

    def needs_met_share_cells(self, cells: list[tuple[int, int]]) -> float:
        """Share of needs of the given (age group, domain) cells closed in the last 30
        days that were met (1 if none closed)."""
        ages, doms = (np.array(x, dtype=np.int64) for x in zip(*cells, strict=True))
        met = self.window_met_cell.slots[:, ages, doms].sum()
        closed = self.window_closed_cell.slots[:, ages, doms].sum()
        return float(met / closed) if closed > 0 else 1.0

    def needs_met_share(self, origin: int | None = None) -> float:
        """Share of needs closed in the last 30 days that were met (1 if none closed)."""
        met_w, closed_w = self.window_met.slots, self.window_closed.slots
        if origin is None:
            met, closed = met_w.sum(), closed_w.sum()
        else:
            met, closed = met_w[:, origin].sum(), closed_w[:, origin].sum()
        return float(met / closed) if closed > 0 else 1.0
