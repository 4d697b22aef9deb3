"""Sweep specifications: a TOML file (data, never executed) validated in one place.

Example spec::

    scenario = "deliberation_hall"      # built-in name or path to a scenario module
    arms = ["baseline", "intervention"]
    replicates = 5
    steps = 180
    seed = 42                            # master seed
    residents = 1000                     # community size (optional)
    warmup = 60                          # days before institutions switch on (optional;
                                         # default: DEFAULT_WARMUP if steps >= 2 x that)

    [set]                                # fixed overrides for every run
    "dispute.base_rate" = 0.0002

    [grid]                               # full factorial over dotted keys
    "hall.threshold" = [0.5, 0.667, 1.0]

    [sample]                             # and/or a space-filling sample
    method = "lhs"                       # "lhs" or "sobol" (scipy.stats.qmc)
    n = 8
    seed = 1
    [sample.ranges]
    "dispute.social_distance" = [0.0, 2.0]

    [output]
    timeseries = "daily"                 # "daily", "none", or an integer k (every k days)
"""

from __future__ import annotations

import itertools
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from govsim.params import ParamError, Params, specs, suggest
from govsim.scenario import ARMS, ScenarioError, load_scenario

__all__ = ["DEFAULT_WARMUP", "SpecError", "SweepSpec", "default_warmup", "load_spec",
           "spec_from_dict"]

TOP_KEYS = ("scenario", "arms", "replicates", "steps", "seed", "residents", "warmup", "set",
            "grid", "sample", "output")

#: days of warm-up before institutions switch on: the day by which Welch's smoothed
#: curves of the baseline's key measures have settled (``python scripts/warmup.py``,
#: docs/img/warmup.md; docs/ODD.md, "Warm-up")
DEFAULT_WARMUP = 170


def default_warmup(steps: int) -> int:
    """The default warm-up for a horizon: DEFAULT_WARMUP days when the horizon leaves at
    least as many days after it; none for shorter runs (quick looks and tests), which
    ask for one with ``warmup``/``--warmup`` when they need it."""
    return DEFAULT_WARMUP if steps >= 2 * DEFAULT_WARMUP else 0
SAMPLE_KEYS = ("method", "n", "seed", "ranges")
OUTPUT_KEYS = ("timeseries",)


class SpecError(ValueError):
    """A malformed sweep specification (one line, user-facing)."""


@dataclass(frozen=True)
class SweepSpec:
    """A validated sweep: what to run and what to write."""

    scenario: str
    arms: tuple[str, ...] = ARMS
    replicates: int = 1
    steps: int = 365
    seed: int = 0
    residents: int | None = None
    fixed: dict[str, Any] = field(default_factory=dict)
    grid: dict[str, list[Any]] = field(default_factory=dict)
    sample_method: str | None = None
    sample_n: int = 0
    sample_seed: int = 0
    ranges: dict[str, tuple[float, float]] = field(default_factory=dict)
    timeseries_every: int | None = 1   # None: no time series
    source: str = "<dict>"
    warmup: int = 0                    # days before institutions switch on
    #: per-replicate overrides (replicate r gets draws[r] in every arm and point): draws
    #: from a calibration's posterior, ``compare --posterior``
    draws: tuple[dict[str, Any], ...] = ()

    def points(self) -> list[dict[str, Any]]:
        """The design: one override dict per point (grid x sample, in a fixed order)."""
        grid_points = [dict(zip(self.grid, combo, strict=True))
                       for combo in itertools.product(*self.grid.values())] or [{}]
        sample_points = self._sample() or [{}]
        return [{"model.warmup": self.warmup, **self.fixed, **g, **s}
                for g in grid_points for s in sample_points]

    def _sample(self) -> list[dict[str, Any]]:
        if not self.sample_method:
            return []
        from scipy.stats import qmc
        d = len(self.ranges)
        if self.sample_method == "lhs":
            engine = qmc.LatinHypercube(d=d, rng=np.random.default_rng(self.sample_seed))
        else:
            engine = qmc.Sobol(d=d, scramble=True, rng=np.random.default_rng(self.sample_seed))
        unit = engine.random(self.sample_n)
        lows = np.array([lo for lo, _ in self.ranges.values()])
        highs = np.array([hi for _, hi in self.ranges.values()])
        values = qmc.scale(unit, lows, highs) if d else unit
        table = specs()
        out = []
        for row in values:
            point = {}
            for key, x in zip(self.ranges, row, strict=True):
                point[key] = int(round(x)) if table[key].kind is int else float(x)
            out.append(point)
        return out

    def to_dict(self) -> dict[str, Any]:
        """A plain, JSON-ready description (for the manifest and for comparing specs)."""
        return {"scenario": self.scenario, "arms": list(self.arms),
                "replicates": self.replicates, "steps": self.steps, "seed": self.seed,
                "residents": self.residents, "warmup": self.warmup,
                "set": _jsonable(self.fixed),
                "grid": _jsonable(self.grid),
                "sample": ({"method": self.sample_method, "n": self.sample_n,
                            "seed": self.sample_seed,
                            "ranges": {k: list(v) for k, v in self.ranges.items()}}
                           if self.sample_method else None),
                "output": {"timeseries": ("none" if self.timeseries_every is None else
                                          "daily" if self.timeseries_every == 1 else
                                          self.timeseries_every)},
                **({"draws": _jsonable(list(self.draws))} if self.draws else {})}


