"""Building the community: agents, graph, households, wards and homophily."""

import networkx as nx
import numpy as np
import pytest

from govsim import CommunityModel
from govsim.agents import AGENT_CLASSES
from govsim.community import CommunitySpec, build_community
from govsim.metrics import ei_index
from govsim.state import EDGE_KINDS, KIN


@pytest.fixture(scope="module")
def model():
    return CommunityModel(params={"community.residents": 600, "community.communities": 3},
                          rng=5)


def test_all_five_kinds_of_subjects_have_members(model):
    counts = {name: len(model.agents_by_type[cls]) for name, cls in AGENT_CLASSES.items()}
    assert counts["Resident"] == 600
    assert counts["GovernmentOrg"] == 23 + 1          # departments and the office
    assert counts["SelfGovernanceOrg"] == 3           # one committee per community
    assert counts["SocialOrg"] == 6
    assert counts["PrivateOrg"] == 4 + 3              # plus one realty firm per community


def test_graph_has_integer_nodes_and_typed_weighted_edges(model):
    g = model.graph()
    assert all(isinstance(n, int) for n in g.nodes)
    assert g.number_of_nodes() == len(model.agents)
    kinds = {d["kind"] for _, _, d in g.edges(data=True)}
    assert kinds == set(EDGE_KINDS)
    assert all(0 < d["weight"] <= 1 for _, _, d in g.edges(data=True))
    for agent in model.agents:
        assert agent.cell.coordinate in g


def test_every_agent_sits_on_its_own_network_cell(model):
    cells = [a.cell.coordinate for a in model.agents]
    assert len(set(cells)) == len(cells)


def test_households_stay_within_wards_and_kin_ties_join_household_members(model):
    st, t = model.state, model.ties
    for h in np.unique(st.household):
        assert len(np.unique(st.ward[st.household == h])) == 1
    kin = t.kind == KIN
    assert np.all(st.household[t.u[kin]] == st.household[t.v[kin]])
    assert np.all(t.u < t.v)


def test_residents_read_and_write_the_state_arrays(model):
    r = model.residents[10]
    r.legitimacy = 0.25
    assert model.state.legitimacy[10] == 0.25
    assert r.origin in ("established", "migrant")
    assert r.grievance == pytest.approx(r.hardship * 0.75)


def test_the_graph_follows_the_tie_arrays_on_request():
    m = CommunityModel(params={"community.residents": 300}, rng=2)
    m.run_for(20)
    g = m.graph()
    res = nx.subgraph(g, range(300))
    assert res.number_of_edges() == len(m.ties)
    u, v, w = int(m.ties.u[0]), int(m.ties.v[0]), float(m.ties.w[0])
    assert g.edges[u, v]["weight"] == w


@pytest.mark.parametrize("share", [0.0, 0.3, 0.7, 1.0])
def test_migrant_share_is_met(share):
    c = build_community(CommunitySpec(residents=4000, migrant_share=share, homophily=0.5),
                        np.random.default_rng(3))
    assert abs(c.state.origin.mean() - share) < 0.08


def test_homophily_segregates_the_network():
    def ei(h):
        c = build_community(CommunitySpec(residents=3000, homophily=h),
                            np.random.default_rng(4))
        o = c.state.origin
        cross = (o[c.ties.u] != o[c.ties.v]).sum()
        return ei_index(cross, len(c.ties) - cross)
    assert ei(0.9) < ei(0.5) < ei(0.0)


def test_the_same_build_seed_gives_the_same_community():
    a = build_community(CommunitySpec(residents=500), np.random.default_rng(9))
    b = build_community(CommunitySpec(residents=500), np.random.default_rng(9))
    assert np.array_equal(a.ties.keys, b.ties.keys) and np.array_equal(a.ties.w, b.ties.w)
    assert np.array_equal(a.state.origin, b.state.origin)


def test_the_mesa_network_follows_new_and_dropped_ties():
    m = CommunityModel(params={"community.residents": 300}, rng=6)
    m.run_for(30)
    g = m.graph()
    r = m.residents[5]
    expected = {b for b in g.neighbors(5)}
    assert {c.coordinate for c in r.cell.neighborhood} == expected


@pytest.mark.parametrize("residents,communities,wpc,size", [
    (2000, 2, 8, 1000), (103_000, 13, 8, 1000), (50_000, 2, 8, 1000), (9_001, 3, 1, 500),
    (30, 4, 2, 10)])
def test_no_ward_holds_more_than_the_ward_size_and_small_communities_keep_their_wards(
        residents, communities, wpc, size):
    spec = CommunitySpec(residents=residents, communities=communities,
                         wards_per_community=wpc, max_ward_size=size)
    c = build_community(spec, np.random.default_rng(3))
    sizes = np.diff(c.ward_start)
    assert sizes.max() <= size
    assert len(sizes) == communities * c.wards_per_community
    # every community has the same number of wards, and its rows are contiguous
    assert np.array_equal(c.ward_community,
                          np.repeat(np.arange(communities), c.wards_per_community))
    assert np.array_equal(c.state.community, c.ward_community[c.state.ward])
    largest = -(-residents // communities)
    if largest <= wpc * size:
        assert c.wards_per_community == wpc
    else:   # no more wards than the bound needs: one fewer would overflow
        assert largest > (c.wards_per_community - 1) * size
