"""Encounters among strangers: the settings of the report's Cixi conflicts that do not
run along ties.

Cixi's Harmony Promotion Association handles conflicts between migrants and established
residents over employment, neighbour relations, debts and traffic accidents (report §4).
Neighbour relations run along ties (:mod:`govsim.processes.interaction`); the other three
bring together people who need not know each other: a worker and an employer, a lender
and a borrower, two road users. So that inter-group conflict need not rise merely because
bridging ties do, these encounters happen whatever the tie network is.

Each day ``rate`` · N encounters (Poisson) take place, each between a resident and
another resident of the same community drawn at random (so the mix of origins is the
community's), of category employment, debts or traffic with the shares ``shares``. An
encounter of category c is a dispute with the one dispute rule
(:meth:`govsim.processes.Disputes.probability`) at friction ``friction_c``: grievance and
felt distance across origins raise it as they raise disputes along ties, so contact that
lowers felt distance lowers these disputes too. Disputes go through the same pipeline
(settle, mediate, escalate); a tie between the parties, if any, is the one they share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from govsim.params import register, spec

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["CATEGORIES", "Encounters"]

CATEGORIES = ("employment", "debts", "traffic")

register([
    spec("encounters.rate", 0.02, 0.0, 10.0, "per resident per day",
         "encounters with other residents of the community outside the tie network "
         "(work, money, traffic)", "assumption", plausible=(0.005, 0.1)),
    spec("encounters.shares", (0.5, 0.2, 0.3), 0.0, 1.0, "shares",
         "shares of employment, debt and traffic encounters",
         "report §4: Cixi's conflict categories; the shares are an assumption"),
    spec("encounters.friction", (3.0, 3.0, 3.0), 0.0, 10_000.0, "ratio",
         "dispute probability of an employment, debt or traffic encounter relative to a "
         "contact along a tie (times dispute.base_rate)", "assumption",
         plausible=(1.0, 10.0)),
])


class Encounters:
    """Daily encounters among strangers and the disputes they bring."""

    def __init__(self, model: CommunityModel):
        self.model = model
        ws = model.community.ward_start
        wpc = model.community.wards_per_community
        #: first row of each community, and one past its last
        self.bounds = ws[::wpc]
        self.today = np.zeros(len(CATEGORIES), dtype=np.int64)

    def step(self, model: CommunityModel) -> None:
        p = model.params.section("encounters")
        self.today[:] = 0
        st, rng = model.state, model.rng
        k = int(rng.poisson(p.rate * st.n))
        if k == 0:
            return
        a = rng.integers(st.n, size=k)
        c = st.community[a]
        lo, hi = self.bounds[c], self.bounds[c + 1]
        b = lo + (rng.random(k) * (hi - lo)).astype(np.int64)
        shares = np.asarray(p.shares) / max(sum(p.shares), 1e-12)
        cat = np.minimum(np.searchsorted(np.cumsum(shares), rng.random(k), side="right"),
                         len(CATEGORIES) - 1)
        ok = a != b
        a, b, cat = a[ok], b[ok], cat[ok]
        friction = np.asarray(p.friction)[cat]
        dispute = rng.random(len(a)) < model.disputes.probability(a, b, friction)
        u, v = a[dispute], b[dispute]
        model.disputes.resolve(u, v, model.ties.find(u, v))
        self.today = np.bincount(cat[dispute], minlength=len(CATEGORIES))
