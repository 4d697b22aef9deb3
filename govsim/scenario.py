"""Scenarios: a case of the report turned into an experiment, and their registry.

A :class:`Scenario` states the community it runs in, the institutions it switches on, its
**baseline** and **intervention** arms (parameter overrides), its **levers** (policy
parameters, with ranges) and **uncertainties** (behavioural parameters, with plausible
ranges), its outcomes, its **primary** outcome and the family of **key outcomes** whose
p-values are adjusted together (Holm), its **ingredients** (named parameter overrides
that each switch one active ingredient of the intervention off, for ablation), the
report's figures it is built on, and how its structure scales when the community is
resized (``--residents``). A scenario module
defines one module-level ``SCENARIO``. Built-in scenarios live in the ``scenarios``
package; any other module can be loaded by its path.

Example
-------
>>> from govsim.scenario import load_scenario
>>> sc = load_scenario("baseline")
>>> p = sc.params("intervention", residents=300)
>>> p["community.residents"]
300
"""

from __future__ import annotations

import difflib
import importlib
import importlib.util
import pkgutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

from govsim.params import ParamError, Params, specs, suggest

__all__ = ["ARMS", "Range", "Scenario", "ScenarioError", "available", "load_scenario"]

ARMS = ("baseline", "intervention")


class ScenarioError(ValueError):
    """An unknown or malformed scenario (one line, user-facing)."""


@dataclass(frozen=True)
class Range:
    """A lever or uncertainty: a parameter and the range worth exploring."""

    key: str
    low: float
    high: float
    doc: str = ""


def _frozen(d: Mapping[str, Any] | None) -> Mapping[str, Any]:
    return MappingProxyType(dict(d or {}))


@dataclass(frozen=True)
class Scenario:
    """One case of the report as an experiment (see the module docstring)."""

    name: str
    title: str
    summary: str = ""
    place: str = ""
    form: int = 0
    institutions: tuple[str, ...] = ()
    base: Mapping[str, Any] = field(default_factory=dict)
    baseline: Mapping[str, Any] = field(default_factory=dict)
    intervention: Mapping[str, Any] = field(default_factory=dict)
    levers: tuple[Range, ...] = ()
    uncertainties: tuple[Range, ...] = ()
    outcomes: tuple[str, ...] = ()
    figures: tuple[str, ...] = ()
    source: str = ""
    #: the one outcome the scenario is judged by (adaptive replication targets it)
    primary: str = ""
    #: the confirmatory family: Holm's adjustment runs over these (primary first)
    key_outcomes: tuple[str, ...] = ()
    #: ingredient name -> overrides, applied to the intervention arm, that switch it off
    ingredients: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: parameters that scale in proportion to the residents when ``residents`` resizes the
    #: community (e.g. ``community.communities``: communities scale, seats per community
    #: stay), so that a resized scenario keeps the proportions it was built with; every
    #: other parameter keeps its value. An explicit override still wins.
    scales_with_residents: tuple[str, ...] = ()
    #: parameter -> the shipped calibration (``calibrations/<name>.toml``) whose posterior
    #: median the scenario's ``base`` value is (a test checks them against the results)
    calibrated: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in ("base", "baseline", "intervention"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))
        object.__setattr__(self, "ingredients", MappingProxyType(
            {k: _frozen(v) for k, v in (self.ingredients or {}).items()}))
        object.__setattr__(self, "calibrated", MappingProxyType(dict(self.calibrated)))
        key = tuple(self.key_outcomes)
        if self.primary and self.primary not in key:
            key = (self.primary, *key)
        elif self.primary:
            key = (self.primary, *(k for k in key if k != self.primary))
        object.__setattr__(self, "key_outcomes", key)

    def family(self) -> tuple[str, ...]:
        """The key outcomes (primary first), or the listed outcomes if none are declared."""
        return self.key_outcomes or tuple(self.outcomes)

    def ablated(self, ingredient: str) -> dict[str, Any]:
        """The intervention's overrides with one ingredient switched off."""
        if ingredient not in self.ingredients:
            raise ScenarioError(f"scenario '{self.name}' has no ingredient '{ingredient}'"
                                f"{suggest(ingredient, list(self.ingredients))}")
        return {**self.intervention, **self.ingredients[ingredient]}

    def arm(self, arm: str) -> Mapping[str, Any]:
        """The overrides of one arm."""
        if arm not in ARMS:
            raise ScenarioError(f"unknown arm '{arm}'; choose {' or '.join(ARMS)}")
        return self.baseline if arm == "baseline" else self.intervention

    def params(self, arm: str = "baseline", overrides: Mapping[str, Any] | None = None,
               residents: int | None = None) -> Params:
        """Resolved parameters: defaults < scenario base < arm < residents < overrides.

        With ``residents``, the parameters in :attr:`scales_with_residents` scale in
        proportion to it (rounded for integers, kept within their range).
        """
        layer = {"model.institutions": self.institutions, **self.base, **self.arm(arm)}
        if residents is not None:
            own = Params.resolve(layer)
            ratio = residents / own["community.residents"]
            for key in self.scales_with_residents:
                s = specs()[key]
                value = own[key] * ratio
                value = max(1, round(value)) if s.kind is int else value
                # within the parameter's range: past it the proportions cannot be kept
                lo = -float("inf") if s.low is None else s.low
                hi = float("inf") if s.high is None else s.high
                layer[key] = type(value)(min(max(value, lo), hi))
            layer["community.residents"] = residents
        return Params.resolve(overrides, base=Params.resolve(layer).to_dict())

    def validate(self) -> Scenario:
        """Check that every key the scenario names is a parameter; returns self."""
        table = specs()
        keys = [*self.base, *self.baseline, *self.intervention,
                *(r.key for r in self.levers), *(r.key for r in self.uncertainties),
                *(k for over in self.ingredients.values() for k in over),
                *self.scales_with_residents]
        for key in keys:
            if key not in table:
                raise ScenarioError(
                    f"scenario '{self.name}' names unknown parameter '{key}'"
                    f"{suggest(key, table)}")
        try:
            self.params("baseline")
            self.params("intervention")
            for name in self.ingredients:
                self.params("intervention", self.ingredients[name])
        except ParamError as exc:
            raise ScenarioError(f"scenario '{self.name}': {exc}") from None
        return self


