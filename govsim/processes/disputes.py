"""Disputes: generation from contacts, settlement, mediation and escalation.

A contact between residents i and j turns into a dispute with probability

    p = base_rate * f * (1 + g (G_i + G_j)) * (1 + s [origin_i != origin_j] (d_i + d_j) / 2)

where G = H (1 - L) is Epstein's grievance (Epstein 2002), s the social distance between
origins (Bhavnani et al. 2014: the effect of mixing depends on social distance), d each
resident's felt distance to the other group (1 at the start; contact under the right
conditions lowers it, Pettigrew & Tropp 2006, and conflict across origins raises it again,
Flache & Macy 2011) and f the friction of the setting (1 for a contact along a tie; the
encounters among strangers of :mod:`govsim.processes.encounters` have their own; parking
disputes arise from parking itself). The parties settle between themselves with
probability ``settle_base + settle_tie * w``. Otherwise they seek mediation with
probability ``seek_mediation``; a mediator with spare capacity succeeds with probability
``logistic(a + b (T_i + T_j - 1))`` where T is each party's trust in that mediator
(literature notes §1.4). A dispute that is neither settled nor mediated escalates into a
recorded **conflict** with probability ``escalation_base + escalation_grievance * (G_i +
G_j) / 2``; a conflict weakens the tie, moves both parties' social trust towards 0 (a bad
experience, :func:`govsim.processes.attitudes.experience_trust`) and raises their
hardship (a material cost). A successful mediation is a decision both parties were heard
in and that settled the dispute for them: their legitimacy moves towards 1 (procedural
justice) and so does their social trust.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from govsim.params import register, spec
from govsim.processes.attitudes import experience_trust, observe_decision
from govsim.processes.rules import daily_volume, logistic

if TYPE_CHECKING:
    from govsim.model import CommunityModel

register([
    spec("dispute.base_rate", 2.39e-05, 0.0, 1.0, "per contact",
         "probability that a contact between residents without grievance becomes a dispute",
         "calibrated to about 10-30 disputes per 1,000 residents per year (MoJ 2022)",
         calibrated="baseline"),
    spec("dispute.grievance_weight", 4.0, 0.0, 100.0, "1/grievance",
         "rise of the dispute probability with the parties' grievance G = H(1-L)",
         "assumption; the grievance G = H(1-L) is Epstein 2002's, the weight is not"),
    spec("dispute.social_distance", 1.0, 0.0, 20.0, "ratio",
         "extra dispute probability between residents of different origin",
         "Bhavnani et al. 2014"),
    spec("dispute.settle_base", 0.139, 0.0, 1.0, "probability",
         "probability that parties settle a dispute themselves (at zero tie strength)",
         calibrated="baseline"),
    spec("dispute.settle_tie", 0.218, 0.0, 1.0, "probability",
         "added settlement probability per unit of tie strength", calibrated="baseline"),
    spec("dispute.seek_mediation", 0.798, 0.0, 1.0, "probability",
         "probability that unsettled parties seek mediation", calibrated="baseline"),
    spec("dispute.escalation_base", 0.25, 0.0, 1.0, "probability",
         "probability that an unresolved dispute escalates into a conflict (no grievance)"),
    spec("dispute.escalation_grievance", 1.5, 0.0, 10.0, "1/grievance",
         "rise of the escalation probability with the parties' mean grievance"),
    spec("dispute.conflict_damage", 0.5, 0.0, 1.0, "share",
         "share of tie strength lost in a conflict"),
    spec("dispute.conflict_hardship", 0.03, 0.0, 1.0, "hardship",
         "hardship each party gains in a conflict"),
    spec("dispute.conflict_distance", 0.1, 0.0, 1.0, "share",
         "a conflict across origins moves both parties' felt distance to the other group "
         "this share of the way back to 1 (negative contact)",
         "Flache & Macy 2011; assumption"),
    spec("mediation.capacity", 2.68, 0.0, 1000.0, "per 1,000 residents per day",
         "disputes a committee can mediate per day", calibrated="baseline"),
    spec("mediation.intercept", 1.58, -10.0, 10.0, "logit",
         "mediation success logit at average trust (T_i + T_j = 1)", calibrated="baseline"),
    spec("mediation.trust_slope", 3.0, 0.0, 20.0, "logit per trust",
         "rise of the success logit with the parties' trust in the mediator"),
])


class Mediator:
    """A body that mediates disputes (base: the residents' committees).

    Subclasses (institutions) override :meth:`eligible`, :meth:`trust` and
    :meth:`capacity`. Mediators are tried in increasing ``priority``.
    """

    name = "committee"
    priority = 10

    def __init__(self, model: CommunityModel):
        self.model = model

    def capacity(self, community: int) -> int:
        """Today's mediations: ``mediation.capacity`` per 1,000 residents of the
        community, stochastically rounded."""
        m = self.model
        per = m.params["mediation.capacity"] * m.residents_in(community) / 1000.0
        return int(daily_volume(m.rng, np.array([per]))[0])

    def eligible(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        return np.ones(len(u), dtype=bool)

    def trust(self, rows: np.ndarray) -> np.ndarray:
        """Residents' trust in this mediator (committees: legitimacy)."""
        return self.model.state.legitimacy[rows]

    def on_outcome(self, u: np.ndarray, v: np.ndarray, success: np.ndarray) -> None:
        """Told of every mediation attempt (for the mediator's own measures)."""


class Disputes:
    """The dispute pipeline; also used by institutions for their own disputes."""

    def __init__(self, model: CommunityModel):
        self.model = model
        self.mediators: list[Mediator] = [Mediator(model)]

    def probability(self, u: np.ndarray, v: np.ndarray,
                    friction: float | np.ndarray = 1.0) -> np.ndarray:
        """The dispute probability of a meeting of u_i and v_i (the module docstring's
        rule, one for contacts along ties and encounters among strangers)."""
        st, p = self.model.state, self.model.params.section("dispute")
        g = st.grievance
        cross = st.origin[u] != st.origin[v]
        felt = (st.outgroup_distance[u] + st.outgroup_distance[v]) / 2.0
        prob = p.base_rate * friction * (1.0 + p.grievance_weight * (g[u] + g[v])) \
            * (1.0 + p.social_distance * cross * felt)
        return np.minimum(prob, 1.0)

    def from_contacts(self, eidx: np.ndarray) -> np.ndarray:
        """Decide which contacts (edge indices) are disputes; resolve them."""
        m = self.model
        t = m.ties
        u, v = t.u[eidx], t.v[eidx]
        mask = m.rng.random(len(eidx)) < self.probability(u, v)
        self.resolve(u[mask], v[mask], eidx[mask])
        return mask

    def resolve(self, u: np.ndarray, v: np.ndarray, eidx: np.ndarray
                ) -> dict[str, np.ndarray]:
        """Settle, mediate or escalate disputes between residents ``u`` and ``v``.

        ``eidx`` holds the tie of each pair, or -1 where there is none. The day's counts
        in ``model.today`` include them; an institution that submits disputes of its own
        counts them itself. Returns boolean masks ``settled``, ``mediated`` and
        ``conflict`` over the pairs.
        """
        m = self.model
        st, t, p, rng = m.state, m.ties, m.params.section("dispute"), m.rng
        k = len(u)
        out = {"settled": np.zeros(k, bool), "mediated": np.zeros(k, bool),
               "conflict": np.zeros(k, bool)}
        if k == 0:
            return out
        cross = st.origin[u] != st.origin[v]
        today = m.today
        today.disputes += k
        w = np.where(eidx >= 0, t.w[np.maximum(eidx, 0)], 0.0)
        settled = rng.random(k) < p.settle_base + p.settle_tie * w
        open_ = ~settled & (rng.random(k) < p.seek_mediation)
        mediated = np.zeros(k, bool)
        attempted = np.zeros(k, bool)
        comm = st.community[u]
        draw = rng.random(k)
        for med in sorted(self.mediators, key=lambda x: x.priority):
            cand = np.nonzero(open_ & ~attempted & med.eligible(u, v))[0]
            if len(cand) == 0:
                continue
            take = []
            for c in np.unique(comm[cand]):
                in_c = cand[comm[cand] == c]
                take.append(in_c[:med.capacity(int(c))])
            take = np.concatenate(take)
            if len(take) == 0:
                continue
            attempted[take] = True
            q = m.params.section("mediation")
            ps = logistic(q.intercept + q.trust_slope *
                          (med.trust(u[take]) + med.trust(v[take]) - 1.0))
            ok = draw[take] < ps
            mediated[take[ok]] = True
            med.on_outcome(u[take], v[take], ok)
            today.intergroup_mediation_attempts += int(cross[take].sum())
            today.intergroup_mediated += int(cross[take[ok]].sum())
            # both parties were heard and the dispute was settled for them
            rows = np.concatenate([u[take[ok]], v[take[ok]]])
            observe_decision(m, rows, 1.0, 1.0)
            experience_trust(m, rows, 1.0)
        rest = ~settled & ~mediated
        gbar = (st.grievance[u] + st.grievance[v]) / 2.0
        conflict = rest & (rng.random(k) < p.escalation_base + p.escalation_grievance * gbar)
        today.mediated += int(mediated.sum())
        today.conflicts += int(conflict.sum())
        today.intergroup_conflicts += int((conflict & cross).sum())
        if conflict.any():
            cu, cv, ce = u[conflict], v[conflict], eidx[conflict]
            ce = ce[ce >= 0]
            t.w[ce] *= 1.0 - p.conflict_damage
            rows = np.concatenate([cu, cv])
            experience_trust(m, rows, 0.0)
            np.add.at(st.hardship, rows, p.conflict_hardship)
            np.add.at(st.conflicts, rows, 1)
            across = np.concatenate([cu[cross[conflict]], cv[cross[conflict]]])
            d = st.outgroup_distance
            d[across] += p.conflict_distance * (1.0 - d[across])
            today.conflict_parties_established += int(np.count_nonzero(st.origin[rows] == 0))
            today.conflict_parties_migrant += int(np.count_nonzero(st.origin[rows] == 1))
        out.update(settled=settled, mediated=mediated, conflict=conflict)
        return out
