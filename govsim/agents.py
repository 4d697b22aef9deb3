"""The five kinds of governance subjects of the report as Mesa agents.

The report defines community governance as collaboration within networks of at least two
of five subjects: government organizations, private organizations, social organizations,
resident self-governance organizations and individual residents (report, introduction).
Every agent sits on its own node of the community network
(:class:`mesa.discrete_space.Network`).

Organizations are few and keep their state as ordinary attributes. Residents are many:
a :class:`Resident` is a thin view on one row of :class:`govsim.state.ResidentState`, so
reading ``resident.hardship`` or writing ``resident.legitimacy = 0.7`` goes to the arrays
the vectorised daily processes use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mesa.discrete_space import FixedAgent

from govsim.state import AGE_GROUPS, ORIGINS

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["GovernmentOrg", "PrivateOrg", "SocialOrg", "SelfGovernanceOrg", "Resident",
           "Organization", "AGENT_CLASSES"]


class Organization(FixedAgent):
    """Common base of the four organizational subjects.

    ``capacity`` (needs or cases it can take on per day) is the organization's own
    ``base_capacity`` plus the contributions that institutions add with
    :meth:`contribute`, so that one institution's change never overwrites another's.
    ``channel`` says whether residents may ask it for help (a help-seeking channel).
    """

    def __init__(self, model: CommunityModel, cell, name: str, role: str,
                 community: int | None = None, capacity: int = 0, channel: bool = False):
        super().__init__(model)
        # ``cell`` is a Mesa cell or, while the model has no grid yet, the node id: the
        # cell is then given when the grid is made
        if hasattr(cell, "coordinate"):
            self._node = cell.coordinate
            self.cell = cell
        else:
            self._node = int(cell)
        self.name = name
        self.role = role
        self.community = community
        self.base_capacity = int(capacity)
        self.contributions: dict[str, int] = {}
        self.channel = channel

    @property
    def capacity(self) -> int:
        return max(0, self.base_capacity + sum(self.contributions.values()))

    @capacity.setter
    def capacity(self, value: int) -> None:
        self.base_capacity = int(value)

    def contribute(self, source: str, amount: int) -> None:
        """Set the capacity that ``source`` (an institution) adds today."""
        self.contributions[source] = int(amount)

    @property
    def node(self) -> int:
        """The organization's node id in the network."""
        return self._node

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.name!r})"


class GovernmentOrg(Organization):
    """A government department or the subdistrict/township office.

    State: the domain it handles, staff capacity, a response-time profile (mean
    mobilisation minutes and effort), a performance score (share of recent cases answered
    within the deadline) and a budget.
    """

    def __init__(self, model, cell, name, role, domain=None, staff=1, community=None,
                 budget=0.0, channel=False):
        super().__init__(model, cell, name, role, community, channel=channel)
        self.domain = domain
        self.staff = int(staff)
        self.effort = 1.0
        self.performance = 1.0
        self.budget = float(budget)
        self.cases_handled = 0


class PrivateOrg(Organization):
    """Realty management, employers, a bank, a hospital.

    State: services offered, daily capacity, and role in disputes (realty management
    arbitrates parking; employers are parties to employment disputes).
    """

    def __init__(self, model, cell, name, role, services=(), capacity=0, community=None,
                 channel=False):
        super().__init__(model, cell, name, role, community, capacity, channel)
        self.services = tuple(services)


class SocialOrg(Organization):
    """A social organization: service provider, culture group, foundation, library.

    State: service domain/activities, daily capacity, quality in [0, 1], funding source and,
    for services restricted to one age group, ``serves_age`` (an index into AGE_GROUPS).
    """

    def __init__(self, model, cell, name, role, domain=None, capacity=0, quality=0.7,
                 funding="self", community=None, serves_age=None, channel=False):
        super().__init__(model, cell, name, role, community, capacity, channel)
        self.domain = domain
        self.serves_age = serves_age
        self.quality = float(quality)
        self.funding = funding


class SelfGovernanceOrg(Organization):
    """A residents' or villagers' committee (or another self-governance body).

    State: member residents (rows), mandate, and daily service capacity (mediation
    capacity is the dispute process's, :class:`govsim.processes.Mediator`).
    """

    def __init__(self, model, cell, name, role, community=None, members=(), mandate="",
                 capacity=0, channel=False):
        super().__init__(model, cell, name, role, community, capacity, channel)
        self.members = tuple(members)
        self.mandate = mandate


def _row_property(name: str, doc: str, cast=float):
    def get(self):
        return cast(getattr(self.model.state, name)[self.row])

    def set_(self, value):
        getattr(self.model.state, name)[self.row] = value

    return property(get, set_, doc=doc)


class Resident(FixedAgent):
    """An individual resident, established or migrant, backed by one state row."""

    def __init__(self, model: CommunityModel, cell, row: int):
        super().__init__(model)
        self.cell = cell
        self.row = row

    hardship = _row_property("hardship", "H in [0, 1]: unmet needs and deprivation")
    legitimacy = _row_property("legitimacy", "L in [0, 1]: trust in governing bodies")
    social_trust = _row_property("social_trust", "generalised trust in other residents")
    prosociality = _row_property("prosociality", "intrinsic motivation to help others")
    means = _row_property("means", "relative income and assets in [0, 1]")
    points = _row_property("points", "merit points (Bank of Merit)")
    outgroup_distance = _row_property(
        "outgroup_distance", "felt social distance to the other origin group, in [0, 1]")
    community = _row_property("community", "community index", int)
    ward = _row_property("ward", "ward index", int)
    household = _row_property("household", "household index", int)

    @property
    def origin(self) -> str:
        """'established' (local hukou) or 'migrant'."""
        return ORIGINS[self.model.state.origin[self.row]]

    @property
    def age_group(self) -> str:
        return AGE_GROUPS[self.model.state.age_group[self.row]]

    @property
    def grievance(self) -> float:
        """G = H (1 - L), after Epstein (2002)."""
        return self.hardship * (1.0 - self.legitimacy)

    @property
    def needs(self) -> int:
        """Needs of this resident waiting for help today."""
        return int(self.model.needs.pending_count(self.row))

    def __repr__(self) -> str:
        return f"Resident({self.row}, {self.origin})"


AGENT_CLASSES = {c.__name__: c for c in
                 (GovernmentOrg, PrivateOrg, SocialOrg, SelfGovernanceOrg, Resident)}