def _builtin_dir() -> Path:
    from govsim import scenarios
    return Path(scenarios.__file__).parent


def available() -> dict[str, str]:
    """Built-in scenario names and their titles, in name order."""
    from govsim import scenarios
    out = {}
    for mod in sorted(m.name for m in pkgutil.iter_modules(scenarios.__path__)):
        if mod.startswith("_"):
            continue
        sc = load_scenario(mod)
        out[sc.name] = sc.title
    return out


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A built-in scenario by name, or the ``SCENARIO`` of a module file by path.

    Raises
    ------
    ScenarioError
        If there is no such scenario (the closest names are suggested) or the module
        does not define a valid ``SCENARIO``.
    """
    text = str(name_or_path)
    if text.endswith(".py") or "/" in text or "\\" in text:
        path = Path(text)
        if not path.is_file():
            raise ScenarioError(f"no scenario file '{text}'")
        spec = importlib.util.spec_from_file_location(f"govsim_user_{path.stem}", path)
        module = importlib.util.module_from_spec(spec)
        try:
            spec.loader.exec_module(module)
        except Exception as exc:  # a user's file: report it in one line
            raise ScenarioError(f"cannot load scenario file '{text}': {exc}") from None
    else:
        from govsim import scenarios
        names = [m.name for m in pkgutil.iter_modules(scenarios.__path__)
                 if not m.name.startswith("_")]
        if text not in names:
            close = difflib.get_close_matches(text, names, n=3, cutoff=0.0)
            raise ScenarioError(f"unknown scenario '{text}'; closest: {', '.join(close)} "
                                "('govsim list' shows them all)")
        module = importlib.import_module(f"govsim.scenarios.{text}")
    sc = getattr(module, "SCENARIO", None)
    if not isinstance(sc, Scenario):
        raise ScenarioError(f"'{text}' does not define SCENARIO = Scenario(...)")
    return sc.validate()
