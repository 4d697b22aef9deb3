"""Reimbursement at the place of work for migrants insured at home (report §4, Honghu).

Migrant workers from Honghu (Hubei) insured by the new rural cooperative medical scheme had
to return home to be reimbursed for treatment in Guangzhou; the Sanyuanli subdistrict
office and the Honghu government agreed to add two Guangzhou hospitals to the scheme's
network, so that they are reimbursed where they work.

Rules:

- **Who is covered.** A share ``honghu_share`` of the migrants come from Honghu and are
  insured by its scheme; only they can be reimbursed under the agreement (``enabled``).
  Established residents are insured locally and reimbursed where they are treated; other
  migrants are insured (if at all) in counties without an agreement.
- **Falling ill.** Every day a resident falls ill with probability ``rate``, with a need
  for care of severity s ~ U(0, 1).
- **Seeking care or forgoing it** (a decision that weighs cost against need): a Honghu
  migrant expects to pay a share k of the price out of pocket: 0 when the agreement covers
  the network hospital they can reach, else 1 − ``return_prob`` (the chance they would
  travel home to claim, at hardship ``return_cost``, cuts what they bear). Everyone else
  expects k = 0 if insured where they live (established residents) and k = 1 otherwise.
  The resident seeks care with probability logistic((s − ``price`` k (1 − means)) /
  ``choice_noise``): the poorer and the less covered, the more care is forgone.
- **Where.** A Honghu migrant who seeks care goes to a network hospital with probability
  ``hospital_share`` per hospital (distance: the rest are nearer to another hospital);
  each network hospital takes at most ``hospital_capacity`` covered treatments per 1,000
  residents a day, then sends the others elsewhere (uncovered).
- **What follows** runs through the shared rule of needs (:meth:`govsim.processes.needs.
  Needs.close`): care received is a met formal need (hardship relief, legitimacy from the
  service that helped), care forgone an unmet one (hardship, lost legitimacy); a treatment
  paid out of pocket by a migrant adds hardship ``cost_burden`` × (1 − means), and a trip
  home to claim adds ``return_cost``.
"""

from __future__ import annotations

import numpy as np

from govsim.community import DOMAINS
from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import daily_volume, logistic

HEALTH = DOMAINS.index("health")

register([
    spec("medical.enabled", False, unit="switch",
         doc="Honghu migrants are reimbursed at network hospitals where they work",
         source="report §4: Sanyuanli and Honghu"),
    spec("medical.hospitals", 2, 0, 50, "hospitals", "hospitals added to the network",
         "report §4: two Guangzhou hospitals"),
    spec("medical.hospital_share", 0.35, 0.0, 1.0, "share",
         "share of a Honghu migrant's treatments that can take place at each network "
         "hospital (the others are nearer to another hospital)", "assumption"),
    spec("medical.hospital_capacity", 0.5, 0.0, 1000.0, "per 1,000 residents per day",
         "covered treatments each network hospital takes a day", "assumption"),
    spec("medical.rate", 0.003, 0.0, 1.0, "per resident per day",
         "probability of falling ill on a day (about one illness a year)", "assumption"),
    spec("medical.honghu_share", 0.3, 0.0, 1.0, "share of migrants",
         "migrants from Honghu insured by its cooperative scheme",
         "assumption: Sanyuanli's migrants come from many counties; the report names "
         "Honghu's", plausible=(0.1, 0.6)),
    spec("medical.return_prob", 0.3, 0.0, 1.0, "probability",
         "probability that an uncovered Honghu migrant travels home to claim",
         "assumption"),
    spec("medical.return_cost", 0.04, 0.0, 1.0, "hardship",
         "hardship of travelling home to claim (time, fare)", "assumption"),
    spec("medical.price", 0.8, 0.0, 10.0, "utility",
         "price of a treatment, in units of the need it meets", "assumption",
         plausible=(0.3, 1.5)),
    spec("medical.choice_noise", 0.2, 0.01, 5.0, "utility",
         "spread of the decision to seek care", "assumption"),
    spec("medical.cost_burden", 0.06, 0.0, 1.0, "hardship",
         "hardship of bearing a treatment's full price at zero means", "assumption"),
])


