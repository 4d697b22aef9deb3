"""Community foundations with resident participation (report §2, Yangjing, Shanghai).

Shanghai encouraged subdistricts and towns to set up community foundations. The Yangjing
Subdistrict foundation serves age groups such as children, high-school students and
seniors; residents are an important source of its funds and take part in deciding on and
evaluating its projects.

Rules:

- **Donations.** Each day an adult or senior resident donates with probability
  ``donate_rate`` · (0.5 + prosociality) · (0.5 + social trust) · f, an amount
  ``gift`` · (0.5 + means); the donation factor f starts at 1 and follows donors'
  evaluations, within [1/``max_factor``, ``max_factor``].
- **The same money without residents** (``participation`` off, or the subdistrict as
  ``provider``): the subdistrict puts in, every day, the expected value of the residents'
  donations at the start (so the arms start with the same money), and residents neither
  donate nor take part.
- **Projects.** Every ``project_interval`` days the balance funds as many projects as it
  covers (⌊balance / ``project_cost``⌋). A project serves one group in one community: the
  children's or the high-school students' education, or the seniors' elder care. It is a
  social organization with an expected volume of r = ``project_cost`` /
  ``cost_per_capacity`` needs a day, for ``project_days`` days, that reaches out: each
  day, after help-seeking, it takes on ⌊r⌋ + Bernoulli(r − ⌊r⌋) of its group's still
  pending needs of its domain in its community (the oldest first;
  :meth:`govsim.processes.needs.Needs.serve_pending`) and meets each with the quality of
  social organizations. This is the foundations' focus on community affairs.
- **The subdistrict as provider** (the scenario's baseline): the same rounds buy the same
  volume, but as grants to the residents' committees in turn, which add it to the
  committee's daily capacity for ``project_days`` days (:func:`govsim.processes.needs.
  daily_volume`). This is the traditional provision the report says subdistricts found
  hard to adapt: residents must choose the committee among their channels, the committee
  serves needs of every domain, and it meets each with the committee's quality.
- **Who chooses.** With participation, the donors since the last round whose household
  has a member of a group or saw needs wait meet, each in their own community. Each who
  saw needs of a group wait (days of pending needs of the group's domain in their
  household since the last round, counted after the projects have served) splits one
  vote over the groups in proportion to those days (cumulative voting); the projects go
  to the (community, group) cells by highest averages (D'Hondt). This is the information
  residents bring to a participatory budget (Gonçalves 2014); votes follow the donors'
  households, so they can favour the groups donors live with. If nobody saw a need wait,
  or without participation, the projects take the cells in turn, the communities
  alternating.
- **Participation and evaluation.** Voters and evaluators take part (participation) and
  meet at the foundation's round: each talks with ``meeting_contacts`` fellow participants
  of their community, a positive contact that raises both parties' social trust by the
  shared contact rule (:func:`govsim.processes.rules.contact_trust`). When a project
  ends, the donors of the period judge it: good if its group's needs-met share (in its
  domain, last 30 days) is at least what it was when the project started, which raises f
  by the share ``feedback``; bad otherwise, which lowers it.
- **Conservation.** Money in (donations and subsidy) equals money spent plus balance.
"""

from __future__ import annotations

import numpy as np

from govsim.community import DOMAINS
from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import contact_trust, daily_volume

#: (name, age group, domain) of the groups a project can serve
GROUPS = (("children", 0, "education"), ("high-school students", 1, "education"),
          ("seniors", 3, "eldercare"))
CELLS = [(age, DOMAINS.index(domain)) for _, age, domain in GROUPS]

