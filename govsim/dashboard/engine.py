"""What the dashboard computes, without any web code: controls, paired runs, words, files.

The page (:mod:`govsim.dashboard.app`) only draws what this module returns, so that the
computation is tested without a browser and the page stays a thin layer. A comparison is
two *arms* run on the same replicate seeds as ``govsim compare`` uses
(:func:`govsim.experiment.runner.replicate_seeds`), so the dashboard's effect table is the
command line's for the same settings.
"""

from __future__ import annotations

import functools
import io
import math
import re
import threading
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import matplotlib

matplotlib.use("Agg")  # the server draws off-screen, from worker threads

import matplotlib.pyplot as plt  # noqa: E402
import networkx as nx  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

from govsim.analysis import paired_effects, summarize  # noqa: E402
from govsim.experiment.runner import replicate_seeds, run_id  # noqa: E402
from govsim.netdraw import draw_sample, legend_handles, network_sample  # noqa: E402
from govsim.params import ParamError, specs  # noqa: E402
from govsim.plots import band  # noqa: E402
from govsim.scenario import Scenario, available, load_scenario  # noqa: E402
from govsim.style import ARM_COLOURS  # noqa: E402

__all__ = ["LIMITS", "Arm", "Control", "Cancelled", "PairResult", "Request", "Sizes",
           "check_sizes", "controls", "effect_sentence", "effect_rows", "network_figure",
           "odd_section", "outcomes_figure", "run_pair", "scenario_choices", "shown_outcomes"]

#: sizes a laptop runs in seconds to a minute: (low, default, high)
LIMITS = {"residents": (100, 800, 5000), "days": (10, 120, 365), "replicates": (2, 4, 8)}
#: measures every comparison shows after the scenario's own key outcomes
CORE = ("conflict_rate", "bridging_share", "legitimacy_mean", "needs_met_share")
#: residents in the network picture
NETWORK_RESIDENTS = 250
ODD_PATH = Path(__file__).resolve().parents[2] / "docs" / "ODD.md"


class Cancelled(Exception):
    """A run superseded by a newer one from the same page."""


# -- scenarios and controls --------------------------------------------------------------
@functools.cache
def scenario_choices() -> tuple[Scenario, ...]:
    """The built-in scenarios, baseline first, then by report form and name (loaded once:
    the page asks on every render)."""
    rows = [load_scenario(name) for name in available()]
    return tuple(sorted(rows, key=lambda s: (s.name != "baseline", s.form, s.name)))


@dataclass(frozen=True)
class Control:
    """One widget: a lever or an uncertainty with its kind, range and words.

    ``kind`` is ``"bool"`` (a switch), ``"int"`` or ``"float"`` (a slider).
    """

    key: str
    kind: str
    low: float
    high: float
    step: float
    value: Any
    label: str
    unit: str
    doc: str

    def text(self) -> str:
        """The label with its unit and range, as the page shows it."""
        if self.kind == "bool":
            return self.label
        unit = f" ({self.unit})" if self.unit else ""
        return f"{self.label}{unit}, {_num(self.low)}–{_num(self.high)}"


def _nice_step(low: float, high: float) -> float:
    """A round slider step giving 20 to 100 positions over the range."""
    span = high - low
    if span <= 0:
        return 1.0
    raw = span / 50
    mag = 10 ** math.floor(math.log10(raw))
    return min((m * mag for m in (1, 2, 5, 10)), key=lambda s: abs(s - raw))


def controls(scenario: Scenario, which: str = "levers",
             arm: str = "intervention") -> list[Control]:
    """The widgets for a scenario's levers (or ``which="uncertainties"``).

    Kinds, units and the meaning come from the parameter registry; ranges and the
    short label from the scenario; starting values from the given arm.
    """
    table = specs()
    values = scenario.params(arm)
    out = []
    for r in getattr(scenario, which):
        s = table[r.key]
        kind = {bool: "bool", int: "int"}.get(s.kind, "float")
        step = 1.0 if kind != "float" else _nice_step(r.low, r.high)
        value = values[r.key]
        out.append(Control(r.key, kind, r.low, r.high, step,
                           bool(value) if kind == "bool" else value,
                           r.doc or s.doc, s.unit, s.doc))
    return out


