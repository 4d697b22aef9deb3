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

__all__ = ["EDGE_KINDS", "ESTABLISHED", "MIGRANT", "ORIGINS", "AGE_GROUPS",
           "ResidentState", "TieStore"]

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

    def add(self, u: np.ndarray, v: np.ndarray, w: float | np.ndarray, kind: int) -> int:
        """Add ties that do not exist yet; returns how many were added."""
        if len(u) == 0:
            return 0
        lo, hi = np.minimum(u, v), np.maximum(u, v)
        ok = lo != hi
        lo, hi = lo[ok], hi[ok]
        w = np.broadcast_to(np.asarray(w, dtype=float), ok.shape)[ok]
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
        self.kind = np.insert(self.kind, at, np.int8(kind))
        self._changed()
        return int(new.sum())

    def prune(self) -> int:
        """Drop non-kin ties weaker than ``w_min``; returns how many were dropped."""
        weak = (self.w < self.w_min) & (self.kind != KIN)
        np.maximum(self.w, self.w_min, out=self.w, where=self.kind == KIN)
        if not weak.any():
            return 0
        keep = ~weak
        self.u, self.v, self.w = self.u[keep], self.v[keep], self.w[keep]
        self.kind, self.keys = self.kind[keep], self.keys[keep]
        self._changed()
        return int(weak.sum())

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
        """CSR of the symmetric tie graph: (indptr, indices, edge index of each entry)."""
        if self._csr is None:
            m = len(self.u)
            rows = np.concatenate([self.u, self.v])
            cols = np.concatenate([self.v, self.u])
            eidx = np.concatenate([np.arange(m), np.arange(m)])
            # stable radix sort on rows only: the order within a row does not matter
            order = np.argsort(rows, kind="stable")
            rows, cols, eidx = rows[order], cols[order], eidx[order]
            indptr = np.zeros(self.n + 1, dtype=np.int64)
            np.cumsum(np.bincount(rows, minlength=self.n), out=indptr[1:])
            self._csr = (indptr, cols.astype(np.int32), eidx)
        return self._csr

    def degree(self) -> np.ndarray:
        indptr, _, _ = self.adjacency()
        return np.diff(indptr)

    def matrix(self, weighted: bool = True) -> sp.csr_matrix:
        """Symmetric sparse adjacency matrix (weights or ones)."""
        indptr, indices, eidx = self.adjacency()
        data = self.w[eidx] if weighted else np.ones(len(indices))
        return sp.csr_matrix((data, indices, indptr), shape=(self.n, self.n))
