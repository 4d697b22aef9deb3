"""Calibration specifications: a TOML file (data, never executed) validated in one place.

Example spec::

    scenario = "baseline"        # built-in name or path to a scenario module
    arm = "baseline"             # the arm whose parameters are fitted
    residents = 1000             # community size
    steps = 150                  # days per run
    warmup = 60                  # days left out of every statistic (the transient)
    seed = 1                     # master seed
    replicates = 1               # runs per evaluation (their statistics are averaged)

    [set]                        # fixed overrides
    "metrics.window_days" = 30

    [prior]                      # free parameters: uniform priors [low, high]
    "dispute.base_rate" = [0.00001, 0.0001]

    [[target]]                   # one pattern; at least one
    name = "mediated_rate"       # optional label (default MEASURE_STATISTIC)
    measure = "mediated"         # a measure of the run (govsim measures, docs/ODD.md 7.7)
    statistic = "rate"           # mean | final | rate | share | complement
    observed = 10.6
    tolerance = 3.0              # |simulated - observed| within this is a fit
    source = "Ministry of Justice 2022: 14.94 million mediated for 1.41 billion people"

    [budget]
    population = 40              # particles per ABC-SMC generation
    generations = 4              # generations (fewer when min_epsilon is reached)
    min_epsilon = 0.0            # stop once the accepted particles are this close
    check_replicates = 5         # runs at the posterior median for the fit table

The statistics are taken over the days after ``warmup``: ``mean`` (mean of the daily
values), ``final`` (the last day's value), ``rate`` (the sum of a daily count per 1,000
residents a year, or with ``per = "households"`` per household a year), ``share`` (the sum
of the measure over the sum of the measure named by ``of``) and ``complement`` (one minus
that share). The distance of a simulation is the root mean square of (simulated -
observed) / tolerance over the targets: at epsilon <= 1 the targets are on average within
their tolerances; the fit table says which are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from govsim.experiment.spec import (
    SpecError,
    _check_type,
    _jsonable,
    read_toml,
    scenario_beside,
)
from govsim.params import ParamError, specs, suggest
from govsim.scenario import ARMS, ScenarioError, load_scenario

__all__ = ["STATISTICS", "CalibrationSpec", "Target", "calibration_from_dict",
           "load_calibration"]

TOP_KEYS = ("scenario", "arm", "residents", "steps", "warmup", "seed", "replicates", "set",
            "prior", "target", "budget")
TARGET_KEYS = ("name", "measure", "statistic", "of", "per", "observed", "tolerance",
               "source")
BUDGET_KEYS = ("population", "generations", "min_epsilon", "check_replicates")
#: the statistics of a run's time series a target can name
STATISTICS = ("mean", "final", "rate", "share", "complement")


@dataclass(frozen=True)
class Target:
    """One pattern: a statistic of a measure, its observed value, tolerance and source."""

    name: str
    measure: str
    statistic: str
    observed: float
    tolerance: float
    source: str
    of: str | None = None
    per: str = "residents"

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "measure": self.measure, "statistic": self.statistic,
                "of": self.of, "per": self.per, "observed": self.observed,
                "tolerance": self.tolerance, "source": self.source}


@dataclass(frozen=True)
class CalibrationSpec:
    """A validated calibration: model, free parameters, targets and budget."""

    scenario: str
    targets: tuple[Target, ...]
    prior: dict[str, tuple[float, float]]
    arm: str = "baseline"
    residents: int | None = None
    steps: int = 150
    warmup: int = 0
    seed: int = 0
    replicates: int = 1
    fixed: dict[str, Any] = field(default_factory=dict)
    population: int = 40
    generations: int = 4
    min_epsilon: float = 0.0
    check_replicates: int = 5
    source: str = "<dict>"

    def overrides(self, values: dict[str, Any]) -> dict[str, Any]:
        """The parameter overrides of one run at ``values`` of the free parameters."""
        table = specs()
        typed = {k: (int(round(v)) if table[k].kind is int else float(v))
                 for k, v in values.items()}
        return {"model.warmup": self.warmup, **self.fixed, **typed}

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready description (the manifest's identity of the calibration)."""
        return {"scenario": self.scenario, "arm": self.arm, "residents": self.residents,
                "steps": self.steps, "warmup": self.warmup, "seed": self.seed,
                "replicates": self.replicates, "set": _jsonable(self.fixed),
                "prior": {k: list(v) for k, v in self.prior.items()},
                "target": [t.to_dict() for t in self.targets],
                "budget": {"population": self.population, "generations": self.generations,
                           "min_epsilon": self.min_epsilon,
                           "check_replicates": self.check_replicates}}


