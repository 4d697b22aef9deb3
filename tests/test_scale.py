"""Scale: bulk tie construction, views on demand and the memory limit."""

import networkx as nx
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govsim import CommunityModel
from govsim import community as community_mod
from govsim.cli import main
from govsim.metrics import clustering_of, panel_clustering
from govsim.params import ParamError, Params
from govsim.state import TieStore, _csr_of

SMALL = {"community.residents": 250, "community.communities": 2}


def _store(n, seed, m):
    rng = np.random.default_rng(seed)
    return TieStore(n, rng.integers(0, n, m), rng.integers(0, n, m), rng.random(m),
                    rng.integers(0, 3, m))


groups = st.lists(st.tuples(st.lists(st.tuples(st.integers(0, 29), st.integers(0, 29)),
                                     max_size=12),
                            st.floats(0.05, 1.0), st.integers(0, 3)),
                  max_size=8)


@settings(max_examples=30, deadline=None)
@given(groups=groups, seed=st.integers(0, 2**16), m=st.integers(0, 60))
def test_bulk_ties_equal_adding_each_group_in_turn(groups, seed, m):
    one, bulk = _store(30, seed, m), _store(30, seed, m)
    added = 0
    with bulk.bulk() as batch:
        for pairs, w, kind in groups:
            u = np.array([a for a, _ in pairs], dtype=np.int64)
            v = np.array([b for _, b in pairs], dtype=np.int64)
            added += one.add(u, v, w, kind)
            batch.add(u, v, w, kind)
    assert batch.added == added
    for name in ("keys", "u", "v", "w", "kind"):
        assert np.array_equal(getattr(one, name), getattr(bulk, name)), name


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 80), seed=st.integers(0, 2**16), per=st.floats(0.0, 6.0))
def test_linear_csr_keeps_the_order_of_a_stable_sort_by_row(n, seed, per):
    t = _store(n, seed, int(n * per))
    m = len(t)
    rows = np.concatenate([t.u, t.v])
    order = np.argsort(rows, kind="stable")
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n), out=indptr[1:])
    cols = np.concatenate([t.v, t.u])[order]
    eidx = np.concatenate([np.arange(m), np.arange(m)])[order]
    got = _csr_of(n, t.u, t.v)
    assert np.array_equal(got[0], indptr)
    assert np.array_equal(got[1], cols)
    assert np.array_equal(got[2], eidx)
    panel = np.arange(0, n, 3)
    assert panel_clustering(t, panel) == clustering_of(got[0], got[1], panel)


def _graph_data(g):
    nodes = {k: tuple(sorted(d.items())) for k, d in g.nodes(data=True)}
    edges = {(min(a, b), max(a, b)): (d["kind"], d["weight"]) for a, b, d in
             g.edges(data=True)}
    return nodes, edges


@pytest.mark.parametrize("scenario_params", [
    SMALL,
    {**SMALL, "model.institutions": ("harmony",), "harmony.enabled": True,
     "harmony.stations": True},
])
def test_views_made_on_day_0_or_day_60_give_the_same_run_and_graph(scenario_params):
    early = CommunityModel(params=scenario_params, rng=4)
    early.graph()
    late = CommunityModel(params=scenario_params, rng=4)
    assert early.views_materialised and not late.views_materialised
    early.run_for(30)
    late.run_for(30)
    early.graph()          # the early views follow the ties as they change
    late.run_for(30)
    early.run_for(30)
    assert not late.views_materialised
    assert early.timeseries().equals(late.timeseries())
    g_early, g_late = early.graph(), late.graph()
    assert _graph_data(g_early) == _graph_data(g_late)
    assert nx.utils.graphs_equal(nx.Graph(g_early.edges), nx.Graph(g_late.edges))
    for a, b in zip(early.residents, late.residents, strict=True):
        assert (a.unique_id, a.row, a.cell.coordinate) == (b.unique_id, b.row,
                                                           b.cell.coordinate)
        assert ({c.coordinate for c in a.cell.neighborhood} ==
                {c.coordinate for c in b.cell.neighborhood})
    for a, b in zip(early.orgs, late.orgs, strict=True):
        assert (a.unique_id, a.node, a.cell.coordinate, a.name) == (
            b.unique_id, b.node, b.cell.coordinate, b.name)
    assert len(early.agents) == len(late.agents) == early.graph().number_of_nodes()


def test_a_headless_run_makes_no_resident_agents():
    m = CommunityModel(params=SMALL, rng=1)
    m.run_for(3)
    assert not m.views_materialised
    assert m.agent_id_counter == 1 + m.state.n + len(m.orgs)
    assert m.residents[7].row == 7 and m.residents[7].unique_id == 8


def test_the_residents_cap_is_twenty_million():
    assert Params.resolve({"community.residents": 20_000_000})["community.residents"] \
        == 20_000_000
    with pytest.raises(ParamError):
        Params.resolve({"community.residents": 20_000_001})


def test_a_community_over_the_memory_estimate_is_refused_before_it_is_built(
        monkeypatch, tmp_path, capsys):
    monkeypatch.setattr(community_mod, "available_memory", lambda: 64 * 2**20)

    def never(*args, **kwargs):
        raise AssertionError("the community was built")
    monkeypatch.setattr("govsim.model.build_community", never)
    with pytest.raises(community_mod.CommunityTooLarge, match="GiB"):
        CommunityModel(params={"community.residents": 100_000}, rng=1)
    out = tmp_path / "x.csv"
    code = main(["run", "baseline", "--residents", "100000", "--steps", "1",
                 "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and "community.residents=100,000" in err
    assert not out.exists()


def test_the_memory_estimate_grows_with_residents_and_ties():
    small = community_mod.CommunitySpec(residents=10_000)
    big = community_mod.CommunitySpec(residents=100_000)
    dense = community_mod.CommunitySpec(residents=100_000, friend_degree=20.0)
    est = community_mod.estimate_bytes
    assert est(small) < est(big) < est(dense)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(1, 60), seed=st.integers(0, 2**16), per=st.floats(0.0, 6.0),
       rows=st.lists(st.integers(0, 59), min_size=1, max_size=20))
def test_neighbourhoods_of_a_few_rows_equal_the_csr_rows(n, seed, per, rows):
    t = _store(n, seed, int(n * per))
    rows = np.array([r % n for r in rows])
    deg, start, nbrs = t.neighbourhoods(rows)
    indptr, indices, _ = _csr_of(n, t.u, t.v)
    for r, d, s0 in zip(rows, deg, start, strict=True):
        assert np.array_equal(nbrs[s0:s0 + d], indices[indptr[r]:indptr[r + 1]])


def _faults_of_a_fresh_array(mib: int) -> int:
    import resource
    before = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
    a = np.ones(mib * 2**20 // 8)
    a += 1.0
    del a
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt - before


def test_a_model_keeps_freed_temporaries_for_the_next_day_where_glibc_allows():
    """A day's temporaries of the size of the tie arrays are served again from the heap,
    not from fresh pages (govsim.allocator): after a model was built, a second array of
    64 MiB touches no new page, where glibc's default maps every block over 32 MiB afresh
    and faults on each of its pages every time (544 faults here with transparent huge
    pages, 16,384 without)."""
    import platform
    if platform.libc_ver()[0] != "glibc":
        pytest.skip("the tuning applies to glibc only")
    CommunityModel(params=SMALL, rng=1)
    _faults_of_a_fresh_array(64)
    assert _faults_of_a_fresh_array(64) < 50
