"""Array-backed hot state of the model: residents (struct of arrays) and their ties.

Residents are many and organizations few, so every per-resident quantity lives in one
numpy array indexed by the resident's row, and every resident–resident tie in edge
arrays. Daily processes update these arrays in bulk; the :class:`~govsim.agents.Resident`
agents read and write them through properties, so Mesa tooling and notebooks still see
agents (DESIGN §7).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from govsim import kernels

__all__ = ["EDGE_KINDS", "ESTABLISHED", "MIGRANT", "ORIGINS", "AGE_GROUPS",
           "ResidentState", "TieBatch", "TieStore"]

ESTABLISHED, MIGRANT = 0, 1
ORIGINS = ("established", "migrant")
AGE_GROUPS = ("child", "youth", "adult", "senior")
EDGE_KINDS = ("kin", "neighbour", "friend", "member", "serves", "employs", "oversees",
              "contracts")
KIN, NEIGHBOUR, FRIEND = 0, 1, 2


@dataclass
class ResidentState:
    """Per-resident arrays (one row per resident).

    The initial values of hardship, legitimacy and trust are kept as each resident's
    structural baseline, towards which experience-driven changes slowly relax.
    """

    origin: np.ndarray          # int8: 0 established, 1 migrant
    community: np.ndarray       # int32
    ward: np.ndarray            # int32, global ward index
    household: np.ndarray       # int32
    age_group: np.ndarray       # int8, index into AGE_GROUPS
    hardship: np.ndarray        # H in [0, 1]
    legitimacy: np.ndarray      # L in [0, 1]
    social_trust: np.ndarray    # tau in [0, 1]
    prosociality: np.ndarray    # intrinsic motivation in [0, 1]
    means: np.ndarray           # relative income/means in [0, 1]
    hardship0: np.ndarray = field(init=False)
    legitimacy0: np.ndarray = field(init=False)
    trust0: np.ndarray = field(init=False)
    points: np.ndarray = field(init=False)          # merit points (Bank of Merit)
    last_participation: np.ndarray = field(init=False)  # day of last collective activity
    needs_met: np.ndarray = field(init=False)       # cumulative count
    needs_unmet: np.ndarray = field(init=False)     # cumulative count
    conflicts: np.ndarray = field(init=False)       # cumulative count
    outgroup_distance: np.ndarray = field(init=False)  # d in [0, 1]: felt social distance

    def __post_init__(self) -> None:
        n = len(self.origin)
        self.hardship0 = self.hardship.copy()
        self.legitimacy0 = self.legitimacy.copy()
        self.trust0 = self.social_trust.copy()
        self.points = np.zeros(n)
        self.last_participation = np.full(n, -10**6, dtype=np.int64)
        self.needs_met = np.zeros(n, dtype=np.int64)
        self.needs_unmet = np.zeros(n, dtype=np.int64)
        self.conflicts = np.zeros(n, dtype=np.int64)
        self.outgroup_distance = np.ones(n)

    @property
    def n(self) -> int:
        return len(self.origin)

    @property
    def grievance(self) -> np.ndarray:
        """Epstein's grievance G = H (1 - L) (Epstein 2002, PNAS 99 suppl. 3)."""
        return self.hardship * (1.0 - self.legitimacy)

    def clip(self) -> None:
        """Keep bounded quantities in [0, 1] after an update."""
        for arr in (self.hardship, self.legitimacy, self.social_trust, self.prosociality,
                    self.outgroup_distance):
            np.clip(arr, 0.0, 1.0, out=arr)