register([
    spec("foundation.enabled", False, unit="switch", doc="a community foundation operates",
         source="report §2: Yangjing Subdistrict, Shanghai"),
    spec("foundation.participation", True, unit="switch",
         doc="donors choose and evaluate the foundation's projects (off: the subdistrict's "
             "same money, spread evenly over the groups, and residents take no part)",
         source="report §2"),
    spec("foundation.provider", "foundation", unit="choice",
         doc="who delivers the services the money buys: the foundation's projects, which "
             "reach out to one group's needs, or the subdistrict, which adds the same "
             "service volume to its residents' committees (the traditional provision; "
             "residents then neither donate nor take part)",
         source="report §2", choices=("foundation", "subdistrict")),
    spec("foundation.donate_rate", 0.004, 0.0, 1.0, "per resident per day",
         "base chance of a donation", "assumption"),
    spec("foundation.gift", 1.0, 0.0, 1000.0, "money units", "size of a donation at mean means"),
    spec("foundation.project_interval", 30, 1, 365, "days", "days between project rounds"),
    spec("foundation.project_cost", 150.0, 0.0, 1e9, "money units",
         "cost of a project (at the default donations, about one a month in a community "
         "of 2,000)"),
    spec("foundation.cost_per_capacity", 300.0, 0.01, 1e9, "money units per need per day",
         "what a service volume of one need a day costs (a project then serves half a "
         "need a day: a weekly class or visit round)"),
    spec("foundation.project_days", 180, 1, 3650, "days", "how long a project runs"),
    spec("foundation.meeting_contacts", 3, 0, 100, "residents",
         "fellow participants each voter or evaluator talks with at a round",
         "assumption"),
    spec("foundation.feedback", 0.1, 0.0, 1.0, "share",
         "change of the donation factor after a good or bad evaluation"),
    spec("foundation.max_factor", 3.0, 1.0, 100.0, "ratio",
         "bound of the donation factor f (f stays within [1/bound, bound])", "assumption"),
])