def _jsonable(x):
    if isinstance(x, dict):
        return {k: _jsonable(v) for k, v in x.items()}
    if isinstance(x, list | tuple):
        return [_jsonable(v) for v in x]
    return x


def load_spec(path: str | Path) -> SweepSpec:
    """Read and validate a TOML sweep spec.

    Raises
    ------
    SpecError
        For a file that cannot be read, bad TOML (with its line), an unknown key, an
        unknown parameter, a value of the wrong type or out of range, or an empty grid.
    """
    path = Path(path)
    data, _ = read_toml(path)
    spec = spec_from_dict(data, where=str(path))
    return SweepSpec(**{**spec.__dict__, "scenario": scenario_beside(spec.scenario, path)})


def read_toml(path: Path) -> tuple[dict, str]:
    """The parsed TOML of a spec file and its text; a file that cannot be read or bad TOML
    (with its line) is a :class:`SpecError`."""
    try:
        text = path.read_text()
    except OSError as exc:
        raise SpecError(f"cannot read {path}: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        raise SpecError(f"{path}: bad TOML: {_with_line(str(exc), text)}") from None


def scenario_beside(scenario: str, path: Path) -> str:
    """A spec's scenario: a built-in name as it is, a relative path to a scenario module
    relative to the spec file."""
    if (scenario.endswith(".py") or "/" in scenario) and not Path(scenario).is_absolute():
        return str((path.parent / scenario).resolve())
    return scenario


def _with_line(message: str, text: str) -> str:
    """A TOML error message that names a line: tomllib says "at end of document" for an
    error found only when the file ran out (an unclosed array or string), which points
    the user nowhere; the last line with content is where the unclosed thing lies open.

    Example
    -------
    >>> _with_line("Invalid value (at end of document)", 'seed = 1\\nreplicates = [\\n\\n')
    'Invalid value (at line 2, the end of the file)'
    """
    last = max(1, len(text.rstrip().splitlines()))
    return message.replace("(at end of document)", f"(at line {last}, the end of the file)")


def _check_type(where: str, key: str, value: Any, kind: type | tuple, text: str) -> None:
    if isinstance(value, bool) and kind is not bool:
        raise SpecError(f"{where}: '{key}' must be {text}, got {value!r}")
    if not isinstance(value, kind):
        raise SpecError(f"{where}: '{key}' must be {text}, got {value!r}")


def spec_from_dict(data: dict[str, Any], where: str = "spec") -> SweepSpec:
    """Validate a parsed spec (see :func:`load_spec`)."""
    for key in data:
        if key not in TOP_KEYS:
            raise SpecError(f"{where}: unknown key '{key}'{suggest(key, TOP_KEYS)}")
    if "scenario" not in data:
        raise SpecError(f"{where}: missing key 'scenario'")
    _check_type(where, "scenario", data["scenario"], str, "a scenario name or path")
    try:
        sc = load_scenario(data["scenario"])
    except ScenarioError as exc:
        raise SpecError(f"{where}: {exc}") from None
    arms = data.get("arms", list(ARMS))
    _check_type(where, "arms", arms, list, "a list of arms")
    for arm in arms:
        if arm not in ARMS:
            raise SpecError(f"{where}: unknown arm {arm!r}; choose from {', '.join(ARMS)}")
    if not arms:
        raise SpecError(f"{where}: 'arms' is empty")
    ints = {}
    for key, default, low in (("replicates", 1, 1), ("steps", 365, 1), ("seed", 0, 0),
                              ("residents", None, 10)):
        value = data.get(key, default)
        if value is not None:
            _check_type(where, key, value, int, f"an integer >= {low}")
            if value < low:
                raise SpecError(f"{where}: '{key}' must be an integer >= {low}, got {value}")
        ints[key] = value
    warmup = data.get("warmup", default_warmup(ints["steps"]))
    _check_type(where, "warmup", warmup, int, "an integer >= 0")
    if not 0 <= warmup < ints["steps"]:
        raise SpecError(f"{where}: 'warmup' must be an integer >= 0 and below steps "
                        f"({ints['steps']}), got {warmup}")
    table = specs()

    def check_key(key: str, section: str, value: Any = None) -> None:
        if key not in table:
            if isinstance(value, dict):  # TOML read an unquoted a.b as a nested table
                inner = next(iter(value), "")
                raise SpecError(f"{where}: [{section}] unknown parameter '{key}': quote "
                                f"dotted keys, as in \"{key}.{inner}\" = ...")
            raise SpecError(f"{where}: [{section}] unknown parameter '{key}'"
                            f"{suggest(key, table)}")

    fixed = data.get("set", {})
    _check_type(where, "set", fixed, dict, "a table of parameter values")
    grid = data.get("grid", {})
    _check_type(where, "grid", grid, dict, "a table of lists of values")
    for key in fixed:
        check_key(key, "set", fixed[key])
    for key, values in grid.items():
        check_key(key, "grid", values)
        if not isinstance(values, list):
            raise SpecError(f"{where}: [grid] '{key}' must be a list of values, got {values!r}")
        if not values:
            raise SpecError(f"{where}: [grid] '{key}' is empty")
    if "grid" in data and not grid:
        raise SpecError(f"{where}: [grid] is empty")
    sample = data.get("sample")
    method, n, sseed, ranges = None, 0, 0, {}
    if sample is not None:
        _check_type(where, "sample", sample, dict, "a table")
        for key in sample:
            if key not in SAMPLE_KEYS:
                raise SpecError(f"{where}: [sample] unknown key '{key}'"
                                f"{suggest(key, SAMPLE_KEYS)}")
        method = sample.get("method", "lhs")
        if method not in ("lhs", "sobol"):
            raise SpecError(f"{where}: [sample] method must be 'lhs' or 'sobol', got {method!r}")
        n = sample.get("n")
        _check_type(where, "sample.n", n, int, "an integer >= 1")
        if n < 1:
            raise SpecError(f"{where}: 'sample.n' must be an integer >= 1, got {n}")
        sseed = sample.get("seed", 0)
        _check_type(where, "sample.seed", sseed, int, "an integer >= 0")
        raw = sample.get("ranges", {})
        _check_type(where, "sample.ranges", raw, dict, "a table of [low, high] pairs")
        if not raw:
            raise SpecError(f"{where}: [sample.ranges] is empty")
        for key, pair in raw.items():
            check_key(key, "sample.ranges", pair)
            if (not isinstance(pair, list) or len(pair) != 2 or
                    not all(isinstance(x, int | float) and not isinstance(x, bool)
                            for x in pair) or pair[0] > pair[1]):
                raise SpecError(f"{where}: [sample.ranges] '{key}' must be [low, high] "
                                f"numbers with low <= high, got {pair!r}")
            if table[key].kind not in (int, float):
                raise SpecError(f"{where}: [sample.ranges] '{key}' is not numeric")
            ranges[key] = (float(pair[0]), float(pair[1]))
    output = data.get("output", {})
    _check_type(where, "output", output, dict, "a table")
    for key in output:
        if key not in OUTPUT_KEYS:
            raise SpecError(f"{where}: [output] unknown key '{key}'{suggest(key, OUTPUT_KEYS)}")
    ts = output.get("timeseries", "daily")
    if ts == "daily":
        every = 1
    elif ts == "none":
        every = None
    elif isinstance(ts, int) and not isinstance(ts, bool) and ts >= 1:
        every = ts
    else:
        raise SpecError(f"{where}: [output] timeseries must be 'daily', 'none' or an "
                        f"integer >= 1, got {ts!r}")
    spec = SweepSpec(scenario=data["scenario"], arms=tuple(arms), fixed=dict(fixed),
                     grid={k: list(v) for k, v in grid.items()}, sample_method=method,
                     sample_n=n or 0, sample_seed=sseed, ranges=ranges,
                     timeseries_every=every, source=where, warmup=warmup, **ints)
    # every design point must be a valid parameter set for every arm
    for point in spec.points():
        for arm in spec.arms:
            try:
                sc.params(arm, point, residents=spec.residents)
            except ParamError as exc:
                raise SpecError(f"{where}: {exc}") from None
    return spec


def resolved_params(spec: SweepSpec, arm: str, point: dict[str, Any]) -> Params:
    """The parameters of one run of the sweep."""
    return load_scenario(spec.scenario).params(arm, point, residents=spec.residents)
