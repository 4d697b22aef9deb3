"""Typed, validated parameter tree addressed by dotted keys.

Every parameter of the model is declared once, next to the rule that uses it, as a
:class:`ParamSpec` with a default, an allowed range, a unit, a one-line meaning and a
source. :class:`Params` is the resolved, immutable set of values for one run. Validation
happens here and only here: the model trusts what it receives.

Example
-------
>>> from govsim.params import Params
>>> p = Params.resolve({"dispute.base_rate": 0.01})
>>> p["dispute.base_rate"]
0.01
>>> p.section("dispute").base_rate
0.01
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import MappingProxyType, SimpleNamespace
from typing import Any

__all__ = ["ParamError", "ParamSpec", "Params", "register", "spec", "specs", "suggest"]


class ParamError(ValueError):
    """A parameter name, type or value that is not allowed (one line, user-facing)."""


@dataclass(frozen=True)
class ParamSpec:
    """Declaration of one parameter.

    Parameters
    ----------
    key : str
        Dotted name, ``section.name``.
    default : bool | int | float | str | tuple
        Default value; its type is the parameter's type.
    low, high : float, optional
        Inclusive bounds for numbers.
    unit : str
        Unit of measurement ("share", "per day", "minutes", ...).
    doc : str
        One-line meaning.
    source : str
        Where the default comes from (the report, a paper, or "assumption").
    choices : tuple, optional
        Allowed values for strings (or for the items of a tuple).
    """

    key: str
    default: Any
    low: float | None = None
    high: float | None = None
    unit: str = ""
    doc: str = ""
    source: str = "assumption"
    choices: tuple | None = None

    @property
    def kind(self) -> type:
        return type(self.default)

    @property
    def section(self) -> str:
        return self.key.rsplit(".", 1)[0]

    @property
    def name(self) -> str:
        return self.key.rsplit(".", 1)[1]

    def range_text(self) -> str:
        if self.choices is not None:
            return "one of " + ", ".join(map(str, self.choices))
        if self.kind is bool:
            return "true/false"
        lo = "-inf" if self.low is None else _fmt(self.low)
        hi = "inf" if self.high is None else _fmt(self.high)
        return f"[{lo}, {hi}]"

    def coerce(self, value: Any) -> Any:
        """Return ``value`` converted to this parameter's type, or raise ParamError."""
        kind = self.kind
        where = f"parameter '{self.key}'"
        if kind is tuple:
            if isinstance(value, str):
                value = tuple(v.strip() for v in value.split(",") if v.strip())
            if not isinstance(value, list | tuple):
                raise ParamError(f"{where} expects a list of names, got {value!r}")
            value = tuple(str(v) for v in value)
            if self.choices is not None:
                for v in value:
                    if v not in self.choices:
                        raise ParamError(
                            f"{where}: unknown name {v!r}{suggest(v, self.choices)}"
                        )
            return value
        if kind is bool:
            if isinstance(value, bool):
                return value
            if isinstance(value, str) and value.strip().lower() in _BOOL:
                return _BOOL[value.strip().lower()]
            raise ParamError(f"{where} expects true or false, got {value!r}")
        if kind is str:
            if not isinstance(value, str):
                raise ParamError(f"{where} expects a string, got {value!r}")
            if self.choices is not None and value not in self.choices:
                raise ParamError(
                    f"{where} must be {self.range_text()}, got {value!r}"
                    f"{suggest(value, self.choices)}"
                )
            return value
        if isinstance(value, bool):
            raise ParamError(f"{where} expects {_KIND_TEXT[kind]}, got {value!r}")
        if isinstance(value, str):
            text = value.strip()
            try:
                value = float(text) if kind is float else _parse_int(text)
            except ValueError:
                raise ParamError(f"{where} expects {_KIND_TEXT[kind]}, got {text!r}") from None
        if kind is int:
            if isinstance(value, float):
                if not value.is_integer():
                    raise ParamError(f"{where} expects an integer, got {value!r}")
                value = int(value)
            if not isinstance(value, int):
                raise ParamError(f"{where} expects an integer, got {value!r}")
        elif kind is float:
            if not isinstance(value, int | float):
                raise ParamError(f"{where} expects a number, got {value!r}")
            value = float(value)
            if not math.isfinite(value):
                raise ParamError(f"{where} must be finite, got {value!r}")
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise ParamError(f"{where} must be in {self.range_text()}, got {_fmt(value)}")
        return value