@register_institution
class CommunityFoundation(Institution):
    """Donations, votes on projects, projects that reach out to a group, evaluations."""

    name = "foundation"
    hooks = ("start_of_day", "after_needs", "end_of_day")
    measures = (
        measure("foundation_donations", "day", "money given today (donations, or the "
                "subdistrict's matched money)", "money units"),
        measure("foundation_projects_total", "total", "projects (or grants) funded so far",
                "projects"),
        measure("foundation_projects_running", "state", "projects or grants running now",
                "projects"),
        measure("foundation_served", "day", "needs the projects met today", "needs",
                "higher"),
        measure("foundation_balance", "state", "money not yet spent", "money units"),
        measure("foundation_spent_total", "total", "money spent on projects so far",
                "money units"),
        measure("foundation_factor", "state", "donors' willingness from their evaluations "
                "of ended projects (1 at the start)", "ratio"),
        measure("foundation_needs_met_share_targeted", "window",
                "share of the targeted groups' needs that were met", "share", "higher"),
        measure("foundation_needs_met_share_child", "window",
                "share of children's education needs that were met", "share", "higher"),
        measure("foundation_needs_met_share_youth", "window",
                "share of high-school students' education needs that were met", "share",
                "higher"),
        measure("foundation_needs_met_share_senior", "window",
                "share of seniors' elder-care needs that were met", "share", "higher"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        self.balance = self.donated = self.spent = self.subsidy_total = 0.0
        self.today_donations = 0.0
        self.today_served = 0
        self.funded = 0
        self.factor = 1.0
        self.projects: list[dict] = []
        self.grants: list[dict] = []   # the subdistrict's own provision
        self.participatory = self.enabled and p.participation and p.provider == "foundation"
        self.donors_period = np.zeros(st.n, dtype=bool)
        self.eligible = st.age_group >= 2
        self.amount = p.gift * (0.5 + st.means)
        # the subdistrict's matched money: the donations residents would give at the start
        self.subsidy = float(np.sum(self._donation_prob() * self.amount)) if self.enabled \
            else 0.0
        # what donors see at home: members of each group, and the days its needs have
        # waited since the last round
        n_hh = int(st.household.max()) + 1
        self.hh_members = np.stack([np.bincount(st.household[st.age_group == age],
                                                minlength=n_hh) for _, age, _ in GROUPS],
                                   axis=1).astype(float)
        self.hh_unmet = np.zeros((n_hh, len(GROUPS)))

    # -- the day -----------------------------------------------------------------------
    def start_of_day(self) -> None:
        """The subdistrict's grants add today's service volume to its committees."""
        if not (self.enabled and self.p.provider == "subdistrict"):
            return
        m = self.model
        volume = daily_volume(m.rng, np.array([g["rate"] for g in self.grants]))
        extra = np.bincount([g["community"] for g in self.grants], weights=volume,
                            minlength=len(m.committees))
        for committee, add in zip(m.committees, extra, strict=True):
            committee.contribute(self.name, int(add))

    def new_day(self) -> None:
        self.today_served = 0
        self.today_donations = 0.0

    def after_needs(self) -> None:
        """Projects reach out; households note the groups' needs still waiting."""
        m = self.model
        if not self.enabled:
            return
        needs, st = m.needs, m.state
        volume = daily_volume(m.rng, np.array([pr["rate"] for pr in self.projects]))
        for pr, cap in zip(self.projects, volume, strict=True):
            org, (age, domain) = pr["org"], CELLS[pr["group"]]
            org.capacity = int(cap)
            self.today_served += needs.serve_pending(pr["community"], domain, org.capacity,
                                                     org.quality, age)
        if not self.participatory:
            return   # only donors who vote look at what their household waits for
        res, dom = needs.pending.resident, needs.pending.domain
        for k, (age, d) in enumerate(CELLS):
            hit = res[(dom == d) & (st.age_group[res] == age)]
            np.add.at(self.hh_unmet[:, k], st.household[hit], 1.0)

    def end_of_day(self) -> None:
        m, p = self.model, self.p
        if not self.enabled:
            return
        st, rng = m.state, m.rng
        if self.participatory:
            gift = 0.0
            if p.donate_rate > 0:   # no draw when nobody gives: the arms stay paired
                donors = np.nonzero(rng.random(st.n) < self._donation_prob())[0]
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

    def _donation_prob(self) -> np.ndarray:
        """Each resident's chance of giving today (adults and seniors only)."""
        st, p = self.model.state, self.p
        return np.minimum(1.0, p.donate_rate * (0.5 + st.prosociality) *
                          (0.5 + st.social_trust) * self.factor) * self.eligible

    # -- projects ----------------------------------------------------------------------
    def _fund(self) -> None:
        p = self.p
        if p.project_cost <= 0:
            return
        projects = int(self.balance // p.project_cost)
        if projects == 0:
            return
        if p.provider == "subdistrict":
            n_comm = len(self.model.committees)
            for j in range(self.funded, self.funded + projects):
                self._pay()
                self.grants.append({"community": j % n_comm, "rate": self._volume(),
                                    "ends": self.model.day + p.project_days})
            return
        cells = self._vote(projects) if self.participatory else self._cells_in_turn(projects)
        self.donors_period[:] = False
        self.hh_unmet[:] = 0.0
        for c, k in cells:
            self._start_project(c, k)

    def _vote(self, projects: int) -> list[tuple[int, int]]:
        """The donors' (community, group) cells for ``projects`` projects."""
        m = self.model
        st = m.state
        voters = np.nonzero(self.donors_period)[0]
        hh = st.household[voters]
        seen, members = self.hh_unmet[hh], self.hh_members[hh]
        stake = (seen.sum(axis=1) + members.sum(axis=1)) > 0
        voters, seen = voters[stake], seen[stake]
        m.civic.participate(voters)
        self._meet(voters)
        waited = seen.sum(axis=1)
        if not np.any(waited > 0):
            return self._cells_in_turn(projects)
        # each donor who saw needs wait splits one vote over the groups in proportion to
        # the days they waited (cumulative voting)
        votes = np.zeros((len(m.committees), len(GROUPS)))
        w = waited > 0
        np.add.at(votes, st.community[voters[w]], seen[w] / waited[w, None])
        votes = votes.ravel()
        # seats by highest averages (D'Hondt), ties to the lower cell
        seats = np.zeros(len(votes), dtype=int)
        for _ in range(projects):
            seats[np.argmax(votes / (seats + 1))] += 1
        return [(int(cell) // len(GROUPS), int(cell) % len(GROUPS))
                for cell in np.nonzero(seats)[0] for _ in range(seats[cell])]

    def _cells_in_turn(self, projects: int) -> list[tuple[int, int]]:
        """Without the donors' say the money is spread evenly: the (community, group)
        cells take turns, the communities alternating, whatever their needs."""
        n_comm = len(self.model.committees)
        return [(j % n_comm, (j // n_comm) % len(GROUPS))
                for j in range(self.funded, self.funded + projects)]

    def _start_project(self, c: int, k: int) -> None:
        m, p = self.model, self.p
        name, age, domain = GROUPS[k]
        self._pay()
        org = m.add_org("SocialOrg", f"foundation project {self.funded} for {name}",
                        role="project", domain=domain, community=c, funding="foundation",
                        serves_age=age, links=((m.committees[c].node, "serves", 0.5),))
        org.quality = m.params["needs.social_quality"]
        self.projects.append({"org": org, "community": c, "group": k,
                              "rate": self._volume(),
                              "ends": m.day + p.project_days,
                              "share_at_start": m.needs.needs_met_share_cells([CELLS[k]])})

    def _volume(self) -> float:
        """Expected needs a day that a project's (or grant's) money buys."""
        return self.p.project_cost / self.p.cost_per_capacity

    def _pay(self) -> None:
        self.balance -= self.p.project_cost
        self.spent += self.p.project_cost
        self.funded += 1

    def _expire(self, day: int) -> None:
        m, p = self.model, self.p
        self.grants = [g for g in self.grants if g["ends"] > day]
        ended = [pr for pr in self.projects if pr["ends"] <= day]
        for pr in ended:
            pr["org"].capacity = 0
            self.projects.remove(pr)
            if not self.participatory:
                continue
            share = m.needs.needs_met_share_cells([CELLS[pr["group"]]])
            good = share >= pr["share_at_start"]
            self.factor *= (1 + p.feedback) if good else (1 - p.feedback)
            self.factor = float(np.clip(self.factor, 1 / p.max_factor, p.max_factor))
            evaluators = np.nonzero(self.donors_period)[0]
            m.civic.participate(evaluators)
            self._meet(evaluators)

    def _meet(self, rows: np.ndarray) -> None:
        """Participants of a round talk with fellow participants of their community."""
        m, k = self.model, self.p.meeting_contacts
        if k == 0 or len(rows) < 2:
            return
        comm = m.state.community[rows]
        for c in np.unique(comm):
            here = rows[comm == c]
            if len(here) < 2:
                continue
            a = np.repeat(here, k)
            b = here[m.rng.integers(len(here), size=len(a))]
            keep = a != b
            contact_trust(m, a[keep], b[keep])

    def metrics(self) -> dict[str, float]:
        needs = self.model.needs
        return {"foundation_donations": self.today_donations,
                "foundation_projects_total": float(self.funded),
                "foundation_projects_running": float(len(self.projects) + len(self.grants)),
                "foundation_served": float(self.today_served),
                "foundation_balance": self.balance, "foundation_spent_total": self.spent,
                "foundation_factor": self.factor,
                "foundation_needs_met_share_targeted": needs.needs_met_share_cells(CELLS),
                "foundation_needs_met_share_child": needs.needs_met_share_cells([CELLS[0]]),
                "foundation_needs_met_share_youth": needs.needs_met_share_cells([CELLS[1]]),
                "foundation_needs_met_share_senior": needs.needs_met_share_cells([CELLS[2]])}
