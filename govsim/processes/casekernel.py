"""The government's case handling compiled with numba: the same events, the same draws.

:class:`govsim.processes.government.GovernmentSystem` handles cases with a Python event
loop (a heap of intake, arrival, finish and bounce events, one Python call per event) that
every institution can change through its :class:`~govsim.processes.government.CaseLayer`.
When the policy is the government's own handling alone (no layer, no listener), the same
loop runs here, compiled: cases are rows of arrays, the event heap and the departments'
server heaps are arrays, and the draws are made from the model's own generator in the
same order and with the same algorithms as numpy's (numba's ``Generator`` support calls
the generator's own bit generator; ``choice(n, k, replace=False)`` is written out as
numpy's Floyd sampling and tail shuffle). The run is therefore byte-identical to the
Python loop's, which stays the reference (``tests/test_casekernel.py`` checks both on
random settings).

What the loop decides that touches residents (the closed cases' people observing the
decision, the needs the cases met) is returned as a log in event order and applied by
the caller after the loop, in that order for every resident.
"""

from __future__ import annotations

import numpy as np
from numba import njit

#: event kinds, as in the Python loop's ``_on_<kind>`` handlers
KINDS = ("intake", "arrive", "finish", "bounce")
INTAKE, ARRIVE, FINISH, BOUNCE = range(4)

# integer columns of a case row
C_ID, C_RES, C_WARD, C_COMM, C_CAT, C_DAY, C_BOUNCES, C_RESPDEPT, C_OPEN, C_INTAKE, \
    C_NNEED, C_NDONE, C_HASRESP = range(13)
N_CI = 13
# float columns of a case row
F_FILED, F_RESP = range(2)
# counters
S_SEQ, S_NEXT_ID, S_HEAP, S_NFREE, S_NOPEN = range(5)
# parameters (floats)
P_CROSS, P_EXTRA, P_TRIAGE, P_SERVICE, P_RIGHT, P_DROP, P_REFILE, P_HANDOFF, \
    P_MOBILISE, P_LOGTRAVEL, P_TRAVEL, P_SIGMA, P_DEADLINE, P_MEMORY = range(14)
N_P = 14


# -- heaps ------------------------------------------------------------------------------
# The event heap is ordered by (time, sequence number), as the Python loop's heap of
# tuples is; the keys are distinct, so every valid heap pops the events in one order.
@njit(cache=True)
def push_event(s, et, ei, t, kind, slot, cid, dept):
    seq = s[S_SEQ]
    s[S_SEQ] += 1
    i = s[S_HEAP]
    s[S_HEAP] += 1
    while i > 0:
        parent = (i - 1) >> 1
        pt = et[parent]
        if t < pt or (t == pt and seq < ei[parent, 0]):
            et[i] = pt
            for c in range(5):
                ei[i, c] = ei[parent, c]
            i = parent
        else:
            break
    et[i] = t
    ei[i, 0] = seq
    ei[i, 1] = kind
    ei[i, 2] = slot
    ei[i, 3] = cid
    ei[i, 4] = dept


@njit(cache=True)
def _pop_event(s, et, ei):
    """Remove the first event; return its time, kind, slot, case id and department."""
    t0 = et[0]
    kind, slot, cid, dept = ei[0, 1], ei[0, 2], ei[0, 3], ei[0, 4]
    last = s[S_HEAP] - 1
    s[S_HEAP] = last
    if last > 0:
        t = et[last]
        seq = ei[last, 0]
        i = 0
        while True:
            a = 2 * i + 1
            if a >= last:
                break
            b = a + 1
            if b < last and (et[b] < et[a] or (et[b] == et[a] and ei[b, 0] < ei[a, 0])):
                a = b
            if et[a] < t or (et[a] == t and ei[a, 0] < seq):
                et[i] = et[a]
                for c in range(5):
                    ei[i, c] = ei[a, c]
                i = a
            else:
                break
        et[i] = t
        for c in range(5):
            ei[i, c] = ei[last, c]
    return t0, kind, slot, cid, dept


