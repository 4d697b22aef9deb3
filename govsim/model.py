"""CommunityModel: the community governance network and its daily schedule.

The model follows the report "Major Forms of Chinese Community Governance Innovation"
(CIURG, PolyU): community governance as collaboration within networks of government
organizations, private organizations, social organizations, resident self-governance
organizations and individual residents. One step is one day. The schedule (DESIGN §2):

1. needs arise and residents seek help (:mod:`govsim.processes.needs`);
2. government departments handle cases in minutes (:mod:`govsim.processes.government`);
3. residents meet along their ties, some contacts become disputes that are settled,
   mediated or escalate into conflicts (:mod:`govsim.processes.interaction`,
   :mod:`govsim.processes.disputes`);
4. civic activity and the relaxation of attitudes (:mod:`govsim.processes.civic`);
5. institutions act through their hooks between these steps;
6. the day's measures are recorded (:mod:`govsim.metrics`).

A run is a pure function of (parameters, seed): ``CommunityModel(params=..., rng=seed)``,
then ``run_for(days)``.
"""

from __future__ import annotations

from collections import Counter
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
from govsim.community import CommunitySpec, build_community
from govsim.metrics import clustering_of, observe
from govsim.params import Params, register, spec
from govsim.processes import Civic, Disputes, GovernmentSystem, Interaction, Needs
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
        seq = seed_sequence(rng)
        build_seq, dyn_seq, obs_seq = seq.spawn(3)
        super().__init__(rng=np.random.default_rng(dyn_seq))
        self.params = params
        self.seed_entropy = seq.entropy
        self.day = 0
        self.today: Counter = Counter()
        self.history: list[dict[str, float]] = []
        build_rng = np.random.default_rng(build_seq)
        #: the build stream, continued: institutions draw structural attributes from it
        #: when they attach, so that both arms of a comparison share them
        self.build_rng = build_rng
        self.obs_rng = np.random.default_rng(obs_seq)

        self.community = build_community(CommunitySpec.from_params(params), build_rng)
        self.state = self.community.state
        self.ties = self.community.ties
        self._place_agents()
        self.scarcity = np.zeros(self.community.spec.communities)
        n = self.state.n
        k = min(params["metrics.clustering_sample"], n)
        self._panel = np.sort(self.obs_rng.choice(n, size=k, replace=False))

        self.needs = Needs(self)
        self.gov = GovernmentSystem(self)
        self.disputes = Disputes(self)
        self.interaction = Interaction(self)
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
        for inst in sorted(self.institutions, key=lambda i: i.attach_order):
            inst.attach()
        self._hooks = {h: [getattr(i, h) for i in self.institutions if hasattr(i, h)]
                       for h in _institutions.HOOKS}
        self.institutions_active = True

    # -- construction ----------------------------------------------------------------
    def _place_agents(self) -> None:
        com = self.community
        self._graph = com.graph()
        self.grid = Network(self._graph, layout=None, random=self.random)
        self._graph_version = self.ties.version
        cells = self.grid._cells
        self.residents = [Resident(self, cells[i], i) for i in range(self.state.n)]
        self.orgs: list[Organization] = []
        self.departments: list[GovernmentOrg] = []
        self.committees: list[SelfGovernanceOrg] = []
        self.social_orgs: list[SocialOrg] = []
        self.private_orgs: list[PrivateOrg] = []
        p = self.params
        members: dict[int, list[int]] = {}
        for a, b, kind, _ in com.org_edges:
            if kind == "member" and a < self.state.n:
                members.setdefault(b, []).append(a)
        for j, rec in enumerate(com.orgs):
            node = com.org_node(j)
            attrs = dict(rec.attrs)
            if rec.kind == "SelfGovernanceOrg":
                attrs["members"] = tuple(members.get(node, ()))
                attrs["mandate"] = "services, mediation and self-government of the community"
            self._make_org(rec.kind, cells[node], rec.name, **attrs)
        for c, cm in enumerate(self.committees):
            size = self.residents_in(c)
            cm.capacity = max(1, round(p["needs.committee_capacity"] * size / 1000))
            cm.mediation_capacity = max(1, round(p["mediation.capacity"] * size / 1000))
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

    def _make_org(self, kind: str, cell, name: str, **attrs) -> Organization:
        org = _ORG_CLASSES[kind](self, cell, name, **attrs)
        self.orgs.append(org)
        role = attrs.get("role")
        if kind == "GovernmentOrg":
            if role == "department":
                self.departments.append(org)
            elif role == "office":
                self.office = org
        elif kind == "SelfGovernanceOrg" and role == "committee":
            self.committees.append(org)
        elif kind == "SocialOrg":
            self.social_orgs.append(org)
        elif kind == "PrivateOrg":
            self.private_orgs.append(org)
        return org

    def add_org(self, kind: str, name: str, role: str, links: tuple = (), **attrs
                ) -> Organization:
        """Create an organization agent on a new node (used by institutions).

        ``links`` holds ``(node, edge_kind, weight)`` tuples to connect it.
        """
        node = max(self._graph.nodes) + 1
        self._graph.add_node(node, kind=kind, name=name)
        cell = self.grid.cell_klass(coordinate=node, capacity=None, random=self.random)
        self.grid.add_cell(cell)
        org = _ORG_CLASSES[kind](self, cell, name, role=role, **attrs)
        self.orgs.append(org)
        for other, ekind, w in links:
            self.grid.add_connection(cell, self.grid._cells[other])
            self._graph.edges[node, other].update(kind=ekind, weight=w)
        return org

    def residents_in(self, community: int) -> int:
        ws = self.community.ward_start
        wpc = self.community.spec.wards_per_community
        return int(ws[(community + 1) * wpc] - ws[community * wpc])

    # -- the day ---------------------------------------------------------------------
    def _hook(self, name: str) -> None:
        for f in self._hooks[name]:
            f()

    def step(self) -> None:
        """One day of the schedule."""
        self.today = Counter()
        st = self.state
        if not self.institutions_active and self.day >= self.warmup:
            self._switch_on()
        self._hook("start_of_day")
        self.needs.step(self)
        st.clip()
        self._hook("after_needs")
        self.gov.step(self)
        st.clip()
        self._hook("after_government")
        self.interaction.step(self)
        st.clip()
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
        """Mean local clustering on the fixed resident panel (see metrics)."""
        indptr, indices, _ = self.ties.adjacency()
        return clustering_of(indptr, indices, self._panel)

    def timeseries(self) -> pd.DataFrame:
        """One row per simulated day: ``step`` then every measure."""
        return pd.DataFrame(self.history)

    def graph(self) -> nx.Graph:
        """The networkx graph of all agents, brought up to date with the tie arrays.

        Resident ties formed or dropped since the last call are added to or removed from
        both the graph and the Mesa ``Network`` space (so ``agent.cell.neighborhood``
        follows), and every tie's ``weight`` and ``kind`` are refreshed.
        """
        g, n, t = self._graph, self.state.n, self.ties
        if self._graph_version != t.version:
            new = set(zip(t.u.tolist(), t.v.tolist(), strict=True))
            old = {(min(a, b), max(a, b)) for a, b in g.edges() if a < n and b < n}
            cells = self.grid._cells
            for a, b in sorted(old - new):
                self.grid.remove_connection(cells[a], cells[b])
            for a, b in sorted(new - old):
                self.grid.add_connection(cells[a], cells[b])
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
