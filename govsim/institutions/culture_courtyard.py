"""The culture courtyard of Tiancun Street Compound 40, Haidian, Beijing (report §3).

A worn bicycle shed became a courtyard where culture-themed groups meet; the report counts
eight (choral, dance, knitting, ...), which "improved community cohesion and fostered a
culture marked by harmony and community engagement".

Rules: with the courtyard on (``enabled``), each community gets ``groups`` groups (social
organizations) in the courtyard of one ward. Residents join by interest and availability:
a resident of the courtyard's ward (or, when the courtyard is ``open``, of any ward of the
community) joins a group with probability ``interest`` × (0.5 + prosociality) × a_age,
where the availability a_age is ``availability_youth`` for youths, ``availability_adult``
for working-age adults and ``availability_senior`` for seniors (retirees make up most of
China's community culture groups; children do not join), up to ``capacity`` members a
group and one group a resident. When groups are ``mixed`` they take members of either
origin, so they are mixed where the community is; otherwise each group keeps to one origin
(the control for bridging). Within a group, members practise in circles of ``circle`` (a
choir's section, a knitting table). Every ``meeting_interval`` days each member attends
with probability ``attendance``; attendees of a circle all meet: an existing tie is
strengthened, w ← w + ``gain`` (1 − w), otherwise a new tie of strength
``interaction.new_tie_strength`` forms (Feld 1981: foci create ties); attendees' social
trust rises as in a positive contact, more across origins (Pettigrew & Tropp 2006), and
their participation is recorded.
"""

from __future__ import annotations

import numpy as np

from govsim.institutions.base import Institution, register_institution
from govsim.measures import measure
from govsim.params import register, spec
from govsim.processes.rules import contact_trust, strengthen_or_form
from govsim.state import FRIEND

THEMES = ("choral", "dance", "knitting", "calligraphy", "opera", "painting", "tai chi",
          "reading")

register([
    spec("courtyard.enabled", False, unit="switch",
         doc="culture groups meet in a shared courtyard",
         source="report §3: Tiancun Street Compound 40, Haidian"),
    spec("courtyard.groups", 8, 0, 50, "groups", "culture groups meeting in the courtyard",
         "report §3: eight groups"),
    spec("courtyard.availability_youth", 0.6, 0.0, 1.0, "ratio",
         "availability of youths for a group's meetings (seniors: 1)", "assumption"),
    spec("courtyard.availability_adult", 0.5, 0.0, 1.0, "ratio",
         "availability of working-age adults for a group's meetings", "assumption"),
    spec("courtyard.availability_senior", 1.0, 0.0, 1.0, "ratio",
         "availability of seniors for a group's meetings",
         "assumption: retirees make up most of China's community culture groups"),
    spec("courtyard.capacity", 30, 1, 1000, "members", "members a group can take"),
    spec("courtyard.meeting_interval", 7, 1, 90, "days", "days between a group's meetings"),
    spec("courtyard.open", True, unit="switch",
         doc="residents of other wards of the community may join"),
    spec("courtyard.mixed", True, unit="switch",
         doc="groups take members of either origin (off: each group keeps to one origin)",
         source="Allport's contact conditions via Pettigrew & Tropp 2006; control"),
    spec("courtyard.interest", 0.15, 0.0, 1.0, "probability",
         "chance that a resident is drawn to a group (times 0.5 + prosociality and "
         "availability by age)", "assumption"),
    spec("courtyard.attendance", 0.7, 0.0, 1.0, "probability",
         "chance that a member attends a meeting"),
    spec("courtyard.circle", 6, 2, 100, "members",
         "size of the circles in which members practise together"),
    spec("courtyard.gain", 0.15, 0.0, 1.0, "share", "tie strengthening per meeting"),
])


@register_institution
class CultureCourtyard(Institution):
    """Culture groups in a shared courtyard, meeting regularly."""

    name = "courtyard"
    hooks = ("end_of_day",)
    measures = (
        measure("courtyard_members", "state", "members of all culture groups", "residents"),
        measure("courtyard_attendance", "day", "members at today's meetings", "residents"),
    )

    def attach(self) -> None:
        m, p = self.model, self.p
        st = m.state
        rng = m.build_rng
        ws = m.community.ward_start
        wpc = m.community.wards_per_community
        self.groups: list[np.ndarray] = []
        self.circles: list[np.ndarray] = []
        self.attendance = 0
        if not self.enabled:
            return
        availability = np.array([0.0, p.availability_youth, p.availability_adult,
                                 p.availability_senior])
        for c, committee in enumerate(m.committees):
            if p.open:
                rows = np.arange(ws[c * wpc], ws[(c + 1) * wpc])
            else:
                rows = np.arange(ws[c * wpc], ws[c * wpc + 1])   # the courtyard's ward
            rows = rows[st.age_group[rows] >= 1]
            taken = np.zeros(len(rows), dtype=bool)
            drawn = p.interest * (0.5 + st.prosociality[rows]) * \
                availability[st.age_group[rows]]
            for g in range(p.groups):
                keen = rng.random(len(rows)) < drawn
                if not p.mixed:
                    keen &= st.origin[rows] == g % 2
                cand = rows[keen & ~taken]
                members = rng.permutation(cand)[:p.capacity]
                taken |= np.isin(rows, members)
                theme = THEMES[g % len(THEMES)]
                links = ((committee.node, "serves", 0.5),
                         *((int(r), "member", 0.6) for r in np.sort(members)))
                m.add_org("SocialOrg", f"{theme} group {c + 1}", role="culture group",
                          domain="culture", community=c, links=links).capacity = 0
                self.groups.append(np.sort(members))
                # circles: consecutive members of a random order
                self.circles.extend(np.array_split(members, max(1, len(members) // p.circle)))

    def new_day(self) -> None:
        self.attendance = 0

    def end_of_day(self) -> None:
        """Meeting day: attendees of each circle meet, bond and take part."""
        m, p = self.model, self.p
        if not self.groups or (m.day + 1) % p.meeting_interval:
            return
        rng = m.rng
        for members in self.circles:
            here = members[rng.random(len(members)) < p.attendance]
            self.attendance += len(here)
            m.civic.participate(here)
            if len(here) < 2:
                continue
            i, j = np.triu_indices(len(here), 1)
            a, b = here[i], here[j]
            strengthen_or_form(m, a, b, FRIEND, gain=p.gain)
            contact_trust(m, a, b)

    def metrics(self) -> dict[str, float]:
        """Members of all groups, and today's attendance."""
        return {"courtyard_members": float(sum(len(g) for g in self.groups)),
                "courtyard_attendance": float(self.attendance)}