@njit(cache=True)
def _assign(qf, qn, d, arrival, service):
    """A FIFO queue of identical servers: the earliest free server (the root of the
    department's heap of free times) takes the job."""
    free = qf[d, 0]
    start = arrival if arrival >= free else free
    new = start + service
    n = qn[d]
    i = 0
    while True:
        a = 2 * i + 1
        if a >= n:
            break
        b = a + 1
        if b < n and qf[d, b] < qf[d, a]:
            a = b
        if qf[d, a] < new:
            qf[d, i] = qf[d, a]
            i = a
        else:
            break
    qf[d, i] = new
    return start


# -- new cases --------------------------------------------------------------------------
@njit(cache=True)
def _new_case(rng, s, ci, cf, need, free, pf, n_dept, primary, res, ward, comm, cat,
              day, t, pick):
    """``GovernmentSystem.new_case`` then ``file``: the draws of the Python code, in its
    order (``choice(n, k, replace=False)`` as numpy's Floyd sampling and shuffle)."""
    s[S_NFREE] -= 1
    slot = free[s[S_NFREE]]
    need[slot, 0] = primary
    nneed = 1
    if rng.random() < pf[P_CROSS] and n_dept > 1:
        extra = 1 + rng.poisson(pf[P_EXTRA])
        pop = n_dept - 1
        m = extra if extra < pop else pop
        k = 0
        for j in range(pop - m, pop):
            val = rng.integers(0, j + 1)
            for q in range(k):
                if pick[q] == val:
                    val = j
                    break
            pick[k] = val
            k += 1
        for i in range(m - 1, 0, -1):
            j = rng.integers(0, i + 1)
            x = pick[j]
            pick[j] = pick[i]
            pick[i] = x
        for q in range(m):
            other = pick[q]
            need[slot, nneed] = other + (other >= primary)
            nneed += 1
    cid = s[S_NEXT_ID]
    s[S_NEXT_ID] += 1
    ci[slot, C_ID] = cid
    ci[slot, C_RES] = res
    ci[slot, C_WARD] = ward
    ci[slot, C_COMM] = comm
    ci[slot, C_CAT] = cat
    ci[slot, C_DAY] = day
    ci[slot, C_BOUNCES] = 0
    ci[slot, C_RESPDEPT] = -1
    ci[slot, C_OPEN] = 1
    ci[slot, C_INTAKE] = 0
    ci[slot, C_NNEED] = nneed
    ci[slot, C_NDONE] = 0
    ci[slot, C_HASRESP] = 0
    cf[slot, F_FILED] = t
    cf[slot, F_RESP] = 0.0
    s[S_NOPEN] += 1
    return slot, cid


@njit(cache=True)
def file_needs(rng, s, ci, cf, need, free, et, ei, pf, n_dept, opts, n_opts, rows, doms,
               wards, comms, times, day):
    """Residents' needs become cases, each filed (an intake event) at its time."""
    pick = np.empty(max(n_dept, 1), np.int64)
    for k in range(len(rows)):
        d = doms[k]
        primary = opts[d, rng.integers(0, n_opts[d])]
        slot, cid = _new_case(rng, s, ci, cf, need, free, pf, n_dept, primary, rows[k],
                              wards[k], comms[k], d, day, times[k], pick)
        push_event(s, et, ei, times[k], INTAKE, slot, cid, -1)


@njit(cache=True)
def report_cases(rng, s, ci, cf, need, free, et, ei, pf, n_dept, n_cat, wards, comms,
                 times, day):
    """Committees' reports of community-level problems become cases."""
    pick = np.empty(max(n_dept, 1), np.int64)
    for k in range(len(wards)):
        cat = rng.integers(0, n_cat)
        primary = rng.integers(0, n_dept)
        slot, cid = _new_case(rng, s, ci, cf, need, free, pf, n_dept, primary, -1,
                              wards[k], comms[k], cat, day, times[k], pick)
        push_event(s, et, ei, times[k], INTAKE, slot, cid, -1)


