"""Reimbursement at the place of work for migrants insured at home (report §4, Honghu).

Migrant workers from Honghu (Hubei) insured by the new rural cooperative medical scheme had
to return home to be reimbursed for treatment in Guangzhou; the Sanyuanli subdistrict
office and the Honghu government agreed to add two Guangzhou hospitals to the scheme's
network, so that they are reimbursed where they work.

Rules: every day a resident needs medical treatment with probability ``rate``. Established
residents (insured locally) are reimbursed where they are treated. A migrant insured at
home (share ``home_insured``) is reimbursed on the spot only when the agreement is in force
(``enabled``)
and the treatment is at a network hospital (each of the ``hospitals`` network hospitals
takes a share ``hospital_share`` of treatments); otherwise the migrant either travels home
to claim (probability ``return_prob``: hardship ``return_cost``, time and fare) or forgoes
the reimbursement (hardship ``unreimbursed_burden``). Reimbursement on the spot raises the
patient's legitimacy by ``legitimacy_gain``.
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec

register([
    spec("medical.enabled", False, unit="switch",
         doc="migrants insured at home are reimbursed at network hospitals where they work",
         source="report §4: Sanyuanli and Honghu"),
    spec("medical.hospitals", 2, 0, 50, "hospitals", "hospitals added to the network",
         "report §4: two Guangzhou hospitals"),
    spec("medical.hospital_share", 0.35, 0.0, 1.0, "share",
         "share of treatments taking place at each network hospital", "assumption"),
    spec("medical.rate", 0.003, 0.0, 1.0, "per resident per day",
         "probability of a medical treatment on a day (about one a year)", "assumption"),
    spec("medical.home_insured", 0.8, 0.0, 1.0, "share",
         "share of migrants insured by the cooperative scheme at home", "assumption"),
    spec("medical.return_prob", 0.3, 0.0, 1.0, "probability",
         "probability that a migrant travels home to claim", "assumption"),
    spec("medical.return_cost", 0.04, 0.0, 1.0, "hardship",
         "hardship of travelling home to claim (time, fare)", "assumption"),
    spec("medical.unreimbursed_burden", 0.06, 0.0, 1.0, "hardship",
         "hardship of paying a treatment without reimbursement", "assumption"),
    spec("medical.legitimacy_gain", 0.01, 0.0, 1.0, "legitimacy",
         "legitimacy gained by reimbursement on the spot", "assumption"),
])


@register_institution
class MedicalReimbursement(Institution):
    """Medical costs by origin, with or without reimbursement at the place of work."""

    name = "medical"
    hooks = ("after_needs",)
    measures = (
        measure("medical_treatments", "day", "medical treatments today", "treatments"),
        measure("medical_unreimbursed", "day",
                "treatments of migrants insured at home paid without reimbursement today",
                "treatments", "lower"),
        measure("medical_trips_home", "day", "trips home to claim a reimbursement today",
                "trips", "lower"),
        measure("medical_reimbursed_on_spot", "day",
                "treatments reimbursed at a network hospital where the migrant works today",
                "treatments", "higher"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        self.insured_home = (st.origin == 1) & (m.build_rng.random(st.n)
                                                < p.home_insured)
        self.counts = dict.fromkeys(self.measure_names(), 0)
        if self.enabled:
            for k in range(p.hospitals):
                m.add_org("PrivateOrg", f"network hospital {k + 1}", role="hospital",
                          services=("health", "reimbursement"))

    def after_needs(self) -> None:
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        sick = np.nonzero(rng.random(st.n) < p.rate)[0]
        away = sick[self.insured_home[sick]]
        network = min(1.0, p.hospitals * p.hospital_share) if self.enabled else 0.0
        on_spot = rng.random(len(away)) < network
        home = ~on_spot & (rng.random(len(away)) < p.return_prob)
        forgo = ~on_spot & ~home
        st.hardship[away[home]] += p.return_cost
        st.hardship[away[forgo]] += p.unreimbursed_burden
        st.legitimacy[away[on_spot]] += p.legitimacy_gain
        self.counts = {"medical_treatments": len(sick),
                       "medical_unreimbursed": int(forgo.sum()),
                       "medical_trips_home": int(home.sum()),
                       "medical_reimbursed_on_spot": int(on_spot.sum())}

    def metrics(self) -> dict[str, float]:
        return {k: float(v) for k, v in self.counts.items()}
