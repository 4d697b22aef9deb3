"""CommunityModel: the community governance network and its daily schedule.

The model follows the report "Major Forms of Chinese Community Governance Innovation"
(CIURG, PolyU): community governance as collaboration within networks of government
organizations, private organizations, social organizations, resident self-governance
organizations and individual residents. One step is one day. The schedule (DESIGN §2):

1. needs arise and residents seek help (:mod:`govsim.processes.needs`);
   where switched on, residents meet occasions for good deeds, which bond them after the
   day's interaction (:mod:`govsim.processes.deeds`);
2. government departments handle cases in minutes (:mod:`govsim.processes.government`);
3. residents meet along their ties, and strangers meet at work, over money and on the
   road; some contacts and encounters become disputes that are settled, mediated or
   escalate into conflicts (:mod:`govsim.processes.interaction`,
   :mod:`govsim.processes.encounters`, :mod:`govsim.processes.disputes`);
4. civic activity and the relaxation of attitudes (:mod:`govsim.processes.civic`);
5. institutions act through their hooks between these steps;
6. the day's measures are recorded (:mod:`govsim.metrics`).

A run is a pure function of (parameters, seed): ``CommunityModel(params=..., rng=seed)``,
then ``run_for(days)``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import mesa
import networkx as nx
import numpy as np
import pandas as pd
from mesa.discrete_space import Network

from govsim import institutions as _institutions
from govsim.agents import (
    GovernmentOrg,
    Organization,
    PrivateOrg,
    Resident,
    SelfGovernanceOrg,
    SocialOrg,
)
from govsim.allocator import retain_freed_memory
from govsim.community import CommunitySpec, build_community, check_fits
from govsim.metrics import observe, panel_clustering
from govsim.params import Params, register, spec
from govsim.processes import Civic, Deeds, Disputes, GovernmentSystem, Interaction, Needs
from govsim.processes.day import DayCounts
from govsim.processes.encounters import Encounters
from govsim.state import EDGE_KINDS

__all__ = ["CommunityModel", "simulate", "seed_sequence"]

register([spec("model.warmup", 0, 0, 100_000, "days",
               "days of warm-up before the institutions switch on (attach and act); "
               "run summaries leave them out", "Law 2015, §9.5.1 (Welch's method)")])

_ORG_CLASSES = {"GovernmentOrg": GovernmentOrg, "PrivateOrg": PrivateOrg,
                "SocialOrg": SocialOrg, "SelfGovernanceOrg": SelfGovernanceOrg}


def seed_sequence(rng: Any) -> np.random.SeedSequence:
    """A fresh SeedSequence from an int, a SeedSequence or None (fresh entropy).

    A given SeedSequence is copied, because spawning children advances its counter:
    reusing the same object for two runs must give the same streams.
    """
    if isinstance(rng, np.random.SeedSequence):
        return np.random.SeedSequence(rng.entropy, spawn_key=rng.spawn_key,
                                      pool_size=rng.pool_size)
    if rng is None or isinstance(rng, int | np.integer):
        return np.random.SeedSequence(None if rng is None else int(rng))
    raise TypeError(f"rng must be an int, a numpy SeedSequence or None, got {type(rng)}")


class CommunityModel(mesa.Model):
    """A community governance network (see the module docstring for the schedule).

    Parameters
    ----------
    params : Params or mapping of dotted keys, optional
        Parameter values; missing keys take their defaults. A mapping is validated.
    rng : int or numpy.random.SeedSequence, optional
        The run's seed. Three independent child streams are derived from it: one builds
        the community, one drives the dynamics (``model.rng`` and ``model.random``), one
        is used by observation only.

    Example
    -------
    >>> m = CommunityModel(params={"community.residents": 200}, rng=1)
    >>> m.run_for(5)
    >>> len(m.timeseries())
    5
    """

    def __init__(self, *, params: Params | Mapping[str, Any] | None = None,
                 rng: int | np.random.SeedSequence | None = None):
        params = params if isinstance(params, Params) else Params.resolve(params)
        retain_freed_memory()
        seq = seed_sequence(rng)
        build_seq, dyn_seq, obs_seq = seq.spawn(3)
        super().__init__(rng=np.random.default_rng(dyn_seq))
        self.params = params
        self.day = 0
        #: today's events, published by the processes (a fresh record every day)
        self.today = DayCounts()
        self.history: list[dict[str, float]] = []
        build_rng = np.random.default_rng(build_seq)
        #: the build stream, continued: institutions draw structural attributes from it
        #: when they attach, so that both arms of a comparison share them
        self.build_rng = build_rng
        self.obs_rng = np.random.default_rng(obs_seq)

        community_spec = CommunitySpec.from_params(params)
        check_fits(community_spec)
        self.community = build_community(community_spec, build_rng)
        self.state = self.community.state
        self.ties = self.community.ties
        self._place_agents()
        n = self.state.n
        k = min(params["metrics.clustering_sample"], n)
        self._panel = np.sort(self.obs_rng.choice(n, size=k, replace=False))
        self._clustering_seen: float | None = None

        self.needs = Needs(self)
        self.gov = GovernmentSystem(self)
        self.disputes = Disputes(self)
        #: good deeds, a process of some scenarios only: None (and no draws) when off
        self.deeds = Deeds(self) if params["deeds.enabled"] else None
        self.interaction = Interaction(self)
        self.encounters = Encounters(self)
        self.civic = Civic(self)
        self.institutions = [_institutions.INSTITUTIONS[name](self)
                             for name in params["model.institutions"]]
        #: institutions attach and act from this day on; until then they are dormant
        self.warmup = params["model.warmup"]
        self.institutions_active = False
        self._hooks = {h: [] for h in _institutions.HOOKS}
        if self.warmup == 0:
            self._switch_on()

    def _switch_on(self) -> None:
        for inst in self.institutions:
            inst.attach()
        self._hooks = {h: [getattr(i, h) for i in self.institutions if h in i.hooks]
                       for h in _institutions.HOOKS}
        self.institutions_active = True

    # -- construction ----------------------------------------------------------------
    def _place_agents(self) -> None:
        """Create the organizations; the resident views wait until they are asked for.

        The state arrays are the truth. The networkx graph, Mesa's ``Network`` space and
        one :class:`Resident` agent per resident are built on first use
        (:meth:`graph`, :attr:`residents`, :attr:`grid`, :attr:`agents`) and kept in sync
        from then on, so a headless run never pays for them. Resident agents take the
        unique ids 1..n whenever they are made, as if they had been made first.
        """
        com = self.community
        n = self.state.n
        self._views: tuple[nx.Graph, Network] | None = None
        self._residents: list[Resident] | None = None
        self._graph_version = -1
        self._resident_id0 = self.agent_id_counter
        self.agent_id_counter += n
        self._n_nodes = n + len(com.orgs)
        #: organizations added after the build, with their links, for the graph view
        self._added_orgs: list[tuple[Organization, tuple]] = []
        self.orgs: list[Organization] = []
        self.departments: list[GovernmentOrg] = []
        self.committees: list[SelfGovernanceOrg] = []
        self.social_orgs: list[SocialOrg] = []
        self.private_orgs: list[PrivateOrg] = []
        p = self.params
        members: dict[int, list[int]] = {}
        for a, b, kind, _ in com.org_edges:
            if kind == "member" and a < n:
                members.setdefault(b, []).append(a)
        for j, rec in enumerate(com.orgs):
            node = com.org_node(j)
            attrs = dict(rec.attrs)
            attrs["channel"] = rec.kind != "GovernmentOrg"   # hotlines are the gov's own
            if rec.kind == "SelfGovernanceOrg":
                attrs["members"] = tuple(members.get(node, ()))
                attrs["mandate"] = "services, mediation and self-government of the community"
            self._make_org(rec.kind, node, rec.name, **attrs)
        for c, cm in enumerate(self.committees):
            size = self.residents_in(c)
            cm.capacity = max(1, round(p["needs.committee_capacity"] * size / 1000))
        for org in self.social_orgs:
            if org.community is None:
                org.community = 0
            peers = sum(o.community == org.community for o in self.social_orgs)
            org.capacity = max(1, round(p["needs.social_capacity"] *
                                        self.residents_in(org.community) / 1000 / peers))
            org.quality = p["needs.social_quality"]
        for org in self.private_orgs:
            base = self.state.n if org.community is None else self.residents_in(org.community)
            org.capacity = max(1, round(p["needs.private_capacity"] * base / 1000))

    def _make_org(self, kind: str, node: int, name: str, **attrs) -> Organization:
        org = _ORG_CLASSES[kind](self, node, name, **attrs)
        self.orgs.append(org)
        role = attrs.get("role")
        if kind == "GovernmentOrg":
            if role == "department":
                self.departments.append(org)
        elif kind == "SelfGovernanceOrg" and role == "committee":
            self.committees.append(org)
        elif kind == "SocialOrg":
            self.social_orgs.append(org)
        elif kind == "PrivateOrg":
            self.private_orgs.append(org)
        return org

    def add_org(self, kind: str, name: str, role: str, links: tuple = (),
                channel: bool = False, **attrs) -> Organization:
        """Create an organization agent on a new node, with all its bookkeeping.

        Parameters
        ----------
        kind : str
            "GovernmentOrg", "PrivateOrg", "SocialOrg" or "SelfGovernanceOrg".
        name, role : str
            Its name and role (e.g. "station", "hospital").
        links : tuple
            ``(node, edge_kind, weight)`` tuples that connect it in the network.
        channel : bool
            Whether residents may ask it for help (it becomes a help-seeking channel of
            its community and domain); otherwise it serves only as its institution
            directs (e.g. through :meth:`govsim.processes.Needs.serve_pending`).
        **attrs
            The organization class's own attributes (domain, community, capacity, ...).

        Returns
        -------
        Organization
            The agent, already in ``model.orgs`` and its kind's list.
        """
        node = self._n_nodes
        self._n_nodes += 1
        org = self._make_org(kind, node, name, role=role, channel=channel, **attrs)
        self._added_orgs.append((org, tuple(links)))
        if self._views is not None:
            self._show_org(org, links)
        if channel:
            self.needs.refresh_channels()
        return org

    def _show_org(self, org: Organization, links: tuple) -> None:
        """Put an organization added after the build on the graph and the grid."""
        g, grid = self._views
        g.add_node(org.node, kind=type(org).__name__, name=org.name)
        cell = grid.cell_klass(coordinate=org.node, capacity=None, random=self.random)
        grid.add_cell(cell)
        org.cell = cell
        for other, ekind, w in links:
            grid.add_connection(cell, grid._cells[other])
            g.edges[org.node, other].update(kind=ekind, weight=w)

    def _materialise(self) -> tuple[nx.Graph, Network]:
        """Build the graph, the Mesa space and the resident agents from the arrays."""
        if self._views is None:
            g = self.community.graph()
            for org, _ in self._added_orgs:
                g.add_node(org.node, kind=type(org).__name__, name=org.name)
            for org, links in self._added_orgs:
                for other, ekind, w in links:
                    g.add_edge(org.node, other, kind=ekind, weight=w)
            grid = Network(g, layout=None, random=self.random)
            self._views = (g, grid)
            self._graph_version = self.ties.version
            cells = grid._cells
            for org in self.orgs:
                org.cell = cells[org.node]
            after = self.agent_id_counter
            self.agent_id_counter = self._resident_id0
            self._residents = [Resident(self, cells[i], i) for i in range(self.state.n)]
            self.agent_id_counter = after
        return self._views

    @property
    def residents(self) -> list[Resident]:
        """One Mesa agent per resident (made on first use), row ``i`` at index ``i``."""
        self._materialise()
        return self._residents

    @property
    def grid(self) -> Network:
        """Mesa's ``Network`` space of all agents (made on first use)."""
        self.graph()
        return self._views[1]

    @property
    def agents(self):
        """All agents; asking for them makes the resident agents (Mesa's own set)."""
        self._materialise()
        return super().agents

    @property
    def agents_by_type(self):
        self._materialise()
        return super().agents_by_type

    @property
    def agent_types(self) -> list[type]:
        self._materialise()
        return super().agent_types

    @property
    def views_materialised(self) -> bool:
        """Whether the graph, the grid and the resident agents exist yet."""
        return self._views is not None

    def residents_in(self, community: int) -> int:
        ws = self.community.ward_start
        wpc = self.community.wards_per_community
        return int(ws[(community + 1) * wpc] - ws[community * wpc])

    # -- the day ---------------------------------------------------------------------
    def _hook(self, name: str) -> None:
        for f in self._hooks[name]:
            f()

    def step(self) -> None:
        """One day of the schedule."""
        self.today = DayCounts()
        if not self.institutions_active and self.day >= self.warmup:
            self._switch_on()
        if self.institutions_active:
            for inst in self.institutions:
                inst.new_day()
        st = self.state
        self._hook("start_of_day")
        self.needs.step(self)
        st.clip()
        if self.deeds is not None:
            self.deeds.occasions()
        self._hook("after_needs")
        self.gov.step(self)
        st.clip()
        self.interaction.step(self)
        self.encounters.step(self)
        st.clip()
        if self.deeds is not None:
            self.deeds.bond()
        self._hook("after_interaction")
        self.civic.step(self)
        self._hook("end_of_day")
        st.clip()
        record = {"step": self.day + 1}
        record.update(observe(self))
        self.history.append(record)
        self.day += 1

    # -- views -----------------------------------------------------------------------
    def clustering(self) -> float:
        """Mean local clustering on the fixed resident panel (see metrics), today."""
        return panel_clustering(self.ties, self._panel)

    def observed_clustering(self) -> float:
        """The ``clustering`` measure: today's value every ``metrics.clustering_every``
        days (and on the first day), the last measured value in between."""
        every = self.params["metrics.clustering_every"]
        if self._clustering_seen is None or self.day % every == 0:
            self._clustering_seen = self.clustering()
        return self._clustering_seen

    def timeseries(self) -> pd.DataFrame:
        """One row per simulated day: ``step`` then every measure."""
        return pd.DataFrame(self.history)

    def graph(self) -> nx.Graph:
        """The networkx graph of all agents, brought up to date with the tie arrays.

        The first call builds the graph, the Mesa space and the resident agents.

        Resident ties formed or dropped since the last call are added to or removed from
        both the graph and the Mesa ``Network`` space (so ``agent.cell.neighborhood``
        follows), and every tie's ``weight`` and ``kind`` are refreshed.
        """
        g, grid = self._materialise()
        n, t = self.state.n, self.ties
        if self._graph_version != t.version:
            new = set(zip(t.u.tolist(), t.v.tolist(), strict=True))
            old = {(min(a, b), max(a, b)) for a, b in g.edges() if a < n and b < n}
            cells = grid._cells
            for a, b in sorted(old - new):
                grid.remove_connection(cells[a], cells[b])
            for a, b in sorted(new - old):
                grid.add_connection(cells[a], cells[b])
            self._graph_version = t.version
        kinds = np.array(EDGE_KINDS)[t.kind]
        g.add_edges_from(zip(t.u.tolist(), t.v.tolist(),
                             ({"kind": k, "weight": w} for k, w in
                              zip(kinds.tolist(), t.w.tolist(), strict=True)), strict=True))
        return g


def simulate(params: Params | Mapping[str, Any] | None = None, seed: int | None = 0,
             steps: int = 365) -> pd.DataFrame:
    """Run one model and return its daily time series.

    Example
    -------
    >>> df = simulate({"community.residents": 200}, seed=3, steps=3)
    >>> list(df["step"])
    [1, 2, 3]
    """
    model = CommunityModel(params=params, rng=seed)
    model.run_for(steps)
    return model.timeseries()