@register_institution
class MedicalReimbursement(Institution):
    """Illness, the decision to seek care, and reimbursement by where one is insured."""

    name = "medical"
    hooks = ("after_needs",)
    measures = (
        measure("medical_treatments", "day", "treatments received today", "treatments",
                "higher"),
        measure("medical_forgone", "day", "illnesses left untreated today (care forgone)",
                "illnesses", "lower"),
        measure("medical_forgone_honghu", "day",
                "illnesses of Honghu migrants left untreated today (the covered group's "
                "forgone care)", "illnesses", "lower"),
        measure("medical_unreimbursed", "day",
                "treatments of Honghu migrants paid without reimbursement today",
                "treatments", "lower"),
        measure("medical_trips_home", "day", "trips home to claim a reimbursement today",
                "trips", "lower"),
        measure("medical_reimbursed_on_spot", "day",
                "treatments of Honghu migrants reimbursed at a network hospital today",
                "treatments", "higher"),
        measure("medical_hardship_honghu", "state", "mean hardship of the Honghu migrants",
                "index 0-1", "lower"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        self.honghu = (st.origin == 1) & (m.build_rng.random(st.n) < p.honghu_share)
        self.counts = dict.fromkeys(self.measure_names(), 0)
        if self.enabled:
            for k in range(p.hospitals):
                m.add_org("PrivateOrg", f"network hospital {k + 1}", role="hospital",
                          services=("health", "reimbursement"))

    def new_day(self) -> None:
        self.counts = dict.fromkeys(self.measure_names(), 0)

    def after_needs(self) -> None:
        m, p, rng = self.model, self.p, self.model.rng
        st = m.state
        sick = np.nonzero(rng.random(st.n) < p.rate)[0]
        severity = rng.random(len(sick))
        where, decide = rng.random(len(sick)), rng.random(len(sick))
        honghu = self.honghu[sick]
        network = min(1.0, p.hospitals * p.hospital_share) if self.enabled else 0.0
        reach = honghu & (where < network)
        # covered treatments the network hospitals can take today, in order of arrival
        cap = int(daily_volume(rng, np.array([p.hospitals * p.hospital_capacity * st.n /
                                              1000]))[0]) if self.enabled else 0
        covered = reach & (np.cumsum(reach) <= cap)
        share = np.where(st.origin[sick] == 0, 0.0, 1.0)
        share = np.where(honghu, 1.0 - p.return_prob, share)
        share = np.where(covered, 0.0, share)
        means = st.means[sick]
        seek = decide < logistic((severity - p.price * share * (1.0 - means)) /
                                 p.choice_noise)
        treated, forgone = sick[seek], sick[~seek]
        doms = np.full(len(sick), HEALTH)
        m.needs.close(treated, met=True, formal=True, domains=doms[seek])
        m.needs.close(forgone, met=False, formal=True, domains=doms[~seek])
        # who pays: covered Honghu migrants and established residents are reimbursed; an
        # uncovered Honghu migrant travels home to claim or pays; other migrants pay
        uncovered = seek & honghu & ~covered
        home = uncovered & (rng.random(len(sick)) < p.return_prob)
        pays = seek & ~covered & ~home & (st.origin[sick] == 1)
        st.hardship[sick[home]] += p.return_cost
        st.hardship[sick[pays]] += p.cost_burden * (1.0 - means[pays])
        self.counts = {"medical_treatments": int(seek.sum()),
                       "medical_forgone": int((~seek).sum()),
                       "medical_forgone_honghu": int((~seek & honghu).sum()),
                       "medical_unreimbursed": int((pays & honghu).sum()),
                       "medical_trips_home": int(home.sum()),
                       "medical_reimbursed_on_spot": int((seek & covered).sum())}

    def metrics(self) -> dict[str, float]:
        hardship = self.model.state.hardship[self.honghu]
        return {**{k: float(v) for k, v in self.counts.items()},
                "medical_hardship_honghu": float(hardship.mean()) if len(hardship) else 0.0}