def load_calibration(path: str | Path) -> CalibrationSpec:
    """Read and validate a TOML calibration spec.

    Raises
    ------
    SpecError
        One line, with the TOML line where one can be named: a file that cannot be read,
        bad TOML, an unknown key or parameter, a target that names no measure or has no
        source, an empty prior range, a value of the wrong type or out of range.
    """
    path = Path(path)
    data, text = read_toml(path)
    spec = calibration_from_dict(data, where=str(path), text=text)
    return CalibrationSpec(**{**spec.__dict__,
                              "scenario": scenario_beside(spec.scenario, path)})


class _Lines:
    """Line numbers of keys and table headers in the spec's text, for error messages."""

    def __init__(self, text: str | None):
        self.lines = (text or "").splitlines()

    def key(self, key: str, after: int = 0) -> str:
        pattern = re.compile(r'^\s*("?)' + re.escape(key) + r'\1\s*=')
        for i, line in enumerate(self.lines[after:], after + 1):
            if pattern.match(line):
                return f" (line {i})"
        return ""

    def target(self, index: int) -> int:
        """The 0-based line of the index-th ``[[target]]`` header (0 if none)."""
        seen = -1
        for i, line in enumerate(self.lines):
            if re.match(r"^\s*\[\[\s*target\s*\]\]", line):
                seen += 1
                if seen == index:
                    return i
        return 0

    def in_target(self, index: int, key: str) -> str:
        start = self.target(index)
        found = self.key(key, start)
        if found:
            return found
        return f" (line {start + 1})" if self.lines else ""


def _number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def calibration_from_dict(data: dict[str, Any], where: str = "spec",
                          text: str | None = None) -> CalibrationSpec:
    """Validate a parsed calibration spec (see :func:`load_calibration`)."""
    lines = _Lines(text)
    for key in data:
        if key not in TOP_KEYS:
            raise SpecError(f"{where}{lines.key(key)}: unknown key '{key}'"
                            f"{suggest(key, TOP_KEYS)}")
    if "scenario" not in data:
        raise SpecError(f"{where}: missing key 'scenario'")
    _check_type(where, "scenario", data["scenario"], str, "a scenario name or path")
    try:
        sc = load_scenario(data["scenario"])
    except ScenarioError as exc:
        raise SpecError(f"{where}{lines.key('scenario')}: {exc}") from None
    arm = data.get("arm", "baseline")
    if arm not in ARMS:
        raise SpecError(f"{where}{lines.key('arm')}: unknown arm {arm!r}; choose from "
                        f"{', '.join(ARMS)}")
    ints = {}
    for key, default, low in (("replicates", 1, 1), ("steps", 150, 1), ("seed", 0, 0),
                              ("residents", None, 10)):
        value = data.get(key, default)
        if value is not None:
            _check_type(f"{where}{lines.key(key)}", key, value, int, f"an integer >= {low}")
            if value < low:
                raise SpecError(f"{where}{lines.key(key)}: '{key}' must be an integer >= "
                                f"{low}, got {value}")
        ints[key] = value
    warmup = data.get("warmup", 0)
    _check_type(where, "warmup", warmup, int, "an integer >= 0")
    if not 0 <= warmup < ints["steps"]:
        raise SpecError(f"{where}{lines.key('warmup')}: 'warmup' must be an integer >= 0 "
                        f"and below steps ({ints['steps']}), got {warmup}")
    table = specs()
    fixed = data.get("set", {})
    _check_type(where, "set", fixed, dict, "a table of parameter values")
    for key in fixed:
        if key not in table:
            raise SpecError(f"{where}{lines.key(key)}: [set] unknown parameter '{key}'"
                            f"{suggest(key, table)}")
    prior = _prior(data.get("prior"), where, lines, table, fixed)
    targets = _targets(data.get("target"), where, lines, sc, arm, ints["residents"])
    budget = data.get("budget", {})
    _check_type(where, "budget", budget, dict, "a table")
    for key in budget:
        if key not in BUDGET_KEYS:
            raise SpecError(f"{where}{lines.key(key)}: [budget] unknown key '{key}'"
                            f"{suggest(key, BUDGET_KEYS)}")
    sizes = {}
    for key, default, low in (("population", 40, 2), ("generations", 4, 1),
                              ("check_replicates", 5, 2)):
        value = budget.get(key, default)
        _check_type(f"{where}{lines.key(key)}", f"budget.{key}", value, int,
                    f"an integer >= {low}")
        if value < low:
            raise SpecError(f"{where}{lines.key(key)}: 'budget.{key}' must be an integer >= "
                            f"{low}, got {value}")
        sizes[key] = value
    min_eps = budget.get("min_epsilon", 0.0)
    if not _number(min_eps) or min_eps < 0:
        raise SpecError(f"{where}{lines.key('min_epsilon')}: 'budget.min_epsilon' must be "
                        f"a number >= 0, got {min_eps!r}")
    spec = CalibrationSpec(scenario=data["scenario"], arm=arm, targets=targets, prior=prior,
                           fixed=dict(fixed), warmup=warmup, min_epsilon=float(min_eps),
                           source=where, **ints, **sizes)
    for corner in ({k: lo for k, (lo, _) in prior.items()},
                   {k: hi for k, (_, hi) in prior.items()}):
        try:
            sc.params(arm, spec.overrides(corner), residents=spec.residents)
        except ParamError as exc:
            raise SpecError(f"{where}: {exc}") from None
    return spec


