"""Community foundations with resident participation (report §2, Yangjing, Shanghai).

Shanghai encouraged subdistricts and towns to set up community foundations. The Yangjing
Subdistrict foundation serves age groups such as children, high-school students and
seniors; residents are an important source of its funds and take part in deciding on and
evaluating its projects.

Rules:

- **Donations.** Each day an adult or senior resident donates with probability
  ``donate_rate`` · (0.5 + prosociality) · (0.5 + social trust) · f, an amount
  ``gift`` · (0.5 + means); f starts at 1 and follows donors' evaluations.
- **Same money without participation** (``participation`` off, the baseline arm): the
  subdistrict puts in, every day, the expected value of the residents' donations at the
  start (so both arms have the same money in expectation) and residents take no part.
- **Projects.** Every ``project_interval`` days the balance funds as many projects as it
  covers (⌊balance / ``project_cost``⌋), each for one age group (children, high-school
  students, seniors), as a social organization of the community serving that group only,
  in its domain (education or elder care), for ``project_days`` days, with capacity
  ``project_cost``/``cost_per_capacity``. A project reaches out to its group: each day,
  after help-seeking, it takes on up to its capacity of the still pending needs of its
  group and domain in its community (the oldest first) and meets each with the quality of
  social organizations. With participation, the donors of the period
  vote: each for the age group with most pending needs in their household (random among
  the three when none), and the projects go to the groups in proportion to their votes
  (largest remainders; the plurality group first); without it, the subdistrict picks each
  project's group at random.
- **Participation and evaluation.** Voters and evaluators take part (participation) and
  gain ``trust_gain`` social trust. When a project ends, donors judge it by the share of
  its group's needs met while it ran: above ``good_share`` raises f by ``feedback``,
  below lowers it.
- **Conservation.** Money in (donations and subsidy) equals money spent plus balance.
"""

from __future__ import annotations

import numpy as np

from govsim.community import DOMAINS
from govsim.institutions import register_institution
from govsim.institutions.base import Institution
from govsim.params import register, spec

GROUPS = (("children", 0, "education"), ("high-school students", 1, "education"),
          ("seniors", 3, "eldercare"))

register([
    spec("foundation.enabled", False, unit="switch", doc="a community foundation operates",
         source="report §2: Yangjing Subdistrict, Shanghai"),
    spec("foundation.participation", True, unit="switch",
         doc="donors propose, vote on and evaluate projects (off: the subdistrict spends "
             "the same money alone)", source="report §2"),
    spec("foundation.donate_rate", 0.004, 0.0, 1.0, "per resident per day",
         "base chance of a donation", "assumption"),
    spec("foundation.gift", 1.0, 0.0, 1000.0, "money units", "size of a donation at mean means"),
    spec("foundation.project_interval", 30, 1, 365, "days", "days between project rounds"),
    spec("foundation.project_cost", 60.0, 0.0, 1e9, "money units", "cost of a project"),
    spec("foundation.cost_per_capacity", 20.0, 0.01, 1e9, "money units per need per day",
         "what a unit of daily service capacity costs"),
    spec("foundation.project_days", 180, 1, 3650, "days", "how long a project runs"),
    spec("foundation.trust_gain", 0.01, 0.0, 1.0, "trust", "trust gained by taking part"),
    spec("foundation.feedback", 0.1, 0.0, 1.0, "share",
         "change of the donation factor after a good or bad evaluation"),
    spec("foundation.good_share", 0.8, 0.0, 1.0, "share",
         "needs-met share of the target group that donors judge good"),
])