# -- the day's events -------------------------------------------------------------------
@njit(cache=True)
def _route(rng, s, ci, need, slot, pf, n_dept):
    """The caller's pick of a hotline (``GovernmentSystem.caller_pick``)."""
    right = need[slot, 0]
    if rng.random() < pf[P_RIGHT] or n_dept == 1:
        return right
    wrong = rng.integers(0, n_dept - 1)
    return wrong + (wrong >= right)


@njit(cache=True)
def _close(s, ci, cf, free, slot, t, resolved, log_i, log_f, counts):
    """Close a case and log it: (resident, ward, domain, resolved) and (fairness,
    resolution days)."""
    k = counts[0]
    log_i[k, 0] = ci[slot, C_RES]
    log_i[k, 1] = ci[slot, C_WARD]
    log_i[k, 2] = ci[slot, C_CAT]
    log_i[k, 3] = resolved
    if resolved:
        log_f[k, 0] = 1.0 / (1.0 + ci[slot, C_BOUNCES])
        log_f[k, 1] = (t - cf[slot, F_FILED]) / 1440.0
    else:
        log_f[k, 0] = 0.0
        log_f[k, 1] = 0.0
    counts[0] = k + 1
    ci[slot, C_OPEN] = 0
    free[s[S_NFREE]] = slot
    s[S_NFREE] += 1
    s[S_NOPEN] -= 1


@njit(cache=True)
def run_events(rng, s, ci, cf, need, done, free, et, ei, qf, qn, pf, n_dept, effort,
               perf, handled, end, log_i, log_f, responses, counts):
    """Run every event before minute ``end``, as ``GovernmentSystem.step`` does with the
    base policy. ``counts``: closures, responses and bounces logged."""
    while s[S_HEAP] > 0 and et[0] < end:
        t, kind, slot, cid, d = _pop_event(s, et, ei)
        if ci[slot, C_OPEN] == 0 or ci[slot, C_ID] != cid:
            continue
        if kind == INTAKE:
            ci[slot, C_INTAKE] = 1
            push_event(s, et, ei, t, ARRIVE, slot, cid,
                       _route(rng, s, ci, need, slot, pf, n_dept))
        elif kind == ARRIVE:
            nneed = ci[slot, C_NNEED]
            needed = False
            for j in range(nneed):
                if need[slot, j] == d:
                    needed = True
                    break
            if not needed:
                triage = rng.exponential(pf[P_TRIAGE]) if pf[P_TRIAGE] > 0 else 0.0
                start = _assign(qf, qn, d, t, triage)
                push_event(s, et, ei, start + triage, BOUNCE, slot, cid, d)
                continue
            service = rng.exponential(pf[P_SERVICE])
            start = _assign(qf, qn, d, t, service)
            mean = pf[P_MOBILISE] / effort[d]
            mobilise = rng.exponential(mean) if mean > 0 else 0.0
            travel = rng.lognormal(pf[P_LOGTRAVEL], pf[P_SIGMA]) \
                if pf[P_TRAVEL] > 0 else 0.0
            if ci[slot, C_HASRESP] == 0:
                response = start + mobilise + travel - cf[slot, F_FILED]
                cf[slot, F_RESP] = response
                ci[slot, C_HASRESP] = 1
                ci[slot, C_RESPDEPT] = d
                responses[counts[1]] = response
                counts[1] += 1
                within = 1.0 if response <= pf[P_DEADLINE] else 0.0
                perf[d] = pf[P_MEMORY] * perf[d] + (1.0 - pf[P_MEMORY]) * within
            push_event(s, et, ei, start + service, FINISH, slot, cid, d)
        elif kind == FINISH:
            nneed = ci[slot, C_NNEED]
            at = -1
            for j in range(nneed):
                if need[slot, j] == d:
                    at = j
                    break
            if at >= 0:
                for j in range(at, nneed - 1):
                    need[slot, j] = need[slot, j + 1]
                nneed -= 1
                ci[slot, C_NNEED] = nneed
                done[slot, ci[slot, C_NDONE]] = d
                ci[slot, C_NDONE] += 1
                handled[d] += 1
            if nneed == 0:
                _close(s, ci, cf, free, slot, t, 1, log_i, log_f, counts)
            else:
                delay = rng.exponential(pf[P_HANDOFF]) if pf[P_HANDOFF] != 0 else 0.0
                push_event(s, et, ei, t + delay, ARRIVE, slot, cid, need[slot, 0])
        else:  # BOUNCE
            ci[slot, C_BOUNCES] += 1
            counts[2] += 1
            if rng.random() < pf[P_DROP]:
                _close(s, ci, cf, free, slot, t, 0, log_i, log_f, counts)
            else:
                delay = rng.exponential(pf[P_REFILE]) if pf[P_REFILE] != 0 else 0.0
                push_event(s, et, ei, t + delay, ARRIVE, slot, cid,
                           _route(rng, s, ci, need, slot, pf, n_dept))