def check_value(key: str, value: Any) -> str:
    """The registry's message for a bad value of ``key``, or ``""`` if it is allowed."""
    try:
        specs()[key].coerce(value)
    except ParamError as exc:
        return str(exc)
    return ""


@dataclass(frozen=True)
class Sizes:
    """Community size, horizon and replicates of a comparison."""

    residents: int = LIMITS["residents"][1]
    days: int = LIMITS["days"][1]
    replicates: int = LIMITS["replicates"][1]
    seed: int = 0


def check_sizes(residents: Any, days: Any, replicates: Any) -> dict[str, str]:
    """Messages for sizes the page refuses, by field (empty when all are fine).

    The community size is checked by the parameter registry first (its message is
    shown as is), then against the laptop limit of :data:`LIMITS`.
    """
    errors = {}
    msg = check_value("community.residents", residents)
    if msg:
        errors["residents"] = msg
    for name, value in (("residents", residents), ("days", days),
                        ("replicates", replicates)):
        if name in errors:
            continue
        low, _, high = LIMITS[name]
        if not isinstance(value, int | np.integer) or isinstance(value, bool):
            errors[name] = f"{name} must be a whole number, got {value!r}"
        elif not low <= value <= high:
            errors[name] = (f"{name} must be in [{low}, {high}] on this page, got {value} "
                            "(use 'govsim compare' for larger runs)")
    return errors


# -- runs --------------------------------------------------------------------------------
@dataclass(frozen=True)
class Arm:
    """One side of a comparison: a scenario arm plus parameter overrides."""

    label: str
    arm: str
    overrides: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Request:
    """A comparison of two arms of one scenario on common seeds."""

    scenario: str
    first: Arm
    second: Arm
    sizes: Sizes = Sizes()

    def params(self, side: Arm):
        """Resolved parameters of one side (raises ParamError on a bad value)."""
        sc = load_scenario(self.scenario)
        return sc.params(side.arm, dict(side.overrides), residents=self.sizes.residents)


@dataclass
class PairResult:
    """Everything the page shows after a Run."""

    request: Request
    outcomes: list[str]
    series: dict[str, list[pd.DataFrame]]
    runs: pd.DataFrame
    effects: pd.DataFrame
    networks: dict[str, nx.Graph]
    seconds: float = 0.0

    def timeseries(self) -> pd.DataFrame:
        """Every day of every run, long format: arm, replicate, seed, step, measures."""
        frames = []
        for side in (self.request.first, self.request.second):
            for rep, ts in enumerate(self.series[side.label]):
                runs = self.runs[(self.runs["arm"] == side.label) &
                                 (self.runs["replicate"] == rep)]
                head = pd.DataFrame({"run_id": runs["run_id"].iloc[0], "arm": side.label,
                                     "replicate": rep, "seed": runs["seed"].iloc[0]},
                                    index=ts.index)
                frames.append(pd.concat([head, ts], axis=1))
        return pd.concat(frames, ignore_index=True)

    def csv(self, which: str) -> bytes:
        """``runs``, ``timeseries`` or ``effects`` as CSV bytes (for a download)."""
        table = {"runs": self.runs, "effects": self.effects}.get(which)
        if table is None:
            table = self.timeseries()
        return table.to_csv(index=False).encode()


def shown_outcomes(scenario: Scenario, measures: Sequence[str]) -> list[str]:
    """The scenario's key outcomes, then the core conflict and cohesion measures."""
    names = dict.fromkeys([*scenario.outcomes, *CORE])
    return [m for m in names if m in measures]