@register_institution
class CommunityFoundation(Institution):
    """Donations, votes on projects, projects as service capacity, evaluations."""

    name = "foundation"
    measures = ("donations", "projects_funded", "foundation_served", "foundation_balance",
                "foundation_spent",
                "needs_met_share_targeted", "needs_met_share_child", "needs_met_share_youth",
                "needs_met_share_senior")

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        self.balance = self.donated = self.spent = self.subsidy_total = 0.0
        self.today_donations = 0.0
        self.today_served = 0
        self.funded = 0
        self.factor = 1.0
        self.projects: list[dict] = []
        self.donors_period = np.zeros(st.n, dtype=bool)
        self.eligible = st.age_group >= 2
        self.prob = np.where(self.eligible, p.donate_rate * (0.5 + st.prosociality) *
                             (0.5 + st.social_trust), 0.0)
        self.amount = p.gift * (0.5 + st.means)
        # the subdistrict's matched money: the donations residents would give at the start
        self.subsidy = float(np.sum(self.prob * self.amount)) if p.enabled else 0.0

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        if not p.enabled:
            return
        st, rng = m.state, m.rng
        if p.participation:
            prob = np.minimum(1.0, p.donate_rate * (0.5 + st.prosociality) *
                              (0.5 + st.social_trust) * self.factor) * self.eligible
            donors = np.nonzero(rng.random(st.n) < prob)[0]
            gift = float(self.amount[donors].sum())
            self.donors_period[donors] = True
            self.donated += gift
        else:
            gift = self.subsidy
            self.subsidy_total += gift
        self.today_donations = gift
        self.balance += gift
        self._expire(m.day)
        if (m.day + 1) % p.project_interval == 0:
            self._fund()

    def _vote(self, projects: int) -> list[int]:
        """The donors' choice of groups for ``projects`` projects (largest remainders)."""
        m, rng = self.model, self.model.rng
        st = m.state
        voters = np.nonzero(self.donors_period)[0]
        if len(voters) == 0:
            return [int(k) for k in rng.integers(len(GROUPS), size=projects)]
        pending = np.zeros((st.n, 4))
        np.add.at(pending, (m.needs.res, st.age_group[m.needs.res]), 1.0)
        hh_need = np.zeros((int(st.household.max()) + 1, 4))
        np.add.at(hh_need, st.household, pending)
        need = hh_need[st.household[voters]][:, [g for _, g, _ in GROUPS]]
        choice = np.where(need.sum(axis=1) > 0, need.argmax(axis=1),
                          rng.integers(len(GROUPS), size=len(voters)))
        m.civic.participate(voters)
        st.social_trust[voters] += self.p.trust_gain
        votes = np.bincount(choice, minlength=len(GROUPS)).astype(float)
        quota = votes * projects / votes.sum()
        seats = np.floor(quota).astype(int)
        # stable order: the largest remainder first, ties to the larger vote
        order = np.lexsort((-votes, -(quota - seats)))
        seats[order[:projects - seats.sum()]] += 1
        order = np.argsort(-votes, kind="stable")
        return [int(k) for k in order for _ in range(seats[k])]

    def _fund(self) -> None:
        m, p = self.model, self.p
        if p.project_cost <= 0:
            return
        projects = int(self.balance // p.project_cost)
        if projects == 0:
            return
        groups = (self._vote(projects) if p.participation
                  else [int(k) for k in m.rng.integers(len(GROUPS), size=projects)])
        self.donors_period[:] = False
        for k in groups:
            self._start_project(k)

    def _start_project(self, k: int) -> None:
        m, p = self.model, self.p
        name, age, domain = GROUPS[k]
        self.balance -= p.project_cost
        self.spent += p.project_cost
        self.funded += 1
        c = self.funded % len(m.committees)
        org = m.add_org("SocialOrg", f"foundation project {self.funded} for {name}",
                        role="project", domain=domain, community=c, funding="foundation",
                        serves_age=age,
                        links=((m.committees[c].node, "serves", 0.5),))
        org.capacity = max(1, round(p.project_cost / p.cost_per_capacity))
        org.quality = m.params["needs.social_quality"]
        self.projects.append({"org": org, "age": age, "domain": DOMAINS.index(domain),
                              "community": c, "ends": m.day + p.project_days})

    def after_needs(self) -> None:
        """Projects reach out to the pending needs of their group (oldest first)."""
        m = self.model
        needs, st = m.needs, m.state
        self.today_served = 0
        for pr in self.projects:
            org = pr["org"]
            idx = np.nonzero((needs.dom == pr["domain"]) &
                             (st.age_group[needs.res] == pr["age"]) &
                             (st.community[needs.res] == pr["community"]))[0]
            if len(idx) == 0:
                continue
            idx = idx[np.argsort(-needs.age[idx], kind="stable")][:org.capacity]
            ok = m.rng.random(len(idx)) < org.quality
            keep = np.ones(len(needs.res), dtype=bool)
            keep[idx[ok]] = False
            needs.close(needs.res[idx[ok]], met=True, formal=True)
            needs.drop(keep)
            self.today_served += int(ok.sum())

    def _expire(self, day: int) -> None:
        m, p = self.model, self.p
        ended = [pr for pr in self.projects if pr["ends"] <= day]
        if not ended:
            return
        for pr in ended:
            pr["org"].capacity = 0
            self.projects.remove(pr)
            if p.participation:
                good = m.needs.needs_met_share_age(pr["age"]) >= p.good_share
                self.factor *= (1 + p.feedback) if good else (1 - p.feedback)
                evaluators = np.nonzero(self.donors_period)[0]
                m.civic.participate(evaluators)

    def metrics(self) -> dict[str, float]:
        needs = self.model.needs
        return {"donations": self.today_donations, "projects_funded": float(self.funded),
                "foundation_served": float(self.today_served),
                "foundation_balance": self.balance, "foundation_spent": self.spent,
                "needs_met_share_targeted": needs.needs_met_share_age([0, 1, 3]),
                "needs_met_share_child": needs.needs_met_share_age(0),
                "needs_met_share_youth": needs.needs_met_share_age(1),
                "needs_met_share_senior": needs.needs_met_share_age(3)}