@njit(cache=True)
def abandon(s, ci, cf, free, day, max_age, now, burden_each, burden, log_i, log_f,
            counts):
    """Abandon cases open longer than ``max_age`` days and add the open community
    cases' burden to their wards, in the order the cases were created."""
    open_slots = np.nonzero(ci[:, C_OPEN])[0]
    order = np.argsort(ci[open_slots, C_ID])
    for k in range(len(order)):
        slot = open_slots[order[k]]
        if day - ci[slot, C_DAY] > max_age:
            _close(s, ci, cf, free, slot, now, 0, log_i, log_f, counts)
        elif ci[slot, C_RES] < 0:
            burden[ci[slot, C_WARD]] += burden_each


class CaseStore:
    """The arrays of the compiled loop: open cases, the event heap, the server heaps."""

    def __init__(self, n_dept: int, servers: list[list[float]], capacity: int = 1024):
        self.n_dept = n_dept
        self.s = np.zeros(5, np.int64)
        self.ci = np.zeros((0, N_CI), np.int64)
        self.cf = np.zeros((0, 2))
        self.need = np.zeros((0, max(n_dept, 1)), np.int64)
        self.done = np.zeros((0, max(n_dept, 1)), np.int64)
        self.free = np.zeros(0, np.int64)
        self.et = np.zeros(0)
        self.ei = np.zeros((0, 5), np.int64)
        width = max(len(q) for q in servers)
        self.qf = np.full((n_dept, width), np.inf)
        self.qn = np.zeros(n_dept, np.int64)
        for d, q in enumerate(servers):
            self.qf[d, :len(q)] = sorted(q)
            self.qn[d] = len(q)
        self.reserve(capacity)

    def reserve(self, more: int) -> None:
        """Room for ``more`` new cases and their events."""
        s = self.s
        cap = len(self.ci)
        if s[S_NFREE] < more:
            new = max(2 * cap, cap + more - int(s[S_NFREE]), 1024)
            grow = new - cap
            self.ci = np.concatenate([self.ci, np.zeros((grow, N_CI), np.int64)])
            self.cf = np.concatenate([self.cf, np.zeros((grow, 2))])
            self.need = np.concatenate([self.need,
                                        np.zeros((grow, self.need.shape[1]), np.int64)])
            self.done = np.concatenate([self.done,
                                        np.zeros((grow, self.done.shape[1]), np.int64)])
            nfree = int(s[S_NFREE])
            free = np.zeros(new, np.int64)
            free[:nfree] = self.free[:nfree]
            free[nfree:nfree + grow] = np.arange(new - 1, cap - 1, -1)
            self.free = free
            s[S_NFREE] = nfree + grow
        # every open case has at most one pending event (the base policy hands a case
        # on one step at a time), plus stale events of closed cases still in the heap
        need_events = int(s[S_HEAP]) + more + 1
        if len(self.et) < need_events:
            new = max(2 * len(self.et), need_events, 1024)
            et = np.zeros(new)
            ei = np.zeros((new, 5), np.int64)
            et[:len(self.et)] = self.et
            ei[:len(self.ei)] = self.ei
            self.et, self.ei = et, ei

    @property
    def open_cases(self) -> int:
        return int(self.s[S_NOPEN])
