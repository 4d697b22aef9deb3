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
    """``np.bincount(groups, weights=values, minlength=n_groups)`` for groups in
    ``range(n_groups)``; for two groups (the origins) with a select per value instead
    of a store to memory."""
    if n_groups == 2:
        s0 = 0.0
        s1 = 0.0
        for i in range(len(values)):
            x = values[i]
            g = groups[i]
            s0 += 0.0 if g else x
            s1 += x if g else 0.0
        return np.array([s0, s1])
    out = np.zeros(n_groups)
    for i in range(len(values)):
        out[groups[i]] += values[i]
    return out


@njit(cache=True)
def tie_origins(origin, u, v, w):
    """The ties' split by origin (0 or 1) in one pass.

    Returns the strengths of the ties that join two origins, in tie order (so that their
    numpy sum is ``w[cross].sum()``), the ends of each origin (``bincount(ou) +
    bincount(ov)``), the strength at each origin's ends (``bincount(ou, w) +
    bincount(ov, w)``, each added in tie order before the two are added) and the
    crossing ties at each origin's ends, likewise. The sums are kept per origin by
    selects, not branches: adding 0.0 to the other origin's sum leaves it as it is."""
    m = len(u)
    ext = np.empty(m)
    e = 0
    u1 = 0
    v1 = 0
    cu1 = 0
    cv1 = 0
    wu0 = 0.0
    wu1 = 0.0
    wv0 = 0.0
    wv1 = 0.0
    for i in range(m):
        a = np.int64(origin[u[i]])
        b = np.int64(origin[v[i]])
        x = w[i]
        c = np.int64(a != b)
        ext[e] = x
        e += c
        u1 += a
        v1 += b
        cu1 += c * a
        cv1 += c * b
        wu0 += 0.0 if a else x
        wu1 += x if a else 0.0
        wv0 += 0.0 if b else x
        wv1 += x if b else 0.0
    ends = np.array([(m - u1) + (m - v1), u1 + v1], np.int64)
    wsum = np.array([wu0 + wv0, wu1 + wv1])
    csum = np.array([float(e - cu1) + float(e - cv1), float(cu1) + float(cv1)])
    return ext[:e], ends, wsum, csum


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


@njit(cache=True)
def _bisect(a, x):
    """``np.searchsorted(a, x)`` for one value."""
    lo = 0
    hi = len(a)
    while lo < hi:
        mid = (lo + hi) >> 1
        if a[mid] < x:
            lo = mid + 1
        else:
            hi = mid
    return lo


@njit(cache=True)
def panel_ends(n, rows, u, v):
    """The ties at the residents ``rows`` (sorted, distinct), in one pass: the panel
    slot and the other end of each tie whose lower end is in the panel, in tie order,
    then the same for the upper ends (numpy's ``slot[u] >= 0`` then ``slot[v] >= 0``).
    Membership is read from a one-byte mask, the slot found by bisection."""
    member = np.zeros(n, np.bool_)
    for r in rows:
        member[r] = True
    ku = 0
    kv = 0
    for e in range(len(u)):
        ku += member[u[e]]
        kv += member[v[e]]
    owner = np.empty(ku + kv, np.int64)
    nbr = np.empty(ku + kv, np.int64)
    i = 0
    j = ku
    for e in range(len(u)):
        a = u[e]
        b = v[e]
        if member[a]:
            owner[i] = _bisect(rows, a)
            nbr[i] = b
            i += 1
        if member[b]:
            owner[j] = _bisect(rows, b)
            nbr[j] = a
            j += 1
    return owner, nbr


@njit(cache=True)
def contacts_of(draws, w, kind, kin, contact_rate, kin_contact):
    """The ties with ``draws < p``, p = contact_rate (0.3 + 0.7 w) (kin ties min(1,
    p kin_contact)), rounded as numpy rounds it; ascending, as ``np.nonzero`` gives
    them."""
    m = len(w)
    out = np.empty(m, np.int64)
    k = 0
    for i in range(m):
        p = (w[i] * 0.7 + 0.3) * contact_rate
        if kind[i] == kin:
            p = min(p * kin_contact, 1.0)
        out[k] = i
        k += draws[i] < p
    return out[:k].copy()


@njit(cache=True)
def upper_counts(n, uniq, v):
    """For the sorted, distinct residents ``uniq``: a one-byte mask of them and how many
    ties each is the upper end of (one pass; the slot of a match found by bisection)."""
    member = np.zeros(n, np.bool_)
    for r in uniq:
        member[r] = True
    cv = np.zeros(len(uniq), np.int64)
    for e in range(len(v)):
        if member[v[e]]:
            cv[_bisect(uniq, v[e])] += 1
    return member, cv


@njit(cache=True)
def fill_upper(member, uniq, u, v, out, fill):
    """Write the lower end of every tie whose upper end is in ``uniq`` at ``out[fill[s]]``
    (s its slot), advancing ``fill[s]``: each one's neighbours in tie order."""
    for e in range(len(v)):
        b = v[e]
        if member[b]:
            s = _bisect(uniq, b)
            out[fill[s]] = u[e]
            fill[s] += 1


@njit(cache=True)
def observe_in_order(legitimacy, res, ward, favourable, fair, ward_start, weight, rate):
    """The day's closed cases observed one after another, as one call per case of
    :func:`govsim.processes.attitudes.observe_decision` would: case j is seen by resident
    ``res[j]``, or, where ``res[j] < 0`` (a community case), by every resident of ward
    ``ward[j]``. Each observer moves by ``rate * (weight F + (1 - weight) O - L)`` with
    the same operations in the same order, so the result is byte-identical; a ward's
    block is one pass without temporaries."""
    keep = 1.0 - weight
    for j in range(len(res)):
        target = weight * fair[j] + keep * favourable[j]
        i = res[j]
        if i >= 0:
            legitimacy[i] += rate * (target - legitimacy[i])
        else:
            w = ward[j]
            for k in range(ward_start[w], ward_start[w + 1]):
                legitimacy[k] += rate * (target - legitimacy[k])
