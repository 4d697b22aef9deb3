"""Build the population and the governance network from a :class:`CommunitySpec`.

Residents live in households, households in wards (buildings or village groups), wards in
communities, each with one committee. Migrants cluster in wards by a homophily parameter:
each ward's migrant share is drawn from a Beta distribution whose mean is the migrant
share and whose spread grows with homophily (h = 0: every ward has the same expected share;
h -> 1: wards are either all migrant or all established), a stylised version of the
clustered settlement documented for Chinese cities (Sun & Gu 2017; Schelling 1971).

Resident ties are of three kinds: kin (complete within households), neighbours (random
pairs within a ward) and friends (random pairs within a community, same-origin with
probability ``homophily``; McPherson, Smith-Lovin & Cook 2001). Organizations are linked
to residents and to each other by member, serves, employs, oversees and contracts edges.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import networkx as nx
import numpy as np

from govsim.params import ParamError, Params, register, spec
from govsim.state import EDGE_KINDS, FRIEND, KIN, NEIGHBOUR, ResidentState, TieStore

__all__ = ["CommunitySpec", "Community", "OrgRecord", "build_community", "DOMAINS",
           "DEPARTMENT_NAMES", "CommunityTooLarge", "estimate_bytes", "check_fits"]

register([
    spec("community.residents", 2000, 10, 20_000_000, "residents",
         "number of individual residents", "scaled; Sanyuanli has 103,000 (report §4)"),
    spec("community.migrant_share", 0.45, 0.0, 1.0, "share",
         "expected share of residents who are migrants (no local hukou)",
         "assumption for a generic mixed community; the scenarios set the report's own "
         "(Sanyuanli 56,000/103,000 = 0.54; Cixi 1.07M/2.12M = 0.50)"),
    spec("community.ward_mix_concentration", 4.0, 0.01, 1000.0, "pseudo-counts",
         "concentration of the wards' migrant shares (Beta) at homophily 0.5; it scales "
         "as c (1 - h)/h, so wards differ more as homophily h rises", "assumption"),
    spec("community.kin_strength", 0.85, 0.05, 1.0, "tie strength",
         "mean initial strength of kin ties (Beta, concentration 20)", "assumption"),
    spec("community.neighbour_strength", 0.3, 0.05, 1.0, "tie strength",
         "mean initial strength of neighbour ties (Beta, concentration 6)", "assumption"),
    spec("community.friend_strength", 0.5, 0.05, 1.0, "tie strength",
         "mean initial strength of friend ties (Beta, concentration 6)", "assumption"),
    spec("community.kin_concentration", 20.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distribution of kin ties' strength", "assumption"),
    spec("community.tie_concentration", 6.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distributions of neighbour and friend ties' strength",
         "assumption"),
    spec("community.communities", 2, 1, 500, "count",
         "number of communities, each with one residents' committee", "report §4: 13"),
    spec("community.wards_per_community", 8, 1, 500, "count",
         "wards (buildings, village groups) per community, at least; a community larger "
         "than this many wards of community.max_ward_size residents gets more wards",
         "assumption"),
    spec("community.max_ward_size", 1000, 10, 20_000_000, "residents",
         "largest number of residents a ward holds: a ward stays a building or village "
         "group at any size (a community of 1.06 million gets 1,060 wards, not 8 of "
         "132,500); at 1,000 every community up to 8,000 residents keeps its 8 wards "
         "(Sanyuanli's 13 communities average 7,900)", "assumption"),
    spec("community.household_size", 2.6, 1.0, 8.0, "persons",
         "mean household size (1 + Poisson)", "census 2020, about 2.6"),
    spec("community.homophily", 0.538, 0.0, 0.99, "share",
         "clustering of migrants in wards and same-origin preference among friends",
         "Sun & Gu 2017 (clustered migrant settlement); assumption", calibrated="baseline"),
    spec("community.neighbour_degree", 4.0, 0.0, 50.0, "ties",
         "mean number of neighbour ties per resident (within the ward)", "assumption"),
    spec("community.friend_degree", 3.0, 0.0, 50.0, "ties",
         "mean number of friend ties per resident (within the community)", "assumption"),
    spec("community.departments", 23, 1, 100, "count",
         "government departments with their own hotline", "report §1: 23 in Qingdao"),
    spec("community.social_orgs", 6, 1, 5000, "count",
         "social organizations (service, culture, foundations)", "assumption"),
    spec("community.private_orgs", 4, 1, 5000, "count",
         "private organizations besides realty management (employers, bank, hospital)",
         "assumption"),
    spec("community.committee_staff", 7, 1, 50, "persons",
         "members of each residents' committee", "Organic Law 1989 art. 7: 5-9 members"),
    spec("community.employment_share", 0.3, 0.0, 1.0, "share",
         "share of adults tied to a private employer in the network", "assumption"),
    spec("residents.legitimacy_established", 0.6, 0.0, 1.0, "share",
         "mean initial legitimacy L of established residents (Beta, concentration 10)",
         "assumption; Chen, Pan & Xu 2016 on conditional responsiveness"),
    spec("residents.legitimacy_migrant", 0.5, 0.0, 1.0, "share",
         "mean initial legitimacy L of migrants (Beta, concentration 10)", "assumption"),
    spec("residents.hardship_established", 0.35, 0.0, 1.0, "share",
         "mean initial hardship H of established residents (Beta, concentration 8)",
         "assumption"),
    spec("residents.hardship_migrant", 0.45, 0.0, 1.0, "share",
         "mean initial hardship H of migrants (Beta, concentration 8)", "assumption"),
    spec("residents.social_trust", 0.6, 0.0, 1.0, "share",
         "mean initial generalised trust (Beta, concentration 8)",
         "World Values Survey wave 6 (2010-2014): 64% of Chinese respondents say most "
         "people can be trusted"),
    spec("residents.prosociality", 0.3, 0.0, 1.0, "share",
         "mean intrinsic motivation to help others (Beta, concentration 5)", "assumption"),
    spec("residents.means_established", 0.5, 0.01, 0.99, "share",
         "mean relative income and assets of established residents (Beta)", "assumption"),
    spec("residents.means_migrant", 0.35, 0.01, 0.99, "share",
         "mean relative income and assets of migrants (Beta)", "assumption"),
    spec("residents.means_concentration", 6.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distribution of means", "assumption"),
    spec("residents.legitimacy_concentration", 10.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distribution of initial legitimacy", "assumption"),
    spec("residents.hardship_concentration", 8.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distribution of initial hardship", "assumption"),
    spec("residents.trust_concentration", 8.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distribution of initial social trust", "assumption"),
    spec("residents.prosociality_concentration", 5.0, 0.1, 1000.0, "pseudo-counts",
         "concentration of the Beta distribution of intrinsic motivation", "assumption"),
])

DOMAINS = ("health", "education", "employment", "eldercare", "culture", "housing",
           "safety", "environment")
DEPARTMENT_NAMES = (
    "public security", "urban management", "housing and construction", "environment",
    "health", "education", "human resources and social security", "civil affairs",
    "transport", "water affairs", "land and resources", "work safety",
    "market regulation", "culture and tourism", "agriculture", "emergency management",
    "fire services", "traffic police", "letters and visits", "finance",
    "family planning", "ethnic and religious affairs", "justice",
)
PRIVATE_ROLES = ("employer", "hospital", "bank", "employer")
SOCIAL_DOMAINS = ("eldercare", "education", "culture", "employment", "health", "housing")
AGE_PROBS = (0.18, 0.10, 0.55, 0.17)


@dataclass(frozen=True)
class CommunitySpec:
    """What community to build; mirrors the ``community.*`` parameters."""

    residents: int = 2000
    migrant_share: float = 0.45
    communities: int = 2
    wards_per_community: int = 8
    max_ward_size: int = 1000
    household_size: float = 2.6
    homophily: float = 0.5
    neighbour_degree: float = 4.0
    friend_degree: float = 3.0
    departments: int = 23
    social_orgs: int = 6
    private_orgs: int = 4
    committee_staff: int = 7
    employment_share: float = 0.3
    legitimacy_established: float = 0.6
    legitimacy_migrant: float = 0.5
    hardship_established: float = 0.35
    hardship_migrant: float = 0.45
    social_trust: float = 0.6
    prosociality: float = 0.3
    ward_mix_concentration: float = 4.0
    kin_strength: float = 0.85
    neighbour_strength: float = 0.3
    friend_strength: float = 0.5
    kin_concentration: float = 20.0
    tie_concentration: float = 6.0
    means_established: float = 0.5
    means_migrant: float = 0.35
    means_concentration: float = 6.0
    legitimacy_concentration: float = 10.0
    hardship_concentration: float = 8.0
    trust_concentration: float = 8.0
    prosociality_concentration: float = 5.0

    @property
    def wards(self) -> int:
        """Wards per community as built: ``wards_per_community``, or more where the
        largest community would otherwise hold wards of over ``max_ward_size`` residents."""
        largest = -(-self.residents // self.communities)
        return max(self.wards_per_community, -(-largest // self.max_ward_size))

    @classmethod
    def from_params(cls, params: Params) -> CommunitySpec:
        values = {**vars(params.section("community")), **vars(params.section("residents"))}
        return cls(**{f.name: values[f.name] for f in fields(cls)})


@dataclass
class OrgRecord:
    """An organization as built: its kind (Mesa class name), name and attributes."""

    kind: str
    name: str
    attrs: dict


@dataclass
class Community:
    """The built community: resident state, ties, organizations and their edges."""

    spec: CommunitySpec
    state: ResidentState
    ties: TieStore
    orgs: list[OrgRecord]
    org_edges: list[tuple[int, int, str, float]]  # (node, node, kind, weight); node ids
    employs: tuple[np.ndarray, np.ndarray]  # (resident rows, employer nodes), weight 1
    employs_at: int  # where the employment edges sit among org_edges (graph edge order)
    ward_start: np.ndarray   # first resident row of each ward (plus the end)
    ward_community: np.ndarray

    @property
    def n_residents(self) -> int:
        return self.state.n

    @property
    def wards_per_community(self) -> int:
        """Wards in each community (every community has the same number)."""
        return self.spec.wards

    def org_node(self, i: int) -> int:
        return self.state.n + i

    def graph(self) -> nx.Graph:
        """The whole network as a networkx graph with integer node ids.

        Node attributes: ``kind`` (agent class name), ``name`` and, for residents,
        ``origin``, ``community`` and ``ward``. Edge attributes: ``kind`` and ``weight``.
        """
        g = nx.Graph()
        st = self.state
        from govsim.state import ORIGINS
        g.add_nodes_from(
            (i, {"kind": "Resident", "name": f"resident {i}",
                 "origin": ORIGINS[st.origin[i]], "community": int(st.community[i]),
                 "ward": int(st.ward[i])})
            for i in range(st.n))
        g.add_nodes_from((self.org_node(j), {"kind": o.kind, "name": o.name})
                         for j, o in enumerate(self.orgs))
        t = self.ties
        kinds = np.array(EDGE_KINDS)[t.kind]
        g.add_edges_from(zip(t.u.tolist(), t.v.tolist(),
                             ({"kind": k, "weight": w} for k, w in
                              zip(kinds.tolist(), t.w.tolist(), strict=True)), strict=True))
        at = self.employs_at
        g.add_edges_from((a, b, {"kind": k, "weight": w})
                         for a, b, k, w in self.org_edges[:at])
        rows, nodes = self.employs
        g.add_edges_from(zip(rows.tolist(), nodes.tolist(),
                             ({"kind": "employs", "weight": 1.0} for _ in range(len(rows))),
                             strict=True))
        g.add_edges_from((a, b, {"kind": k, "weight": w})
                         for a, b, k, w in self.org_edges[at:])
        return g


# Peak memory of a headless run (`make bench`, benchmarks/results/latest.json, Cixi
# community): 852 MiB at 1,000,000 residents and 1,611 MiB at 2,120,000, both with 4.7
# ties per resident, so about 710 bytes per resident on top of about 175 MiB for the
# interpreter and libraries. The split between residents and ties follows the arrays
# each holds (a tie: key, ends, strength and kind, their copies during a merge and the
# day's per-tie temporaries, about 100 bytes), and the margin covers queues that grow
# over a longer run.
_BASE_BYTES = 175 * 2**20
_BYTES_PER_RESIDENT = 240
_BYTES_PER_TIE = 100
_MARGIN = 1.25


class CommunityTooLarge(ParamError):
    """A community that would not fit in this machine's memory."""