def _prior(raw, where, lines, table, fixed) -> dict[str, tuple[float, float]]:
    if raw is None:
        raise SpecError(f"{where}: missing table [prior] (the free parameters and their "
                        "ranges)")
    _check_type(where, "prior", raw, dict, "a table of [low, high] ranges")
    if not raw:
        raise SpecError(f"{where}{lines.key('[prior]')}: [prior] is empty")
    prior = {}
    for key, pair in raw.items():
        at = f"{where}{lines.key(key)}"
        if key not in table:
            raise SpecError(f"{at}: [prior] unknown parameter '{key}'{suggest(key, table)}")
        if table[key].kind not in (int, float):
            raise SpecError(f"{at}: [prior] '{key}' is not a number parameter")
        if key in fixed:
            raise SpecError(f"{at}: '{key}' is both fixed in [set] and free in [prior]")
        if not (isinstance(pair, list) and len(pair) == 2 and all(map(_number, pair))):
            raise SpecError(f"{at}: [prior] '{key}' must be [low, high] numbers, got {pair!r}")
        lo, hi = float(pair[0]), float(pair[1])
        if not lo < hi:
            raise SpecError(f"{at}: [prior] '{key}' is an empty range [{pair[0]}, {pair[1]}]"
                            "; low must be below high")
        for bound in (lo, hi):
            try:
                table[key].coerce(int(round(bound)) if table[key].kind is int else bound)
            except ParamError as exc:
                raise SpecError(f"{at}: [prior] {exc}") from None
        prior[key] = (lo, hi)
    return prior


def _targets(raw, where, lines, sc, arm, residents) -> tuple[Target, ...]:
    from govsim.metrics import measure_columns
    if raw is None:
        raise SpecError(f"{where}: no [[target]]: a calibration needs at least one pattern")
    if not isinstance(raw, list) or not all(isinstance(t, dict) for t in raw):
        raise SpecError(f"{where}: 'target' must be [[target]] tables")
    params = sc.params(arm, residents=residents)
    columns = measure_columns(params["model.institutions"], params["deeds.enabled"])
    out, names = [], set()
    for i, t in enumerate(raw):
        def fail(message, key=None, i=i):
            at = lines.in_target(i, key) if key else lines.in_target(i, "measure")
            raise SpecError(f"{where}{at}: target {i + 1}: {message}")
        for key in t:
            if key not in TARGET_KEYS:
                fail(f"unknown key '{key}'{suggest(key, TARGET_KEYS)}", key)
        for key in ("measure", "observed", "tolerance"):
            if key not in t:
                fail(f"missing '{key}'")
        if not isinstance(t.get("source"), str) or not t["source"].strip():
            fail("missing 'source' (where the observed value comes from)", "source")
        if not isinstance(t["measure"], str) or t["measure"] not in columns:
            fail(f"'{t['measure']}' names no measure of {sc.name}'s {arm} arm"
                 f"{suggest(str(t['measure']), columns)}", "measure")
        statistic = t.get("statistic", "mean")
        if statistic not in STATISTICS:
            fail(f"statistic must be one of {', '.join(STATISTICS)}, got {statistic!r}",
                 "statistic")
        of = t.get("of")
        if statistic in ("share", "complement"):
            if not isinstance(of, str) or of not in columns:
                fail(f"statistic {statistic!r} needs 'of', a measure to divide by"
                     + (f"; '{of}' names no measure{suggest(str(of), columns)}"
                        if of is not None else ""), "of" if of is not None else "statistic")
        elif of is not None:
            fail(f"'of' belongs to the share and complement statistics, not {statistic!r}",
                 "of")
        per = t.get("per", "residents")
        if per not in ("residents", "households"):
            fail(f"'per' must be 'residents' or 'households', got {per!r}", "per")
        if per != "residents" and statistic != "rate":
            fail("'per' belongs to the rate statistic", "per")
        if not _number(t["observed"]):
            fail(f"'observed' must be a number, got {t['observed']!r}", "observed")
        if not _number(t["tolerance"]) or not t["tolerance"] > 0:
            fail(f"'tolerance' must be a number > 0, got {t['tolerance']!r}", "tolerance")
        name = t.get("name", f"{t['measure']}_{statistic}")
        if not isinstance(name, str) or not name:
            fail(f"'name' must be a text, got {name!r}", "name")
        if name in names:
            fail(f"a second target named '{name}'", "name")
        names.add(name)
        out.append(Target(name, t["measure"], statistic, float(t["observed"]),
                          float(t["tolerance"]), t["source"].strip(), of, per))
    if not out:
        raise SpecError(f"{where}: no [[target]]: a calibration needs at least one pattern")
    return tuple(out)
