"""Compiled passes (numba) over the resident and tie arrays for the daily rules and
measures that numpy would make in several passes with large temporaries.

Each kernel adds in the order numpy adds in the code it replaces (``np.bincount`` with
weights adds element by element, in index order), so results are byte-identical; sums
that numpy makes pairwise (``ndarray.sum``, ``mean``) stay in numpy.
"""

from __future__ import annotations

import numpy as np
from numba import njit


@njit(cache=True)
def group_sums(values, groups, n_groups):
    """``np.bincount(groups, weights=values, minlength=n_groups)``."""
    out = np.zeros(n_groups)
    for i in range(len(values)):
        out[groups[i]] += values[i]
    return out


@njit(cache=True)
def tie_origins(origin, u, v, w):
    """The ties' split by origin in one pass.

    Returns ``cross`` (the tie joins two origins), the ends of each origin
    (``bincount(ou) + bincount(ov)``), the strength at each origin's ends
    (``bincount(ou, w) + bincount(ov, w)``, each added in tie order before the two are
    added) and the crossing ties at each origin's ends, likewise."""
    m = len(u)
    cross = np.empty(m, np.bool_)
    ends = np.zeros(2, np.int64)
    wu = np.zeros(2)
    wv = np.zeros(2)
    cu = np.zeros(2)
    cv = np.zeros(2)
    for i in range(m):
        a = origin[u[i]]
        b = origin[v[i]]
        c = a != b
        cross[i] = c
        ends[a] += 1
        ends[b] += 1
        wu[a] += w[i]
        wv[b] += w[i]
        if c:
            cu[a] += 1.0
            cv[b] += 1.0
    return cross, ends, wu + wv, cu + cv


@njit(cache=True)
def draw_contacts(rng, w, kind, kin, contact_rate, kin_contact):
    """Ties with a contact today: ``rng.random(m) < p`` with p = contact_rate (0.3 + 0.7
    w), kin ties min(1, p kin_contact), rounded as numpy rounds it; the indices in
    ascending order, as ``np.nonzero`` gives them."""
    m = len(w)
    out = np.empty(m, np.int64)
    k = 0
    for i in range(m):
        p = (w[i] * 0.7 + 0.3) * contact_rate
        if kind[i] == kin:
            p = p * kin_contact
            if p > 1.0:
                p = 1.0
        if rng.random() < p:
            out[k] = i
            k += 1
    return out[:k].copy()


@njit(cache=True)
def decay_ties(w, kind, kin, contact, factor):
    """``w *= factor`` on every non-kin tie without a contact today."""
    skip = np.zeros(len(w), np.bool_)
    for i in contact:
        skip[i] = True
    for i in range(len(w)):
        if kind[i] != kin and not skip[i]:
            w[i] = w[i] * factor


@njit(cache=True)
def weak_ties(w, kind, kin, w_min):
    """Raise kin ties to ``w_min``; the non-kin ties weaker than it (a mask) and how
    many there are."""
    weak = np.zeros(len(w), np.bool_)
    k = 0
    for i in range(len(w)):
        if kind[i] == kin:
            if w[i] < w_min:
                w[i] = w_min
        elif w[i] < w_min:
            weak[i] = True
            k += 1
    return weak, k


@njit(cache=True)
def weighted_degree(u, v, w, n):
    """``np.bincount(u, weights=w, minlength=n) + np.bincount(v, weights=w,
    minlength=n)``: each sum added in tie order, then the two added."""
    a = np.zeros(n)
    b = np.zeros(n)
    for e in range(len(u)):
        a[u[e]] += w[e]
        b[v[e]] += w[e]
    return a + b
