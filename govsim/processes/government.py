"""Government case handling: department queues, response time in minutes, resolution.

Cases come from residents' needs sent to a hotline and from community-level problems
(illegal construction, environmental damage, work safety, illegal mining, noise,
sanitation) reported by committees. Each case needs one department, or, with probability
``government.cross_share`` (about 60% of grassroots hotline tasks need coordination;
literature notes §1.1), one or more further departments.

Every department is a first-come-first-served queue with ``staff`` identical servers and
exponential service times, simulated in continuous time (minutes) inside each day: an
arriving part starts at ``max(arrival, earliest free server)``, which is exactly an M/M/c
FIFO queue when arrivals are Poisson (Erlang C, see :func:`erlang_c_wait`; Koole &
Mandelbaum 2002). Without integration a caller must pick the right department among the
hotlines; a case filed with the wrong one is triaged and bounced (and dropped with
``government.drop_prob``), and cross-department cases move by sequential hand-offs.
Institutions change how cases are handled by adding a :class:`CaseLayer` to the one
case-handling policy (intake → routing → joint handling → dispatch; see
:meth:`GovernmentSystem.wrap`). The response time of a case is the time from filing until
personnel of a responsible department start on it: queueing wait plus mobilisation
(exponential, mean divided by the department's effort) plus travel (lognormal).
Resolution meets the resident's need; the people a closed case concerns observe its outcome
and its procedure, and their legitimacy moves towards what these support
(:func:`govsim.processes.attitudes.observe_decision`): a resolved case handled without
bounces supports full legitimacy, each bounce less, a dropped or abandoned case none.
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

import numpy as np

from govsim.community import DOMAINS
from govsim.kernels import observe_in_order
from govsim.params import register, spec
from govsim.processes import casekernel as ck
from govsim.processes.attitudes import observe_decision
from govsim.processes.rules import RollingSample, RollingWindow, occurrences

if TYPE_CHECKING:
    from govsim.model import CommunityModel

register([
    spec("government.case_rate", 1.0, 0.0, 1000.0, "per 10,000 residents per day",
         "community-level cases (construction, environment, safety, ...) reported per day",
         "assumption"),
    spec("government.cross_share", 0.6, 0.0, 1.0, "share",
         "share of cases that need more than one department",
         "grassroots hotline study (Xifu town): about 60% need coordination"),
    spec("government.extra_departments", 0.5, 0.0, 10.0, "departments",
         "mean number of further departments beyond one, for cross cases (1 + Poisson)"),
    spec("government.staff_per_10k", 6.94, 0.0, 1000.0, "staff per 10,000 residents",
         "case-handling staff of each department (at least 1)", calibrated="baseline"),
    spec("government.service_minutes", 420.0, 1.0, 100_000.0, "minutes",
         "mean time a staff member spends on one department's part of a case"),
    spec("government.triage_minutes", 45.0, 0.0, 10_000.0, "minutes",
         "mean time a wrong department spends before bouncing a case"),
    spec("government.pick_confusion", 0.04, 0.0, 10.0, "per extra hotline",
         "callers pick the right hotline with p = 1 / (1 + c (hotlines - 1))", "assumption"),
    spec("government.drop_prob", 0.3, 0.0, 1.0, "probability",
         "probability that a bounced case is abandoned instead of filed again"),
    spec("government.refile_minutes", 1440.0, 0.0, 100_000.0, "minutes",
         "mean delay before a caller files a bounced case again"),
    spec("government.handoff_minutes", 720.0, 0.0, 100_000.0, "minutes",
         "mean delay of a sequential hand-off between departments"),
    spec("government.mobilise_minutes", 9.08, 0.0, 10_000.0, "minutes",
         "mean time to mobilise personnel once a case is taken up (divided by effort)",
         calibrated="baseline"),
    spec("government.travel_minutes", 20.0, 0.0, 10_000.0, "minutes",
         "median travel time to the scene (lognormal)", "assumption: no data found"),
    spec("government.travel_sigma", 0.5, 0.0, 3.0, "log-minutes",
         "spread (sigma of the log) of travel times"),
    spec("government.effort", 0.7, 0.01, 1.0, "share",
         "departments' baseline effort (scales mobilisation speed)",
         "Chen, Pan & Xu 2016: about one third of local governments respond"),
    spec("government.deadline_minutes", 30.0, 1.0, 100_000.0, "minutes",
         "response deadline departments are held to: what a response rule obliges "
         "(>= 10,000: unbounded) and the threshold of responded_within_deadline_share",
         "report §1: 30 minutes in Pinggu"),
    spec("government.performance_memory", 0.95, 0.0, 1.0, "weight per response",
         "a department's performance is the moving average p <- m p + (1 - m) "
         "1[response within the deadline]", "assumption (about the last 20 responses)"),
    spec("government.max_age_days", 60, 1, 3650, "days",
         "cases open longer than this are abandoned"),
    spec("government.open_case_burden", 0.002, 0.0, 1.0, "hardship per day",
         "daily hardship added to a ward's residents while its community case is open"),
])

CASE_CATEGORIES = ("illegal construction", "environmental damage", "work safety",
                   "illegal mining", "noise", "sanitation")
MINUTES_PER_DAY = 1440.0
#: the report's yardstick for responded_within_30min_share: it stays fixed when the
#: deadline lever (``government.deadline_minutes``) moves
REPORT_DEADLINE_MINUTES = 30.0


def wrong_department(rng: np.random.Generator, n: int, right: int) -> int:
    """A department other than ``right``, uniformly among the ``n - 1`` others."""
    wrong = int(rng.integers(n - 1))
    return wrong + (wrong >= right)


def erlang_c_wait(lam: float, mu: float, c: int) -> float:
    """Mean waiting time in queue of an M/M/c queue (Erlang C formula).

    Parameters
    ----------
    lam : float
        Arrival rate.
    mu : float
        Service rate of one server.
    c : int
        Number of servers; requires ``lam < c * mu``.

    Returns
    -------
    float
        W_q = C(c, a) / (c mu - lam), with a = lam / mu and
        C(c, a) = [a^c / c! * c / (c - a)] / [sum_{k<c} a^k / k! + a^c / c! * c / (c - a)].

    Example
    -------
    >>> round(erlang_c_wait(1.0, 1.25, 1), 3)   # M/M/1: rho / (mu - lam) = 3.2
    3.2

    References
    ----------
    Koole & Mandelbaum (2002), Queueing models of call centers, Annals of OR 113:41-59.
    """
    a = lam / mu
    if a >= c:
        return math.inf
    top = a**c / math.factorial(c) * c / (c - a)
    p_wait = top / (sum(a**k / math.factorial(k) for k in range(c)) + top)
    return p_wait / (c * mu - lam)


class ServiceQueue:
    """A FIFO queue with ``servers`` identical servers in continuous time.

    Arrivals must be offered in non-decreasing time order; then
    ``start = max(arrival, earliest free server)`` is exactly first-come-first-served.
    """

    def __init__(self, servers: int):
        self.free_at = [0.0] * max(1, int(servers))
        heapq.heapify(self.free_at)

    @property
    def servers(self) -> int:
        return len(self.free_at)

    def resize(self, servers: int, now: float) -> None:
        servers = max(1, int(servers))
        while len(self.free_at) < servers:
            heapq.heappush(self.free_at, now)
        while len(self.free_at) > servers:
            # retire the server that frees up last
            self.free_at.remove(max(self.free_at))
            heapq.heapify(self.free_at)

    def assign(self, arrival: float, service: float) -> float:
        """Serve a job arriving at ``arrival`` for ``service`` minutes; return its start."""
        free = heapq.heappop(self.free_at)
        start = max(arrival, free)
        heapq.heappush(self.free_at, start + service)
        return start


@dataclass
class Case:
    """A case handled by government departments."""

    id: int
    category: str                 # a DOMAINS entry for service needs, or a CASE_CATEGORIES one
    community: int
    ward: int
    resident: int                 # -1 for a community-level case
    needed: list[int]             # department indices still to act, in hand-off order
    filed: float                  # minute of first filing
    day: int
    done: list[int] = field(default_factory=list)
    bounces: int = 0
    response: float | None = None  # minutes from filing to personnel starting
    status: str = "open"          # open, resolved, dropped
    closed: float | None = None
    tags: dict = field(default_factory=dict)


class CaseLayer:
    """One layer of the government's case-handling policy.

    The policy answers, for every case, the steps of its handling: **intake** (when a
    filed case reaches its first department), **routing** (which department it is filed
    with), **joint handling** (all departments at once, or sequential hand-offs),
    where each jointly dispatched **part** goes, whether a bounced case is **tracked**
    (re-routed at once and never abandoned), and **dispatch** (a department may send
    personnel at once, outside its queue). A layer answers the steps it changes and
    passes the others, and the cases it leaves alone, to the layer below (``inner``).

    ``role`` places a layer in the policy, in the order of :data:`ROLES` from the bottom:
    ``"channel"`` layers change how cases reach departments (a merged hotline's centre);
    ``"override"`` layers take some cases out of ordinary handling (a response rule's
    whistle) and so see every case first.
    """

    role: ClassVar[str] = "channel"

    def __init__(self) -> None:
        self.inner: CaseLayer | None = None

    def intake(self, case: Case, t: float) -> float:
        """The minute at which a case filed at ``t`` reaches its first department."""
        return self.inner.intake(case, t)

    def route(self, case: Case, rng: np.random.Generator) -> int:
        """The department a case is filed with."""
        return self.inner.route(case, rng)

    def joint(self, case: Case) -> bool:
        """Whether all departments of the case are dispatched at once."""
        return self.inner.joint(case)

    def part_route(self, case: Case, d: int, rng: np.random.Generator) -> int:
        """Where the jointly dispatched part meant for department ``d`` is sent."""
        return self.inner.part_route(case, d, rng)

    def tracked(self, case: Case) -> bool:
        """Whether a bounced case is re-routed at once instead of left to the caller."""
        return self.inner.tracked(case)

    def dispatch(self, case: Case, d: int, t: float) -> float | None:
        """Minutes from leaving until personnel of ``d`` sent at once start on the scene
        (the department's first free staff member goes), or None for its ordinary
        queue."""
        return self.inner.dispatch(case, d, t)


#: the roles of case layers, from the bottom of the policy up
ROLES = ("base", "channel", "override")


class BaseHandling(CaseLayer):
    """The government's own handling: callers pick a hotline, departments hand cases on
    one after another, bounced cases are left to the caller, every part is queued."""

    role = "base"

    def __init__(self, gov: GovernmentSystem):
        super().__init__()
        self.gov = gov

    def intake(self, case: Case, t: float) -> float:
        return t

    def route(self, case: Case, rng: np.random.Generator) -> int:
        return self.gov.caller_pick(case, rng)

    def joint(self, case: Case) -> bool:
        return False

    def part_route(self, case: Case, d: int, rng: np.random.Generator) -> int:
        return d

    def tracked(self, case: Case) -> bool:
        return False

    def dispatch(self, case: Case, d: int, t: float) -> float | None:
        return None


class GovernmentSystem:
    """Department queues and the flow of cases through them.

    Extension points for institutions:

    - :meth:`new_case` and :meth:`file`: create a case and send it into the system;
    - :meth:`wrap`: add a :class:`CaseLayer` to the case-handling ``policy``;
    - ``listeners``: callables ``f(case, event)`` told of ``"response"``, ``"resolved"``,
      ``"bounced"`` and ``"dropped"``;
    - ``hotlines``: how many separate numbers a caller chooses among;
    - :meth:`on_scene_minutes`: mobilisation plus travel of personnel sent to a scene.
    """

    def __init__(self, model: CommunityModel):
        self.model = model
        p = model.params.section("government")
        self.depts = list(model.departments)
        n = model.state.n
        staff = max(1, round(p.staff_per_10k * n / 10_000))
        self._queues = [ServiceQueue(staff) for _ in self.depts]
        for d in self.depts:
            d.staff = staff
            d.effort = p.effort
        self.hotlines = len(self.depts)
        self.layers: list[CaseLayer] = [BaseHandling(self)]
        #: the top layer of the case-handling policy (see :meth:`wrap`)
        self.policy: CaseLayer = self.layers[0]
        self.deadline = p.deadline_minutes
        self.listeners: list[Callable[[Case, str], None]] = []
        self._cases: dict[int, Case] = {}
        self._events: list[tuple] = []
        self._seq = 0
        self._next_id = 0
        self.dom_depts = [[j for j, d in enumerate(self.depts) if d.domain == dom]
                          or list(range(len(self.depts))) for dom in DOMAINS]
        days = model.params["metrics.window_days"]
        self.window_response = RollingSample(days)
        self.window_resolution = RollingSample(days)
        self.window_dropped = RollingWindow(days)
        # dynamics stream for per-case draws
        self.rng = model.rng
        #: run the base policy's events compiled (:mod:`govsim.processes.casekernel`)
        #: when no layer or listener asks for Python; False keeps the Python loop, the
        #: reference, for good
        self.use_compiled = True
        self._store: ck.CaseStore | None = None
        self._python_only = False

    # -- the compiled loop and the Python one ------------------------------------------
    @property
    def cases(self) -> dict[int, Case]:
        """The open cases by id (asking for them moves the handling to Python)."""
        self._python()
        return self._cases

    @property
    def queues(self) -> list[ServiceQueue]:
        """The departments' queues (asking for them moves the handling to Python)."""
        self._python()
        return self._queues

    def _compiled(self) -> ck.CaseStore | None:
        """The compiled store when the base policy handles cases alone, else None.

        The compiled loop makes the Python loop's draws in its order, so a run is the
        same either way; the first time a layer, a listener or a caller of the Python
        objects (``cases``, ``queues``, ``new_case``, ``file``) appears, the open cases
        and pending events move to Python and stay there."""
        if self._python_only:
            return None
        if (self.use_compiled and not self.listeners and type(self) is GovernmentSystem
                and len(self.layers) == 1 and type(self.policy) is BaseHandling
                and 1 <= len(self.depts) <= 10_001):
            if self._store is None:
                if self._cases or self._events:
                    self._python()
                    return None
                self._store = ck.CaseStore(len(self.depts),
                                           [q.free_at for q in self._queues])
            return self._store
        self._python()
        return None

    def _python(self) -> None:
        """Move the compiled store's cases, events and queues to the Python objects."""
        self._python_only = True
        store, self._store = self._store, None
        if store is None:
            return
        s, ci, cf = store.s, store.ci, store.cf
        slots = np.nonzero(ci[:, ck.C_OPEN])[0]
        for slot in slots[np.argsort(ci[slots, ck.C_ID])].tolist():
            row = ci[slot].tolist()
            res, cat = row[ck.C_RES], row[ck.C_CAT]
            case = Case(row[ck.C_ID], DOMAINS[cat] if res >= 0 else CASE_CATEGORIES[cat],
                        row[ck.C_COMM], row[ck.C_WARD], res,
                        store.need[slot, :row[ck.C_NNEED]].tolist(),
                        float(cf[slot, ck.F_FILED]), row[ck.C_DAY],
                        done=store.done[slot, :row[ck.C_NDONE]].tolist(),
                        bounces=row[ck.C_BOUNCES])
            if row[ck.C_INTAKE]:
                case.tags["joint"] = False
            if row[ck.C_HASRESP]:
                case.response = float(cf[slot, ck.F_RESP])
                case.tags["response_dept"] = row[ck.C_RESPDEPT]
            self._cases[case.id] = case
        n = int(s[ck.S_HEAP])
        self._events = [(t, seq, ck.KINDS[kind], cid, d) for t, (seq, kind, _, cid, d)
                        in zip(store.et[:n].tolist(), store.ei[:n].tolist(), strict=True)]
        heapq.heapify(self._events)
        self._seq, self._next_id = int(s[ck.S_SEQ]), int(s[ck.S_NEXT_ID])
        for d, q in enumerate(self._queues):
            q.free_at = sorted(store.qf[d, :store.qn[d]].tolist())

    def _kernel_params(self) -> np.ndarray:
        p = self.model.params.section("government")
        pf = np.zeros(ck.N_P)
        pf[ck.P_CROSS] = p.cross_share
        pf[ck.P_EXTRA] = p.extra_departments
        pf[ck.P_TRIAGE] = p.triage_minutes
        pf[ck.P_SERVICE] = p.service_minutes
        pf[ck.P_RIGHT] = 1.0 / (1.0 + p.pick_confusion * (self.hotlines - 1))
        pf[ck.P_DROP] = p.drop_prob
        pf[ck.P_REFILE] = p.refile_minutes
        pf[ck.P_HANDOFF] = p.handoff_minutes
        pf[ck.P_MOBILISE] = p.mobilise_minutes
        pf[ck.P_LOGTRAVEL] = math.log(p.travel_minutes) if p.travel_minutes > 0 else 0.0
        pf[ck.P_TRAVEL] = p.travel_minutes
        pf[ck.P_SIGMA] = p.travel_sigma
        pf[ck.P_DEADLINE] = self.deadline
        pf[ck.P_MEMORY] = self.model.params["government.performance_memory"]
        return pf

    # -- the policy ------------------------------------------------------------------
    def wrap(self, layer: CaseLayer) -> None:
        """Add a layer to the case-handling policy, above the layers of lower role (see
        :data:`ROLES`) and, within a role, above those added before it."""
        if layer.role not in ROLES[1:]:
            raise ValueError(f"a case layer's role must be one of {ROLES[1:]}, "
                             f"got {layer.role!r}")
        rank = ROLES.index(layer.role)
        at = max(i for i, x in enumerate(self.layers) if ROLES.index(x.role) <= rank) + 1
        self.layers.insert(at, layer)
        for below, above in zip(self.layers, self.layers[1:], strict=False):
            above.inner = below
        self.policy = self.layers[-1]

    # -- filing ----------------------------------------------------------------------
    def caller_pick(self, case: Case, rng: np.random.Generator) -> int:
        """Baseline routing: a caller picks the right hotline with p = 1/(1+c(h-1))."""
        p = self.model.params.section("government")
        p_right = 1.0 / (1.0 + p.pick_confusion * (self.hotlines - 1))
        if rng.random() < p_right or len(self.depts) == 1:
            return case.needed[0]
        return wrong_department(rng, len(self.depts), case.needed[0])

    def on_scene_minutes(self, mobilise_mean: float) -> tuple[float, float]:
        """Minutes from taking a case up to personnel on the scene: mobilisation,
        exponential with mean ``mobilise_mean``, and lognormal travel (a pair, to be
        added in that order)."""
        p = self.model.params.section("government")
        rng = self.rng
        mobilise = rng.exponential(mobilise_mean) if mobilise_mean > 0 else 0.0
        travel = rng.lognormal(math.log(p.travel_minutes), p.travel_sigma) \
            if p.travel_minutes > 0 else 0.0
        return mobilise, travel

    def new_case(self, category: str, community: int, ward: int, resident: int,
                 primary: int, t: float) -> Case:
        """Create a case (not yet filed): ``primary`` is the department it needs first;
        with probability ``cross_share`` it needs further departments. ``resident`` is
        -1 for a community-level case."""
        self._python()
        p = self.model.params.section("government")
        rng = self.rng
        needed = [primary]
        if rng.random() < p.cross_share and len(self.depts) > 1:
            extra = 1 + int(rng.poisson(p.extra_departments))
            others = [j for j in range(len(self.depts)) if j != primary]
            pick = rng.choice(len(others), size=min(extra, len(others)), replace=False)
            needed += [others[int(i)] for i in pick]
        case = Case(self._next_id, category, community, ward, resident, needed, t,
                    self.model.day)
        self._next_id += 1
        self._cases[case.id] = case
        return case

    def file(self, case: Case, t: float) -> None:
        """Send a case into the system at minute ``t``: intake, then joint dispatch of
        all its departments or routing to one.

        The intake is an event at ``t`` like every other, so an intake queue serves cases
        in the order of their times, not in the order they were filed (residents' needs
        and committees' reports of one day are filed as two streams)."""
        self._python()
        self._push(t, "intake", case.id, -1)

    def _on_intake(self, case: Case, d: int, t: float) -> None:
        policy = self.policy
        t = policy.intake(case, t)
        joint = policy.joint(case)
        case.tags["joint"] = joint
        if joint:
            for part in list(case.needed):
                self._send_part(case, part, t)
        else:
            self._push(t, "arrive", case.id, policy.route(case, self.rng))

    def _send_part(self, case: Case, d: int, t: float) -> None:
        """Dispatch the part of a joint case meant for department ``d``."""
        target = self.policy.part_route(case, d, self.rng)
        if target != d:
            case.tags.setdefault("misrouted", {})[target] = d
        self._push(t, "arrive", case.id, target)

    def file_needs(self, rows: np.ndarray, domains: np.ndarray) -> None:
        """Residents' needs sent to a government hotline today become cases."""
        st, rng = self.model.state, self.rng
        day0 = self.model.day * MINUTES_PER_DAY
        times = day0 + np.sort(rng.random(len(rows))) * MINUTES_PER_DAY
        store = self._compiled()
        if store is not None:
            rows = np.asarray(rows, dtype=np.int64)
            store.reserve(len(rows))
            opts = self._dom_opts()
            ck.file_needs(rng, store.s, store.ci, store.cf, store.need, store.free,
                          store.et, store.ei, self._kernel_params(), len(self.depts),
                          opts[0], opts[1], rows, np.asarray(domains, dtype=np.int64),
                          st.ward[rows].astype(np.int64),
                          st.community[rows].astype(np.int64), times, self.model.day)
            return
        for r, d, t in zip(rows.tolist(), domains.tolist(), times.tolist(), strict=True):
            opts = self.dom_depts[d]
            primary = opts[int(rng.integers(len(opts)))]
            case = self.new_case(DOMAINS[d], int(st.community[r]), int(st.ward[r]), r,
                                 primary, t)
            self.file(case, t)

    def _dom_opts(self) -> tuple[np.ndarray, np.ndarray]:
        opts = np.zeros((len(self.dom_depts), len(self.depts)), np.int64)
        n_opts = np.zeros(len(self.dom_depts), np.int64)
        for i, o in enumerate(self.dom_depts):
            opts[i, :len(o)] = o
            n_opts[i] = len(o)
        return opts, n_opts

    def report_community_cases(self) -> list[Case]:
        """Committees report today's community-level problems (Poisson per ward)."""
        m = self.model
        p = m.params.section("government")
        st, rng = m.state, self.rng
        lam = p.case_rate * st.n / 10_000
        k = int(rng.poisson(lam))
        out = []
        day0 = m.day * MINUTES_PER_DAY
        wards = rng.integers(len(m.community.ward_community), size=k)
        for w, t in zip(wards.tolist(), np.sort(rng.random(k)).tolist(), strict=True):
            cat = CASE_CATEGORIES[int(rng.integers(len(CASE_CATEGORIES)))]
            primary = int(rng.integers(len(self.depts)))
            case = self.new_case(cat, int(m.community.ward_community[w]), w, -1, primary,
                                 day0 + t * MINUTES_PER_DAY)
            self.file(case, case.filed)
            out.append(case)
        return out

    # -- the event loop ---------------------------------------------------------------
    def _push(self, t: float, kind: str, case_id: int, dept: int) -> None:
        heapq.heappush(self._events, (t, self._seq, kind, case_id, dept))
        self._seq += 1

    def step(self, model: CommunityModel) -> None:
        """Report community cases, then run all events up to the end of the day."""
        store = self._compiled()
        if store is not None:
            self._step_compiled(model, store)
            return
        self.report_community_cases()
        end = (model.day + 1) * MINUTES_PER_DAY
        while self._events and self._events[0][0] < end:
            t, _, kind, cid, d = heapq.heappop(self._events)
            case = self._cases.get(cid)
            if case is None or case.status != "open":
                continue
            getattr(self, "_on_" + kind)(case, d, t)
        self._burden_and_abandon(model)

    def _step_compiled(self, model: CommunityModel, store: ck.CaseStore) -> None:
        """:meth:`step` with the base policy, compiled: the same draws in the same order
        (:meth:`report_community_cases`, the events, :meth:`_burden_and_abandon`)."""
        p = model.params.section("government")
        st, rng = model.state, self.rng
        wc = model.community.ward_community
        k = int(rng.poisson(p.case_rate * st.n / 10_000))
        wards = rng.integers(len(wc), size=k)
        times = model.day * MINUTES_PER_DAY + np.sort(rng.random(k)) * MINUTES_PER_DAY
        pf = self._kernel_params()
        n_dept = len(self.depts)
        store.reserve(k)
        wards = wards.astype(np.int64)
        ck.report_cases(rng, store.s, store.ci, store.cf, store.need, store.free,
                        store.et, store.ei, pf, n_dept, len(CASE_CATEGORIES), wards,
                        np.asarray(wc, dtype=np.int64)[wards], times, model.day)
        cap = store.open_cases + 1
        log_i = np.zeros((cap, 4), np.int64)
        log_f = np.zeros((cap, 2))
        responses = np.zeros(cap)
        counts = np.zeros(3, np.int64)
        perf = np.array([d.performance for d in self.depts], dtype=float)
        effort = np.array([d.effort for d in self.depts], dtype=float)
        handled = np.zeros(n_dept, np.int64)
        ck.run_events(rng, store.s, store.ci, store.cf, store.need, store.done,
                      store.free, store.et, store.ei, store.qf, store.qn, pf, n_dept,
                      effort, perf, handled, (model.day + 1) * MINUTES_PER_DAY,
                      log_i, log_f, responses, counts)
        for d, dept in enumerate(self.depts):
            dept.performance = float(perf[d])
            dept.cases_handled += int(handled[d])
        model.today.bounced_cases += int(counts[2])
        self.window_response.extend(model.day, responses[:counts[1]].tolist())
        ws = model.community.ward_start
        burden = np.zeros(len(ws) - 1)
        ck.abandon(store.s, store.ci, store.cf, store.free, model.day, p.max_age_days,
                   (model.day + 1) * MINUTES_PER_DAY, p.open_case_burden, burden,
                   log_i, log_f, counts)
        n = int(counts[0])
        self._apply_closures(model, log_i[:n], log_f[:n])
        if burden.any():
            model.state.hardship += np.repeat(burden, np.diff(ws))
        for window in (self.window_response, self.window_resolution, self.window_dropped):
            window.clear(model.day + 1)

    def _apply_closures(self, m: CommunityModel, log_i: np.ndarray,
                        log_f: np.ndarray) -> None:
        """What :meth:`_close` does for each case of the compiled loop's log, in bulk:
        every resident sees the decisions of the cases that concern them in the order
        they were closed (``occurrences``: a resident's k-th decision of the day is applied
        in the k-th call), so the result is that of one call per case."""
        if len(log_i) == 0:
            return
        res, ward, cat = log_i[:, 0], log_i[:, 1], log_i[:, 2]
        resolved = log_i[:, 3].astype(bool)
        fair = log_f[:, 0]
        self.window_resolution.extend(m.day, log_f[resolved, 1].tolist())
        dropped = int((~resolved).sum())
        if dropped:
            self.window_dropped.add(m.day, dropped)
        ws = m.community.ward_start
        # each case's decision is seen by its resident, a community case's by its whole
        # ward, in the order the cases closed (observe_decision's rule, compiled)
        a = m.params.section("attitudes")
        observe_in_order(m.state.legitimacy, res, ward, resolved.astype(float), fair, ws,
                         a.procedure_weight, a.legitimacy_rate)
        personal = res >= 0
        if personal.any():
            r, dom, met = res[personal], cat[personal], resolved[personal]
            level = occurrences(r)
            for k in range(int(level.max()) + 1):
                for outcome in (True, False):
                    sel = (level == k) & (met == outcome)
                    if sel.any():
                        m.needs.close(r[sel], met=outcome, formal=True, domains=dom[sel],
                                      observed=True)

    def _on_arrive(self, case: Case, d: int, t: float) -> None:
        p = self.model.params.section("government")
        rng, q, dept = self.rng, self._queues[d], self.depts[d]
        if d not in case.needed:
            triage = rng.exponential(p.triage_minutes) if p.triage_minutes > 0 else 0.0
            start = q.assign(t, triage)
            self._push(start + triage, "bounce", case.id, d)
            return
        service = rng.exponential(p.service_minutes)
        quick = self.policy.dispatch(case, d, t)
        if quick is not None:
            # personnel sent at once: the first of the department's staff to be free goes
            # ahead of the cases still to come, is on the scene `quick` minutes later and
            # stays until the part is handled
            start = q.assign(t, quick + service) + quick
            mobilise, travel = 0.0, 0.0
            case.tags.setdefault("scenes", []).append((d, start, start + service))
        else:
            start = q.assign(t, service)
            mobilise, travel = self.on_scene_minutes(p.mobilise_minutes / dept.effort)
        if case.response is None:
            case.response = start + mobilise + travel - case.filed
            case.tags["response_dept"] = d
            self._record_response(case, d)
        self._push(start + service, "finish", case.id, d)

    def _record_response(self, case: Case, d: int) -> None:
        self.window_response.append(self.model.day, case.response)
        dept = self.depts[d]
        within = case.response <= self.deadline
        memory = self.model.params["government.performance_memory"]
        dept.performance = memory * dept.performance + (1.0 - memory) * within
        for f in self.listeners:
            f(case, "response")

    def _on_finish(self, case: Case, d: int, t: float) -> None:
        p = self.model.params.section("government")
        if d in case.needed:
            case.needed.remove(d)
            case.done.append(d)
            self.depts[d].cases_handled += 1
        if not case.needed:
            self._close(case, t, resolved=True)
        elif not case.tags.get("joint", False):
            delay = self.rng.exponential(p.handoff_minutes) if p.handoff_minutes else 0.0
            self._push(t + delay, "arrive", case.id, case.needed[0])

    def _on_bounce(self, case: Case, d: int, t: float) -> None:
        p = self.model.params.section("government")
        case.bounces += 1
        self.model.today.bounced_cases += 1
        for f in self.listeners:
            f(case, "bounced")
        policy = self.policy
        if policy.tracked(case):
            t_new = policy.intake(case, t)
            intended = case.tags.get("misrouted", {}).pop(d, None)
            if intended is not None:
                self._send_part(case, intended, t_new)
            else:
                self._push(t_new, "arrive", case.id, policy.route(case, self.rng))
        elif self.rng.random() < p.drop_prob:
            self._close(case, t, resolved=False)
        else:
            delay = self.rng.exponential(p.refile_minutes) if p.refile_minutes else 0.0
            self._push(t + delay, "arrive", case.id, policy.route(case, self.rng))

    def _close(self, case: Case, t: float, resolved: bool) -> None:
        m = self.model
        case.status = "resolved" if resolved else "dropped"
        case.closed = t
        del self._cases[case.id]
        # the people a case concerns observe its outcome and how it was handled: a
        # case sent from department to department is the unfair procedure they see
        if resolved:
            self.window_resolution.append(m.day, (t - case.filed) / MINUTES_PER_DAY)
            observe_decision(m, self._people(case), 1.0, 1.0 / (1.0 + case.bounces))
        else:
            self.window_dropped.add(m.day, 1)
            observe_decision(m, self._people(case), 0.0, 0.0)
        if case.resident >= 0:
            m.needs.close(np.array([case.resident]), met=resolved, formal=True,
                          domains=np.array([DOMAINS.index(case.category)]), observed=True)
        for f in self.listeners:
            f(case, "resolved" if resolved else "dropped")

    def _people(self, case: Case) -> np.ndarray | slice:
        """Who a case concerns: its resident, or for a community case its whole ward
        (a block of rows)."""
        if case.resident >= 0:
            return np.array([case.resident])
        ws = self.model.community.ward_start
        return slice(ws[case.ward], ws[case.ward + 1])

    def _burden_and_abandon(self, model: CommunityModel) -> None:
        p = model.params.section("government")
        now = (model.day + 1) * MINUTES_PER_DAY
        ws = model.community.ward_start
        burden = np.zeros(len(ws) - 1)
        for case in list(self._cases.values()):
            if model.day - case.day > p.max_age_days:
                self._close(case, now, resolved=False)
            elif case.resident < 0:
                burden[case.ward] += p.open_case_burden
        if burden.any():
            model.state.hardship += np.repeat(burden, np.diff(ws))
        for window in (self.window_response, self.window_resolution, self.window_dropped):
            window.clear(model.day + 1)

    # -- measures ---------------------------------------------------------------------
    @property
    def unresolved_cases(self) -> int:
        """Cases open now plus cases given up (dropped or abandoned) in the window."""
        open_cases = self._store.open_cases if self._store is not None else len(self._cases)
        return open_cases + int(self.window_dropped.total())

    def response_stats(self) -> tuple[float, float, float]:
        """Over the window: mean response minutes, the share within the report's 30
        minutes and the share within the deadline (``government.deadline_minutes``)."""
        arr = self.window_response.array()
        if not len(arr):
            return 0.0, 1.0, 1.0
        return (float(arr.mean()), float(np.mean(arr <= REPORT_DEADLINE_MINUTES)),
                float(np.mean(arr <= self.deadline)))

    def resolution_days_mean(self) -> float:
        vals = self.window_resolution.array()
        return float(np.mean(vals)) if len(vals) else 0.0