def _one_run(scenario: str, arm: str, overrides: dict[str, Any], residents: int,
             seed: int, days: int, sample: bool) -> tuple[pd.DataFrame, nx.Graph | None]:
    """One model run (in a worker process or a thread): its series and, if asked, the
    sampled neighbourhood with tie weights at the end of the run."""
    from govsim.model import CommunityModel
    params = load_scenario(scenario).params(arm, overrides, residents=residents)
    model = CommunityModel(params=params, rng=seed)
    model.run_for(days)
    net = network_sample(model, NETWORK_RESIDENTS, seed=0) if sample else None
    return model.timeseries(), net


class Pool:
    """Worker processes shared by every browser session of one server.

    With ``workers=0`` runs happen in the calling thread (tests, or a machine where
    processes cannot be started).
    """

    def __init__(self, workers: int = 0):
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()

    def submit(self, fn: Callable, *args) -> Future:
        if self.workers <= 0:
            fut: Future = Future()
            try:
                fut.set_result(fn(*args))
            except Exception as exc:  # delivered to the waiter like a worker's error
                fut.set_exception(exc)
            return fut
        with self._lock:
            if self._pool is None:
                import multiprocessing as mp
                # spawn: a forked copy of a threaded web server is not safe
                self._pool = ProcessPoolExecutor(self.workers,
                                                 mp_context=mp.get_context("spawn"))
        return self._pool.submit(fn, *args)

    def shutdown(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def run_pair(request: Request, pool: Pool | None = None,
             progress: Callable[[int, int], None] | None = None,
             cancelled: Callable[[], bool] | None = None) -> PairResult:
    """Run both sides of ``request`` on the same replicate seeds and compare them.

    Parameters
    ----------
    request : Request
    pool : Pool, optional
        Where the runs happen (default: in this thread).
    progress : callable, optional
        Called with (runs done, runs in all) as runs finish.
    cancelled : callable, optional
        Polled between runs; when it returns True the remaining runs are dropped and
        :class:`Cancelled` is raised.

    Returns
    -------
    PairResult
        Series per side and replicate, one row per run (``runs``), the paired effects of
        the second side against the first (``effects``, as :func:`govsim.analysis.
        paired_effects`), and the sampled neighbourhood at the end of replicate 0 of each
        side.

    Raises
    ------
    ParamError
        If an override is not allowed (before any run starts).
    """
    import time
    start = time.perf_counter()
    pool = pool or Pool(0)
    sizes = request.sizes
    sides = (request.first, request.second)
    params = {s.label: request.params(s).to_dict() for s in sides}  # validates first
    seeds = replicate_seeds(sizes.seed, sizes.replicates)
    jobs = [(s, rep, seed) for s in sides for rep, seed in enumerate(seeds)]
    futures = [pool.submit(_one_run, request.scenario, s.arm, dict(s.overrides),
                           sizes.residents, seed, sizes.days, rep == 0)
               for s, rep, seed in jobs]
    results = []
    try:
        for done, fut in enumerate(futures, start=1):
            while True:
                if cancelled is not None and cancelled():
                    raise Cancelled
                try:
                    results.append(fut.result(timeout=0.2))
                    break
                except TimeoutError:
                    continue
            if progress is not None:
                progress(done, len(futures))
    except BaseException:
        for fut in futures:
            fut.cancel()
        raise
    series: dict[str, list[pd.DataFrame]] = {s.label: [] for s in sides}
    networks: dict[str, nx.Graph] = {}
    rows = []
    for (side, rep, seed), (ts, net) in zip(jobs, results, strict=True):
        series[side.label].append(ts)
        if net is not None:
            networks[side.label] = net
        rows.append({"run_id": run_id(request.scenario, side.arm, params[side.label], rep,
                                      seed),
                     "scenario": request.scenario, "arm": side.label,
                     "scenario_arm": side.arm, "replicate": rep, "seed": seed,
                     "residents": sizes.residents, "days": sizes.days,
                     **{k: _cell(v) for k, v in sorted(side.overrides.items())},
                     **summarize(ts)})
    runs = pd.DataFrame(rows)
    sc = load_scenario(request.scenario)
    measures = [c for c in series[sides[0].label][0].columns if c != "step"]
    outcomes = shown_outcomes(sc, measures)
    first = runs[runs["arm"] == sides[0].label].reset_index(drop=True)
    second = runs[runs["arm"] == sides[1].label].reset_index(drop=True)
    effects = paired_effects(first, second, outcomes)
    return PairResult(request, outcomes, series, runs, effects, networks,
                      time.perf_counter() - start)


def _cell(v: Any) -> Any:
    return ",".join(v) if isinstance(v, tuple) else v


# -- words -------------------------------------------------------------------------------
_WORDS = {
    "conflicts": "conflicts", "conflict_rate": "conflicts per 1,000 residents a year",
    "disputes": "disputes", "intergroup_conflicts": "conflicts between origins",
    "grievance_mean": "grievance", "bridging_share": "ties across origin",
    "legitimacy_mean": "trust in government (legitimacy)",
    "social_trust_mean": "social trust", "needs_met_share": "share of needs met",
    "tie_strength_mean": "tie strength", "hardship_mean": "hardship",
    "response_minutes_mean": "minutes until a response",
    "responded_within_30min_share": "share answered within 30 minutes",
    "participation_rate": "participation", "unresolved_cases": "unresolved cases",
    "mediated": "mediated disputes", "ei_index": "E-I index (openness across origin)",
}


def outcome_words(name: str) -> str:
    """A measure's name in plain words (its column name when none is known)."""
    if name in _WORDS:
        return _WORDS[name]
    text = re.sub(r"_(mean|share)$", "", name).replace("_", " ")
    return text


def _pct(x: float) -> str:
    return f"{abs(x):.0f}%" if abs(x) >= 10 else f"{abs(x):.1f}%"


def effect_sentence(row: Mapping[str, Any], name: str | None = None) -> str:
    """One row of a paired-effect table in plain words.

    The change is relative to the first side's mean, with the paired 95% interval scaled
    the same way (as in :func:`govsim.plots.forest`); a measure whose first-side mean is 0
    is reported as an absolute change.

    Example
    -------
    >>> effect_sentence({"outcome": "conflicts", "baseline_mean": 10.0, "diff_mean": -2.0,
    ...                  "ci_low": -2.8, "ci_high": -1.2}, "conflicts")
    'conflicts fell by 20% [12%, 28%]'
    """
    name = name or outcome_words(str(row["outcome"]))
    base, mid = float(row["baseline_mean"]), float(row["diff_mean"])
    lo, hi = float(row["ci_low"]), float(row["ci_high"])
    if base != 0:
        scale = 100 / abs(base)
        mid, lo, hi = mid * scale, lo * scale, hi * scale
        fmt = _pct
    else:
        def fmt(x: float) -> str:
            return f"{abs(x):.3g}"
    if not math.isfinite(lo) or not math.isfinite(hi):
        return f"{name}: a change of {'+' if mid >= 0 else '−'}{fmt(mid)} (no interval)"
    if mid == 0 and lo == 0 and hi == 0:
        return f"{name}: no change in any replicate"
    if hi < 0:
        return f"{name} fell by {fmt(mid)} [{fmt(hi)}, {fmt(lo)}]"
    if lo > 0:
        return f"{name} rose by {fmt(mid)} [{fmt(lo)}, {fmt(hi)}]"
    sign = "+" if mid >= 0 else "−"
    return (f"{name}: no clear change, {sign}{fmt(mid)} "
            f"[{'−' if lo < 0 else '+'}{fmt(lo)}, {'−' if hi < 0 else '+'}{fmt(hi)}]")


def effect_rows(effects: pd.DataFrame) -> list[dict[str, str]]:
    """The effect table as the page shows it: words, then the two means."""
    out = []
    for _, row in effects.iterrows():
        out.append({"outcome": str(row["outcome"]), "effect": effect_sentence(row),
                    "first": f"{row['baseline_mean']:.4g}",
                    "second": f"{row['intervention_mean']:.4g}"})
    return out


def _num(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


# -- pictures ----------------------------------------------------------------------------
def outcomes_figure(result: PairResult):
    """Each shown outcome over time: mean and 95% band across replicates, per side."""
    names = result.outcomes
    cols = min(3, len(names))
    rows = -(-len(names) // cols)
    fig, axes = plt.subplots(rows, cols, figsize=(4.0 * cols, 2.6 * rows), squeeze=False)
    sides = (result.request.first, result.request.second)
    for ax, name in zip(axes.flat, names, strict=False):
        colours = (ARM_COLOURS["baseline"], ARM_COLOURS["intervention"])  # as in every figure
        for side, colour in zip(sides, colours, strict=True):
            runs = result.series[side.label]
            steps = runs[0]["step"].to_numpy()
            mean, lo, hi = band(np.vstack([r[name].to_numpy() for r in runs]))
            ax.plot(steps, mean, color=colour, label=side.label, lw=1.4)
            ax.fill_between(steps, lo, hi, color=colour, alpha=0.25, linewidth=0)
        ax.set_title(outcome_words(name), fontsize=9)
        ax.set_xlabel("day", fontsize=8)
        ax.tick_params(labelsize=7)
    for ax in axes.flat[len(names):]:
        ax.set_visible(False)
    axes.flat[0].legend(fontsize=7, title="mean, 95% band", title_fontsize=7)
    fig.tight_layout()
    plt.close(fig)
    return fig


def network_layout(graphs: Sequence[nx.Graph]) -> dict[int, np.ndarray]:
    """One seeded layout of the union of the sampled neighbourhoods (a few hundred
    nodes), computed once and shared by every panel so that only the ties change."""
    union = nx.compose_all(graphs) if graphs else nx.Graph()
    return nx.spring_layout(union, seed=0, k=1.5 / np.sqrt(max(len(union), 1)))


def network_figure(networks: Mapping[str, nx.Graph], pos: Mapping[int, np.ndarray] | None
                   = None):
    """The sampled neighbourhood at the end of the run, one panel per side.

    Residents are dots coloured by origin, organizations squares coloured by kind, tie
    width follows tie strength.
    """
    graphs = list(networks.values())
    pos = pos if pos is not None else network_layout(graphs)
    fig, axes = plt.subplots(1, len(graphs), figsize=(5.2 * len(graphs), 4.6), squeeze=False)
    for ax, (label, g) in zip(axes.flat, networks.items(), strict=True):
        res, org = draw_sample(ax, g, pos, (0.2, 1.8), (18, 70))
        ax.set_title(f"{label}: {len(res)} residents, {len(org)} organizations", fontsize=9)
        ax.set_axis_off()
    handles = legend_handles()
    fig.legend(handles=handles, fontsize=7, loc="lower center", ncol=len(handles),
               frameon=False)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    plt.close(fig)
    return fig


def png(fig) -> bytes:
    """A figure as PNG bytes."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    return buf.getvalue()


# -- the ODD -----------------------------------------------------------------------------
@functools.cache
def odd_section(scenario: str, path: Path = ODD_PATH) -> tuple[str, str]:
    """The heading and text of the ODD submodel of a scenario's mechanism.

    Returns ``("", "")`` when the ODD has no section naming the scenario (the baseline's
    processes are described in sections 3 and 7.1 to 7.5).
    """
    if not path.is_file():
        return "", ""
    text = path.read_text(encoding="utf-8")
    pattern = re.compile(rf"^### (.*scenario `{re.escape(scenario)}`.*)$", re.M)
    m = pattern.search(text)
    if m is None:
        return "", ""
    end = re.compile(r"^#{2,3} ", re.M).search(text, m.end())
    body = text[m.end(): end.start() if end else len(text)].strip()
    return m.group(1).strip(), body


def odd_anchor(heading: str) -> str:
    """The anchor GitHub gives a Markdown heading (for a link into docs/ODD.md)."""
    text = heading.strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")