_KIND_TEXT = {int: "an integer", float: "a number"}
_BOOL = {"true": True, "false": False, "1": True, "0": False, "yes": True, "no": False,
         "on": True, "off": False}
_REGISTRY: dict[str, ParamSpec] = {}


def _parse_int(text: str) -> int:
    number = float(text)
    if not number.is_integer():
        raise ValueError(text)
    return int(number)


def _fmt(x: float) -> str:
    return f"{x:g}" if isinstance(x, float) else str(x)


def suggest(name: str, candidates: Iterable[str]) -> str:
    """Return " (did you mean 'x'?)" for the closest candidates, or ''."""
    close = difflib.get_close_matches(name, list(candidates), n=3, cutoff=0.5)
    if not close:
        return ""
    return " (did you mean " + " or ".join(f"'{c}'" for c in close) + "?)"


def spec(key: str, default: Any, low: float | None = None, high: float | None = None,
         unit: str = "", doc: str = "", source: str = "assumption",
         choices: tuple | None = None) -> ParamSpec:
    """Shorthand constructor for :class:`ParamSpec`."""
    return ParamSpec(key, default, low, high, unit, doc, source, choices)


def register(new: Iterable[ParamSpec]) -> None:
    """Add parameter declarations to the tree (called by the modules that use them)."""
    for s in new:
        if "." not in s.key:
            raise ValueError(f"parameter key {s.key!r} needs a section")
        if s.key in _REGISTRY and _REGISTRY[s.key] != s:
            raise ValueError(f"parameter {s.key!r} declared twice")
        s.coerce(s.default)
        _REGISTRY[s.key] = s


def specs() -> Mapping[str, ParamSpec]:
    """All declared parameters, by dotted key (read-only)."""
    _load_all()
    return MappingProxyType(_REGISTRY)


def _load_all() -> None:
    # Declarations live beside the processes and institutions that use them.
    import govsim.model  # noqa: F401


class Params(Mapping[str, Any]):
    """An immutable, fully resolved and validated set of parameter values."""

    __slots__ = ("_values", "_sections")

    def __init__(self, values: Mapping[str, Any]):
        self._values = dict(values)
        self._sections: dict[str, SimpleNamespace] = {}

    @classmethod
    def resolve(cls, overrides: Mapping[str, Any] | None = None,
                base: Mapping[str, Any] | None = None) -> Params:
        """Defaults, then ``base``, then ``overrides``; every value validated.

        Raises
        ------
        ParamError
            For an unknown key (with the closest names) or a bad value.
        """
        table = specs()
        values = {k: s.default for k, s in table.items()}
        for layer in (base or {}), (overrides or {}):
            for key, value in layer.items():
                if key not in table:
                    raise ParamError(f"unknown parameter '{key}'{suggest(key, table)}")
                values[key] = table[key].coerce(value)
        return cls(values)

    def replace(self, overrides: Mapping[str, Any]) -> Params:
        """A copy with some values changed (validated)."""
        return Params.resolve(overrides, base=self._values)

    def section(self, name: str) -> SimpleNamespace:
        """The values of one section as attributes: ``p.section('dispute').base_rate``."""
        ns = self._sections.get(name)
        if ns is None:
            prefix = name + "."
            items = {k[len(prefix):]: v for k, v in self._values.items()
                     if k.startswith(prefix) and "." not in k[len(prefix):]}
            if not items:
                raise KeyError(name)
            ns = SimpleNamespace(**items)
            self._sections[name] = ns
        return ns

    def to_dict(self) -> dict[str, Any]:
        return dict(self._values)

    def __getitem__(self, key: str) -> Any:
        return self._values[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._values)

    def __len__(self) -> int:
        return len(self._values)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Params) and self._values == other._values

    def __hash__(self) -> int:
        return hash(tuple(sorted((k, str(v)) for k, v in self._values.items())))

    def __repr__(self) -> str:
        return f"Params({len(self._values)} values)"

    def __getstate__(self):
        return self._values

    def __setstate__(self, state):
        self._values = state
        self._sections = {}
