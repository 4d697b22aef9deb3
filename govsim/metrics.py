"""Conflict, cohesion and service measures, computed every day (formulas in docs/ODD.md).

Names are part of the public interface: they are the CSV columns. Resident means split by
origin carry the suffix ``_established`` / ``_migrant``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from govsim import kernels
from govsim import measures as _measures
from govsim.params import register, spec

if TYPE_CHECKING:
    from govsim.model import CommunityModel
    from govsim.state import TieStore

register([
    spec("metrics.clustering_sample", 1000, 10, 1_000_000, "residents",
         "size of the fixed random panel of residents on which clustering is measured"),
    spec("metrics.clustering_every", 7, 1, 365, "days",
         "clustering is measured on the first day and every this many days, and carried "
         "forward in between (it is the costliest measure and moves slowly; 1: daily)",
         "design: expensive measures may be computed every k days"),
    spec("metrics.window_days", 30, 1, 365, "days",
         "window of the measures over recent days (shares met, response times, "
         "participation)", "a month, as monthly service statistics"),
])

CONFLICT = tuple(m.name for m in _measures.CONFLICT)
COHESION = tuple(m.name for m in _measures.COHESION)
SERVICE = tuple(m.name for m in _measures.SERVICE)
SPLIT = _measures.SPLIT
GAPS = tuple(m.name for m in _measures.GAPS)
GROUPS = _measures.GROUPS


def core_measures() -> tuple[str, ...]:
    """Names of the core measures, in column order (institutions add their own after)."""
    return tuple(m.name for m in _measures.core())


def measure_columns(institutions: Sequence[str], deeds: bool = False) -> list[str]:
    """The measure columns of a run with these institutions (and the deed process, when
    on), from their declarations: no model is built."""
    from govsim.institutions import INSTITUTIONS
    cols = list(core_measures())
    if deeds:
        cols.extend(m.name for m in _measures.DEEDS)
    for name in institutions:
        cols.extend(INSTITUTIONS[name].measure_names())
    return cols


def _group_mean(values: np.ndarray, groups: np.ndarray, n_groups: int = 2,
                counts: np.ndarray | None = None) -> np.ndarray:
    s = kernels.group_sums(values, groups, n_groups)
    c = np.bincount(groups, minlength=n_groups) if counts is None else counts
    return np.divide(s, c, out=np.zeros(n_groups), where=c > 0)


def ei_index(external: float, internal: float) -> float:
    """Krackhardt & Stern's E-I index, (E - I) / (E + I), 0 when there are no ties.

    With E and I the summed strengths of external and internal ties this is the
    tie-strength-weighted E-I index, which, unlike the count version, is not an affine
    function of the share of bridging ties: it also moves when bridging ties strengthen or
    weaken relative to the others.

    Example
    -------
    >>> ei_index(1, 3)
    -0.5

    References
    ----------
    Krackhardt & Stern (1988), Social Psychology Quarterly 51(2):123-140.
    """
    total = external + internal
    return float((external - internal) / total) if total else 0.0


def clustering_of(indptr: np.ndarray, indices: np.ndarray, rows: np.ndarray) -> float:
    """Mean local clustering C_i = 2 T_i / (k_i (k_i - 1)) over ``rows`` (0 if k < 2).

    References
    ----------
    Watts & Strogatz (1998), Nature 393:440-442.
    """
    import scipy.sparse as sp
    n = len(indptr) - 1
    a = sp.csr_matrix((np.ones(len(indices)), indices, indptr), shape=(n, n))
    sub = a[rows]
    tri = np.asarray((sub @ a).multiply(sub).sum(axis=1)).ravel() / 2.0
    k = np.diff(indptr)[rows].astype(float)
    denom = k * (k - 1) / 2.0
    c = np.divide(tri, denom, out=np.zeros(len(rows)), where=denom > 0)
    return float(c.mean()) if len(c) else 0.0


def panel_clustering(ties: TieStore, rows: np.ndarray) -> float:
    """Mean local clustering over ``rows``, read from the tie arrays without a CSR.

    The same value as :func:`clustering_of` on the tie graph: each panel resident's
    neighbours are found in one pass over the ties, and the ties among them are looked up
    by key, so the cost is linear in the ties and does not sort them.

    Parameters
    ----------
    ties : TieStore
        The resident ties.
    rows : numpy.ndarray
        The panel: sorted, unique resident rows.

    Returns
    -------
    float
        Mean of C_i = 2 T_i / (k_i (k_i - 1)) over the panel (C_i = 0 if k_i < 2).

    Example
    -------
    >>> from govsim.state import TieStore
    >>> t = TieStore(4, np.array([0, 0, 1, 0]), np.array([1, 2, 2, 3]), np.ones(4),
    ...              np.zeros(4, dtype=np.int8))
    >>> round(panel_clustering(t, np.array([0, 1])), 4)
    0.6667

    References
    ----------
    Watts & Strogatz (1998), Nature 393:440-442.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return 0.0
    owner, nbr = kernels.panel_ends(ties.n, rows, ties.u, ties.v)
    order = np.argsort(owner, kind="stable")
    owner, nbr = owner[order], nbr[order]
    k = np.bincount(owner, minlength=len(rows))
    start = np.concatenate([[0], np.cumsum(k)])[:-1]
    # every pair (j, l), j < l, of entries of the same owner
    later = k[owner] - 1 - (np.arange(len(owner)) - start[owner])
    j = np.repeat(np.arange(len(owner)), later)
    first_of_j = np.repeat(np.cumsum(later) - later, later)
    l_ = j + 1 + (np.arange(len(j)) - first_of_j)
    linked = ties.find(nbr[j], nbr[l_]) >= 0
    tri = np.bincount(owner[j], weights=linked, minlength=len(rows))
    kf = k.astype(float)
    denom = kf * (kf - 1) / 2.0
    c = np.divide(tri, denom, out=np.zeros(len(rows)), where=denom > 0)
    return float(c.mean())