def expected_ties(spec: CommunitySpec) -> float:
    """Expected resident ties per resident: kin pairs of 1 + Poisson households, then
    half the neighbour and friend degrees (each tie has two ends)."""
    lam = max(spec.household_size - 1.0, 0.0)
    kin = (lam * lam + 2 * lam) / 2 / (1 + lam)   # E[s(s-1)/2] / E[s], s = 1 + Poisson
    return kin + (spec.neighbour_degree + spec.friend_degree) / 2.0


def estimate_bytes(spec: CommunitySpec) -> int:
    """Estimated peak memory of a headless run of this community, in bytes.

    Example
    -------
    >>> estimate_bytes(CommunitySpec(residents=1_000_000)) // 2**20
    1054
    """
    n = spec.residents
    per = _BYTES_PER_RESIDENT + _BYTES_PER_TIE * expected_ties(spec)
    return int(_MARGIN * (_BASE_BYTES + n * per))


def available_memory() -> int | None:
    """Memory available to a new process (MemAvailable of /proc/meminfo), in bytes, or
    None where it is not known."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def check_fits(spec: CommunitySpec) -> None:
    """Refuse, before anything is allocated, a community that will not fit in memory.

    Raises
    ------
    CommunityTooLarge
        When the estimate of :func:`estimate_bytes` exceeds the available memory.
    """
    avail = available_memory()
    need = estimate_bytes(spec)
    if avail is not None and need > avail:
        raise CommunityTooLarge(
            f"community.residents={spec.residents:,} needs about {need / 2**30:.1f} GiB "
            f"but this machine has {avail / 2**30:.1f} GiB available; use fewer residents "
            f"(at most about {_max_residents(spec, avail):,} here)")


def _max_residents(spec: CommunitySpec, avail: int) -> int:
    per = _BYTES_PER_RESIDENT + _BYTES_PER_TIE * expected_ties(spec)
    return max(0, int((avail / _MARGIN - _BASE_BYTES) / per))


def _split(total: int, parts: int) -> np.ndarray:
    """Sizes of ``parts`` near-equal parts of ``total``."""
    base, extra = divmod(total, parts)
    return base + (np.arange(parts) < extra).astype(np.int64)


def _beta(rng: np.random.Generator, mean: np.ndarray | float, conc: float, size) -> np.ndarray:
    mean = np.clip(mean, 1e-3, 1 - 1e-3)
    return rng.beta(mean * conc, (1 - mean) * conc, size=size)


def _pairs_within(rng, starts: np.ndarray, sizes: np.ndarray, owner: np.ndarray,
                  per_resident: float) -> tuple[np.ndarray, np.ndarray]:
    """Random pairs: each resident draws Poisson(per_resident/2) partners in its group."""
    counts = rng.poisson(per_resident / 2.0, size=len(owner))
    src = np.repeat(np.arange(len(owner)), counts)
    grp = owner[src]
    dst = starts[grp] + (rng.random(len(src)) * sizes[grp]).astype(np.int64)
    return src, dst


def _households(sizes: np.ndarray, ward_sizes: np.ndarray) -> np.ndarray:
    """Household index of every resident: each ward, in turn, takes the next drawn
    household sizes until it is full (the last one cut to fit)."""
    ends = np.cumsum(sizes)
    lengths = []
    k = 0
    for size in ward_sizes.tolist():
        if size <= 0:
            continue
        before = int(ends[k - 1]) if k else 0
        # the first household j (from k on) whose end reaches the ward's size closes it
        j = int(np.searchsorted(ends, before + size, side="left"))
        taken = sizes[k:j + 1].copy()
        taken[-1] -= int(ends[j]) - before - size
        lengths.append(taken)
        k = j + 1
    if not lengths:
        return np.zeros(0, dtype=np.int32)
    lengths = np.concatenate(lengths)
    return np.repeat(np.arange(len(lengths), dtype=np.int32), lengths)


def build_community(spec: CommunitySpec, rng: np.random.Generator) -> Community:
    """Build residents, ties and organizations.

    Parameters
    ----------
    spec : CommunitySpec
        Sizes and structure.
    rng : numpy.random.Generator
        The build stream (separate from the dynamics stream, so that a community can be
        held fixed while a policy varies).

    Returns
    -------
    Community

    Example
    -------
    >>> import numpy as np
    >>> c = build_community(CommunitySpec(residents=100), np.random.default_rng(1))
    >>> c.n_residents
    100
    """
    n = spec.residents
    wpc = spec.wards
    n_wards = spec.communities * wpc
    # residents per community, then per ward; rows are contiguous by ward
    ward_sizes = np.concatenate([_split(int(c), wpc) for c in _split(n, spec.communities)])
    ward_sizes = np.maximum(ward_sizes, 0)
    ward_start = np.concatenate([[0], np.cumsum(ward_sizes)])
    ward = np.repeat(np.arange(n_wards), ward_sizes).astype(np.int32)
    ward_community = (np.arange(n_wards) // wpc).astype(np.int32)
    community = ward_community[ward]

    # households: consecutive runs of 1 + Poisson(mean - 1) residents within a ward; the
    # last household of a ward is cut at the ward's end and the next ward draws afresh
    sizes = 1 + rng.poisson(spec.household_size - 1.0, size=n)
    household = _households(sizes, ward_sizes)
    n_households = int(household[-1]) + 1 if n else 0

    # migrant clustering by ward (Beta spread grows with homophily)
    h = spec.homophily
    if h <= 0 or spec.migrant_share in (0.0, 1.0):
        p_ward = np.full(n_wards, spec.migrant_share)
    else:
        p_ward = _beta(rng, spec.migrant_share, spec.ward_mix_concentration * (1.0 - h) / h,
                       n_wards)
    hh_ward = ward[np.searchsorted(household, np.arange(n_households))]
    hh_origin = (rng.random(n_households) < p_ward[hh_ward]).astype(np.int8)
    origin = hh_origin[household]

    age_group = rng.choice(4, size=n, p=AGE_PROBS).astype(np.int8)
    mig = origin == 1
    means = _beta(rng, np.where(mig, spec.means_migrant, spec.means_established),
                  spec.means_concentration, n)
    hardship = _beta(rng, np.where(mig, spec.hardship_migrant, spec.hardship_established),
                     spec.hardship_concentration, n)
    legitimacy = _beta(rng, np.where(mig, spec.legitimacy_migrant,
                                     spec.legitimacy_established),
                       spec.legitimacy_concentration, n)
    social_trust = _beta(rng, spec.social_trust, spec.trust_concentration, n)
    prosociality = _beta(rng, spec.prosociality, spec.prosociality_concentration, n)
    state = ResidentState(origin=origin, community=community.astype(np.int32), ward=ward,
                          household=household, age_group=age_group, hardship=hardship,
                          legitimacy=legitimacy, social_trust=social_trust,
                          prosociality=prosociality, means=means)

    # kin: complete graph within each household
    ku, kv = [], []
    for d in range(1, int(sizes.max()) + 1):
        same = household[:-d] == household[d:] if d < n else np.zeros(0, bool)
        idx = np.nonzero(same)[0]
        ku.append(idx)
        kv.append(idx + d)
    ku, kv = np.concatenate(ku), np.concatenate(kv)
    # neighbours: within the ward
    nu, nv = _pairs_within(rng, ward_start[:-1], ward_sizes, ward, spec.neighbour_degree)
    # friends: within the community; same origin with probability `homophily`
    key = community.astype(np.int64) * 2 + origin
    order = np.argsort(key, kind="stable")
    grp_sizes = np.bincount(key, minlength=2 * spec.communities)
    grp_start = np.concatenate([[0], np.cumsum(grp_sizes)])[:-1]
    counts = rng.poisson(spec.friend_degree / 2.0, size=n)
    fu = np.repeat(np.arange(n), counts)
    same_origin = rng.random(len(fu)) < h
    g_same = key[fu]
    g_other = community[fu].astype(np.int64) * 2 + (1 - origin[fu])
    g = np.where(same_origin & (grp_sizes[g_same] > 1), g_same,
                 np.where(grp_sizes[g_other] > 0, g_other, g_same))
    fv = order[grp_start[g] + (rng.random(len(fu)) * grp_sizes[g]).astype(np.int64)]

    u = np.concatenate([ku, nu, fu])
    v = np.concatenate([kv, nv, fv])
    kind = np.concatenate([np.full(len(ku), KIN), np.full(len(nu), NEIGHBOUR),
                           np.full(len(fu), FRIEND)]).astype(np.int8)
    w = np.concatenate([_beta(rng, spec.kin_strength, spec.kin_concentration, len(ku)),
                        _beta(rng, spec.neighbour_strength, spec.tie_concentration, len(nu)),
                        _beta(rng, spec.friend_strength, spec.tie_concentration, len(fu))])
    w = np.clip(w, 0.05, 1.0)
    # earlier kinds win when a pair is drawn twice (kin before neighbour before friend)
    ties = TieStore(n, u, v, w, kind)

    orgs, org_edges, employs, employs_at = _build_orgs(spec, state, rng)
    return Community(spec=spec, state=state, ties=ties, orgs=orgs, org_edges=org_edges,
                     employs=employs, employs_at=employs_at, ward_start=ward_start,
                     ward_community=ward_community)


def _build_orgs(spec: CommunitySpec, state: ResidentState, rng: np.random.Generator):
    n = state.n
    orgs: list[OrgRecord] = []
    edges: list[tuple[int, int, str, float]] = []

    def add(kind: str, name: str, **attrs) -> int:
        orgs.append(OrgRecord(kind, name, attrs))
        return n + len(orgs) - 1

    per_10k = max(n / 10_000, 0.05)
    # rows are contiguous by community
    bounds = np.searchsorted(state.community, np.arange(spec.communities + 1))
    office = add("GovernmentOrg", "subdistrict office", role="office", domain=None,
                 staff=max(1, round(5 * per_10k)))
    depts = []
    for j in range(spec.departments):
        name = DEPARTMENT_NAMES[j] if j < len(DEPARTMENT_NAMES) else f"department {j + 1}"
        depts.append(add("GovernmentOrg", name, role="department",
                         domain=DOMAINS[j % len(DOMAINS)],
                         staff=max(1, round(2 * per_10k))))
    committees = []
    for c in range(spec.communities):
        node = add("SelfGovernanceOrg", f"residents' committee {c + 1}", role="committee",
                   community=c)
        committees.append(node)
        members = np.arange(bounds[c], bounds[c + 1])
        staff = rng.choice(members, size=min(spec.committee_staff, len(members)),
                           replace=False)
        for r in np.sort(staff):
            edges.append((int(r), node, "member", 1.0))
        edges.append((office, node, "oversees", 1.0))
        for d in depts:
            edges.append((d, node, "oversees", 0.5))
        realty = add("PrivateOrg", f"realty management {c + 1}", role="realty",
                     community=c, services=("parking", "maintenance"))
        edges.append((realty, node, "serves", 0.5))
    employers = []
    for j in range(spec.private_orgs):
        role = PRIVATE_ROLES[j % len(PRIVATE_ROLES)]
        node = add("PrivateOrg", f"{role} {j // len(PRIVATE_ROLES) + 1}", role=role,
                   community=None, services=(role,))
        if role == "employer":
            employers.append(node)
        for cm in committees:
            edges.append((node, cm, "serves", 0.3))
    adults = np.nonzero(state.age_group == 2)[0]
    employs = (np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64))
    employs_at = len(edges)
    if employers and len(adults):
        employed = adults[rng.random(len(adults)) < spec.employment_share]
        which = rng.integers(len(employers), size=len(employed))
        employs = (employed.astype(np.int64), np.asarray(employers, dtype=np.int64)[which])
    for j in range(spec.social_orgs):
        dom = SOCIAL_DOMAINS[j % len(SOCIAL_DOMAINS)]
        node = add("SocialOrg", f"{dom} service organization {j // len(SOCIAL_DOMAINS) + 1}",
                   role="service", domain=dom, funding="self")
        c = j % spec.communities
        edges.append((node, committees[c], "serves", 0.5))
        members = np.arange(bounds[c], bounds[c + 1])
        vol = rng.choice(members, size=min(5, len(members)), replace=False)
        for r in np.sort(vol):
            edges.append((int(r), node, "member", 0.6))
        if j % 2 == 0:
            edges.append((depts[7 % len(depts)], node, "contracts", 0.5))
    return orgs, edges, employs, employs_at
