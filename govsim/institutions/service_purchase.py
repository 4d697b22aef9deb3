"""Government purchase of public services from social organizations (report §2, Nanshan).

In 2013 Nanshan District, Shenzhen, spent 780 million RMB — 9% of district expenditure —
on more than 20 public services from 148 social organizations (education, training and
employment, culture and sports, transport, welfare, safety), and inspected and assessed how
far they met residents' needs; only with that assessment were contracts renewed.

Rules: with the purchase on (``enabled``), a share ``budget_share`` of the government's
budget buys service volume from ``contractors`` social organizations per community,
``capacity_per_share`` needs per 1,000 residents a day per unit of budget share, split
evenly over the contractors, each serving one domain. A contract buys a volume of cases,
not a door to knock on: each day, after help-seeking, a contractor with expected volume r
takes on ⌊r⌋ + Bernoulli(r − ⌊r⌋) of the still pending needs of its domain in its
community (the oldest first; :meth:`govsim.processes.needs.Needs.serve_pending`) and meets
each with probability equal to its quality, so the volume follows the budget however
small. Contractors start with quality ~ Beta with mean ``quality`` and concentration
``quality_concentration`` and, every day, quality drifts down by ``drift`` (moral hazard)
— by only ``drift`` · (1 − accuracy) when they know they are inspected. Every
``contract_days`` days contracts come up for renewal: with ``inspection`` the government
assesses each contractor's quality with noise of standard deviation ``assessment_noise``
(1 − ``accuracy``) and replaces those assessed below ``renew_threshold`` by a new
contractor; without inspection every contract is renewed.
"""

from __future__ import annotations

import numpy as np

from govsim.community import DOMAINS as NEED_DOMAINS
from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import daily_volume

DOMAINS = ("education", "employment", "culture", "safety", "eldercare", "health")

register([
    spec("purchase.enabled", False, unit="switch",
         doc="the government buys services from social organizations under contract",
         source="report §2: Nanshan District, Shenzhen, 2013"),
    spec("purchase.budget_share", 0.09, 0.0, 0.5, "share of expenditure",
         "share of the government budget spent on purchased services",
         "report §2: 9% in Nanshan, 2013"),
    spec("purchase.contractors", 6, 0, 200, "organizations per community",
         "social organizations under contract", "report §2: 148 organizations"),
    spec("purchase.capacity_per_share", 30.0, 0.0, 10_000.0,
         "needs per 1,000 residents per day per unit share",
         "service capacity bought per unit of budget share", "assumption"),
    spec("purchase.quality", 0.75, 0.0, 1.0, "probability",
         "mean initial quality of a contractor", "assumption"),
    spec("purchase.quality_concentration", 10.0, 0.1, 1000.0, "pseudo-counts",
         "concentration a + b of the Beta distribution of a new contractor's quality",
         "assumption"),
    spec("purchase.assessment_noise", 0.3, 0.0, 1.0, "quality",
         "standard deviation of an assessment of accuracy 0 (scaled by 1 - accuracy)",
         "assumption"),
    spec("purchase.drift", 0.003, 0.0, 0.1, "per day",
         "daily fall of contractors' quality when nobody checks", "assumption"),
    spec("purchase.inspection", True, unit="switch",
         doc="the government inspects and assesses contracts", source="report §2"),
    spec("purchase.accuracy", 0.8, 0.0, 1.0, "share", "accuracy of the assessment"),
    spec("purchase.renew_threshold", 0.6, 0.0, 1.0, "quality",
         "assessed quality below which a contract is not renewed"),
    spec("purchase.contract_days", 90, 1, 3650, "days", "length of a contract"),
])


@register_institution
class ServicePurchase(Institution):
    """Contracts, drifting quality, inspection and renewal."""

    name = "purchase"
    hooks = ("after_needs", "end_of_day")
    measures = (
        measure("purchase_quality_mean", "state", "contractors' mean quality (chance of "
                "meeting a need they take on)", "probability", "higher"),
        measure("purchase_contracts", "state", "contracts running", "contracts"),
        measure("purchase_capacity", "state", "needs a day the contracts buy", "needs"),
        measure("purchase_served", "day", "needs the contractors met today", "needs",
                "higher"),
        measure("purchase_replaced", "day", "contracts not renewed today", "contracts"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        self.contractors = []
        self.rates: list[float] = []
        self.today_served = 0
        self.replaced = 0
        if not self.enabled or p.budget_share <= 0 or p.contractors == 0:
            return
        rng = m.build_rng
        for c, committee in enumerate(m.committees):
            rate = (p.budget_share * p.capacity_per_share / p.contractors *
                    m.residents_in(c) / 1000)
            for k in range(p.contractors):
                org = m.add_org("SocialOrg", f"contracted {DOMAINS[k % len(DOMAINS)]} "
                                f"service {c + 1}.{k + 1}", role="contractor",
                                domain=DOMAINS[k % len(DOMAINS)], community=c,
                                funding="government contract",
                                links=((committee.node, "serves", 0.5),))
                org.capacity = 0
                org.quality = self._new_quality(rng)
                self.contractors.append(org)
                self.rates.append(rate)

    def _new_quality(self, rng: np.random.Generator) -> float:
        p = self.p
        k = p.quality_concentration
        return float(np.clip(rng.beta(p.quality * k, (1 - p.quality) * k), 0, 1))

    def new_day(self) -> None:
        self.today_served = 0
        self.replaced = 0

    def after_needs(self) -> None:
        """Contractors take on today's volume of pending needs of their domain."""
        if not self.contractors:
            return
        m = self.model
        volume = daily_volume(m.rng, np.array(self.rates))
        for org, cap in zip(self.contractors, volume, strict=True):
            org.capacity = int(cap)
            self.today_served += m.needs.serve_pending(
                org.community, NEED_DOMAINS.index(org.domain), org.capacity, org.quality)

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        if not self.contractors:
            return
        drift = p.drift * ((1.0 - p.accuracy) if p.inspection else 1.0)
        for org in self.contractors:
            org.quality = max(0.0, org.quality - drift)
        if (m.day + 1) % p.contract_days or not p.inspection:
            return
        rng = m.rng
        noise = p.assessment_noise * (1.0 - p.accuracy)
        for org in self.contractors:
            assessed = org.quality + rng.normal(0.0, noise) if noise > 0 else org.quality
            if assessed < p.renew_threshold:
                # a new organization takes over the contract
                org.quality = self._new_quality(rng)
                self.replaced += 1

    def metrics(self) -> dict[str, float]:
        q = [o.quality for o in self.contractors]
        return {"purchase_quality_mean": float(np.mean(q)) if q else 0.0,
                "purchase_contracts": float(len(q)),
                "purchase_capacity": float(sum(self.rates)),
                "purchase_served": float(self.today_served),
                "purchase_replaced": float(self.replaced)}