def observe(model: CommunityModel) -> dict[str, float]:
    """Today's measures, as a flat dict of floats (no NaN)."""
    st, t, today = model.state, model.ties, model.today
    n = st.n
    origin = st.origin
    counts = np.bincount(origin, minlength=2)
    n_group = counts.astype(float)
    out: dict[str, float] = {}
    per_year = 1000.0 * 365.0
    out["disputes"] = today.disputes
    out["conflicts"] = today.conflicts
    out["intergroup_conflicts"] = today.intergroup_conflicts
    out["stranger_disputes"] = int(model.encounters.today.sum())
    out["mediated"] = today.mediated
    out["conflict_rate"] = today.conflicts * per_year / n
    g = st.grievance
    out["grievance_mean"] = float(g.mean())
    out["unresolved_cases"] = model.gov.unresolved_cases
    # cohesion over resident ties
    external, ends, wsum, csum = kernels.tie_origins(origin, t.u, t.v, t.w)
    m = len(t)
    out["tie_strength_mean"] = float(t.w.mean()) if m else 0.0
    e = len(external)
    out["bridging_share"] = e / m if m else 0.0
    w_ext = float(external.sum())
    out["ei_index"] = ei_index(w_ext, float(t.w.sum()) - w_ext)
    out["clustering"] = model.observed_clustering()
    out["social_trust_mean"] = float(st.social_trust.mean())
    out["legitimacy_mean"] = float(st.legitimacy.mean())
    active = st.last_participation > model.day - model.params["metrics.window_days"]
    out["participation_rate"] = float(active.mean())
    out["outgroup_distance_mean"] = float(st.outgroup_distance.mean())
    out["needs_met_share"] = model.needs.needs_met_share()
    resp, within_30, within_deadline = model.gov.response_stats()
    out["response_minutes_mean"] = resp
    out["responded_within_30min_share"] = within_30
    out["responded_within_deadline_share"] = within_deadline
    out["bounced_cases"] = today.bounced_cases
    out["resolution_days_mean"] = model.gov.resolution_days_mean()
    out["hardship_mean"] = float(st.hardship.mean())
    # splits by origin
    parties = np.array([today.conflict_parties_established,
                        today.conflict_parties_migrant], dtype=float)
    split = {
        "conflict_rate": np.divide(parties * per_year, n_group, out=np.zeros(2),
                                   where=n_group > 0),
        "grievance_mean": _group_mean(g, origin, counts=counts),
        "hardship_mean": _group_mean(st.hardship, origin, counts=counts),
        "social_trust_mean": _group_mean(st.social_trust, origin, counts=counts),
        "legitimacy_mean": _group_mean(st.legitimacy, origin, counts=counts),
        "participation_rate": _group_mean(active.astype(float), origin, counts=counts),
        "needs_met_share": np.array([model.needs.needs_met_share(0),
                                     model.needs.needs_met_share(1)]),
    }
    split["tie_strength_mean"] = np.divide(wsum, ends, out=np.zeros(2), where=ends > 0)
    split["bridging_share"] = np.divide(csum, ends, out=np.zeros(2), where=ends > 0)
    for name in SPLIT:
        for k, grp in enumerate(GROUPS):
            out[f"{name}_{grp}"] = float(split[name][k])
    out["legitimacy_gap"] = out["legitimacy_mean_established"] - out["legitimacy_mean_migrant"]
    out["hardship_gap"] = out["hardship_mean_established"] - out["hardship_mean_migrant"]
    if model.deeds is not None:
        out.update(model.deeds.metrics())
    for inst in model.institutions:
        # a dormant institution (warm-up) has nothing to report yet
        out.update(inst.metrics() if model.institutions_active
                   else dict.fromkeys(inst.measure_names(), 0.0))
    return {k: float(v) for k, v in out.items()}