class TieStore:
    """Undirected weighted resident–resident ties as edge arrays (u < v).

    Tie strengths stay in (0, 1]: a non-kin tie that weakens below ``w_min`` is dropped,
    kin ties never fall below it.
    """

    def __init__(self, n: int, u: np.ndarray, v: np.ndarray, w: np.ndarray,
                 kind: np.ndarray, w_min: float = 0.02):
        self.n = n
        self.w_min = w_min
        ok = u != v
        lo, hi = np.minimum(u, v)[ok], np.maximum(u, v)[ok]
        w, kind = w[ok], kind[ok]
        keys = lo.astype(np.int64) * n + hi
        keys, first = np.unique(keys, return_index=True)
        self.u = lo[first].astype(np.int32)
        self.v = hi[first].astype(np.int32)
        self.w = w[first].astype(np.float64)
        self.kind = kind[first].astype(np.int8)
        self.keys = keys
        self._csr: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None
        self.version = 0

    def __len__(self) -> int:
        return len(self.u)

    def _changed(self) -> None:
        self._csr = None
        self.version += 1

    def add(self, u: np.ndarray, v: np.ndarray, w: float | np.ndarray,
            kind: int | np.ndarray) -> int:
        """Add ties that do not exist yet; returns how many were added.

        When a pair is given twice, or already exists, the first occurrence wins (its
        strength and kind are kept). One call costs one merge of the whole tie arrays, so
        a caller with many small groups of ties collects them in a :meth:`bulk` batch.
        """
        if len(u) == 0:
            return 0
        u, v = np.asarray(u), np.asarray(v)
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        ok = lo != hi
        lo, hi = lo[ok], hi[ok]
        w = np.broadcast_to(np.asarray(w, dtype=float), ok.shape)[ok]
        kind = np.broadcast_to(np.asarray(kind, dtype=np.int8), ok.shape)[ok]
        keys = lo.astype(np.int64) * self.n + hi
        keys, first = np.unique(keys, return_index=True)
        new = self.find_keys(keys) < 0
        if not new.any():
            return 0
        idx = first[new]
        # merge into the key-sorted arrays (new keys are sorted and unique)
        at = np.searchsorted(self.keys, keys[new])
        self.keys = np.insert(self.keys, at, keys[new])
        self.u = np.insert(self.u, at, lo[idx].astype(np.int32))
        self.v = np.insert(self.v, at, hi[idx].astype(np.int32))
        self.w = np.insert(self.w, at, w[idx])
        self.kind = np.insert(self.kind, at, kind[idx])
        self._changed()
        return int(new.sum())

    def bulk(self) -> TieBatch:
        """A batch of ties added in one merge when the ``with`` block ends.

        Reads inside the block see the ties as they were before it; the outcome is the
        same as adding each group in turn with :meth:`add`, because the first occurrence
        of a pair wins in both.

        Example
        -------
        >>> t = TieStore(4, np.array([0]), np.array([1]), np.array([0.5]), np.array([0]))
        >>> with t.bulk() as batch:
        ...     batch.add(np.array([1, 2]), np.array([2, 3]), 0.2, FRIEND)
        ...     batch.add(np.array([2]), np.array([1]), 0.9, NEIGHBOUR)
        >>> len(t), batch.added
        (3, 2)
        """
        return TieBatch(self)

    def prune(self) -> int:
        """Drop non-kin ties weaker than ``w_min``; returns how many were dropped."""
        weak, k = kernels.weak_ties(self.w, self.kind, KIN, float(self.w_min))
        if not k:
            return 0
        keep = ~weak
        self.u, self.v, self.w = self.u[keep], self.v[keep], self.w[keep]
        self.kind, self.keys = self.kind[keep], self.keys[keep]
        self._changed()
        return int(k)

    def find(self, u: np.ndarray, v: np.ndarray) -> np.ndarray:
        """Edge indices of the pairs (u, v), or -1 where there is no tie."""
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        return self.find_keys(lo.astype(np.int64) * self.n + hi)

    def find_keys(self, keys: np.ndarray) -> np.ndarray:
        """Edge indices of pair keys ``u * n + v`` (u < v), or -1 where absent."""
        if len(self.keys) == 0:
            return np.full(len(keys), -1, dtype=np.int64)
        pos = np.minimum(np.searchsorted(self.keys, keys), len(self.keys) - 1)
        return np.where(self.keys[pos] == keys, pos, -1)

    def adjacency(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """CSR of the symmetric tie graph: (indptr, indices, edge index of each entry).

        Row r lists first the ties where r is the lower end (partners ascending), then
        those where it is the upper end (partners ascending). The arrays are cached until
        the ties change (``version``).
        """
        if self._csr is None:
            self._csr = _csr_of(self.n, self.u, self.v)
        return self._csr

    def neighbourhoods(self, rows: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                         np.ndarray]:
        """Neighbours of some residents, in the order of :meth:`adjacency`'s rows.

        Costs one pass over the ties instead of a whole CSR when the CSR is not cached,
        for daily rules that visit a few residents' neighbourhoods.

        Parameters
        ----------
        rows : numpy.ndarray
            Resident rows (repeats allowed).

        Returns
        -------
        degree : numpy.ndarray
            The degree of each of ``rows``.
        start : numpy.ndarray
            Where each of ``rows``' neighbours begin in ``neighbours``.
        neighbours : numpy.ndarray
            The neighbours of the distinct rows, one after another.
        """
        rows = np.asarray(rows, dtype=np.int64)
        if self._csr is not None:
            indptr, indices, _ = self._csr
            return np.diff(indptr)[rows], indptr[rows], indices
        uniq, back = np.unique(rows, return_inverse=True)
        # ties where the row is the lower end are one run of the key-sorted arrays
        lo = np.searchsorted(self.keys, uniq * self.n)
        cu = np.searchsorted(self.keys, (uniq + 1) * self.n) - lo
        # ties where it is the upper end: found in one pass over the ties
        member, cv = kernels.upper_counts(self.n, uniq, self.v)
        deg = cu + cv
        ptr = np.zeros(len(uniq) + 1, dtype=np.int64)
        np.cumsum(deg, out=ptr[1:])
        out = np.empty(int(ptr[-1]), dtype=np.int32)
        own = np.repeat(np.arange(len(uniq)), cu)
        k = np.arange(len(own)) - np.repeat(np.cumsum(cu) - cu, cu)
        out[ptr[own] + k] = self.v[lo[own] + k]
        kernels.fill_upper(member, uniq, self.u, self.v, out, ptr[:-1] + cu)
        return deg[back], ptr[back], out


class TieBatch:
    """Ties collected for one merge into a :class:`TieStore` (see :meth:`TieStore.bulk`)."""

    def __init__(self, store: TieStore):
        self.store = store
        self.parts: list[tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = []
        self.added = 0

    def add(self, u: np.ndarray, v: np.ndarray, w: float | np.ndarray,
            kind: int | np.ndarray) -> None:
        u, v = np.asarray(u), np.asarray(v)
        shape = u.shape
        self.parts.append((u, v, np.broadcast_to(np.asarray(w, dtype=float), shape),
                           np.broadcast_to(np.asarray(kind, dtype=np.int8), shape)))

    def commit(self) -> int:
        """Merge the collected ties; returns how many were new."""
        if self.parts:
            u, v, w, kind = (np.concatenate(x) for x in zip(*self.parts, strict=True))
            self.parts = []
            self.added += self.store.add(u, v, w, kind)
        return self.added

    def __enter__(self) -> TieBatch:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.commit()


def _csr_of(n: int, u: np.ndarray, v: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                            np.ndarray]:
    """CSR arrays of the symmetric graph of key-sorted ties, in linear time.

    The ties are sorted by (u, v), so each row's lower-end entries are one run of
    consecutive ties; the upper-end entries come from a counting sort by v (scipy's
    COO-to-CSR conversion is a stable bucket pass), which keeps them in tie order.
    """
    m = len(u)
    cu = np.bincount(u, minlength=n)
    cv = np.bincount(v, minlength=n)
    indptr = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(cu + cv, out=indptr[1:])
    indices = np.empty(2 * m, dtype=np.int32)
    eidx = np.empty(2 * m, dtype=np.int64)
    if m == 0:
        return indptr, indices, eidx
    ustart = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(cu, out=ustart[1:])
    edges = np.arange(m, dtype=np.int64)
    at = indptr[u] + (edges - ustart[u])
    indices[at] = v
    eidx[at] = edges
    by_v = sp.csr_matrix((edges, (v, u)), shape=(n, n))
    rows = np.repeat(np.arange(n), cv)
    at = indptr[rows] + cu[rows] + (np.arange(m) - by_v.indptr[rows])
    indices[at] = by_v.indices
    eidx[at] = by_v.data
    return indptr, indices, eidx
