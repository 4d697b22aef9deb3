"""Typed, validated parameter tree addressed by dotted keys.

Every parameter of the model is declared once, next to the rule that uses it, as a
:class:`ParamSpec` with a default, an allowed range, a unit, a one-line meaning and a
source. :class:`Params` is the resolved, immutable set of values for one run. Validation
happens here and only here: the model trusts what it receives.

This module is the bottom floor: it imports nothing of govsim. The declarations of the
package's own modules are collected by reading their source (the ``register([spec(...),
...])`` calls at module level, whose arguments are literals) and the names of its
institutions from their ``name`` attribute, so that the registry is complete without
importing the engine. A user's module (a scenario with an institution of its own)
registers its declarations when it is imported.

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

import ast
import difflib
import math
import operator
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType, SimpleNamespace
from typing import Any

__all__ = ["ParamError", "ParamSpec", "Params", "declare_institution", "register", "spec",
           "specs", "suggest"]


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
    plausible : tuple of two numbers, optional
        The range the literature supports for an uncertain (effect-size) parameter,
        within the validation bounds ``low``..``high`` (which only say what the rule
        accepts).
    calibrated : str, optional
        The shipped calibration (``calibrations/<name>.toml``) whose posterior median the
        default is; its fit is in ``calibrations/results/<name>/``.
    """

    key: str
    default: Any
    low: float | None = None
    high: float | None = None
    unit: str = ""
    doc: str = ""
    source: str = "assumption"
    choices: tuple | None = None
    plausible: tuple[float, float] | None = None
    calibrated: str | None = None

    @property
    def kind(self) -> type:
        return type(self.default)

    @property
    def numbers(self) -> bool:
        """A tuple of numbers (e.g. shares over categories), bounded item by item."""
        return (isinstance(self.default, tuple) and len(self.default) > 0
                and all(isinstance(x, float) for x in self.default))

    def _coerce_numbers(self, value: Any, where: str) -> tuple[float, ...]:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list | tuple) or len(value) != len(self.default):
            raise ParamError(f"{where} expects {len(self.default)} numbers, got {value!r}")
        out = []
        for v in value:
            try:
                x = float(v)
            except (TypeError, ValueError):
                raise ParamError(f"{where} expects numbers, got {v!r}") from None
            if not math.isfinite(x) or (self.low is not None and x < self.low) or (
                    self.high is not None and x > self.high):
                raise ParamError(f"{where}: every number must be in {self.range_text()}, "
                                 f"got {_fmt(x)}")
            out.append(x)
        return tuple(out)

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
        if kind is tuple and self.numbers:
            return self._coerce_numbers(value, where)
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
         choices: tuple | None = None, plausible: tuple[float, float] | None = None,
         calibrated: str | None = None) -> ParamSpec:
    """Shorthand constructor for :class:`ParamSpec`."""
    return ParamSpec(key, default, low, high, unit, doc, source, choices, plausible,
                     calibrated)


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


class _InstitutionNames:
    """The names of the known institutions: the choices of ``model.institutions``."""

    def __init__(self) -> None:
        self.names: set[str] = set()

    def __contains__(self, name: object) -> bool:
        _load_all()
        return name in self.names

    def __iter__(self):
        _load_all()
        return iter(sorted(self.names))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _InstitutionNames)

    def __hash__(self) -> int:
        return 0


_INSTITUTION_NAMES = _InstitutionNames()


def declare_institution(name: str) -> None:
    """Make ``name`` a valid value of ``model.institutions`` (called on registration)."""
    _INSTITUTION_NAMES.names.add(name)


_BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
           ast.Div: operator.truediv}
_LOADED = False


def _literal(node: ast.AST) -> Any:
    """The value of a literal expression, allowing arithmetic such as ``2 / 3``."""
    if isinstance(node, ast.BinOp) and type(node.op) in _BINOPS:
        return _BINOPS[type(node.op)](_literal(node.left), _literal(node.right))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        return -_literal(node.operand)
    return ast.literal_eval(node)


def _declarations(path: Path) -> tuple[list[ParamSpec], list[str]]:
    """The parameter declarations and institution names of one source file."""
    found: list[ParamSpec] = []
    names: list[str] = []
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    for node in tree.body:
        call = node.value if isinstance(node, ast.Expr) else None
        if (isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
                and call.func.id == "register" and call.args
                and isinstance(call.args[0], ast.List | ast.Tuple)):
            for el in call.args[0].elts:
                if isinstance(el, ast.Call) and getattr(el.func, "id", None) == "spec":
                    found.append(spec(*(_literal(a) for a in el.args),
                                      **{k.arg: _literal(k.value) for k in el.keywords}))
        elif isinstance(node, ast.ClassDef) and any(
                getattr(d, "id", None) == "register_institution" for d in node.decorator_list):
            for item in node.body:
                if (isinstance(item, ast.Assign) and len(item.targets) == 1
                        and getattr(item.targets[0], "id", None) == "name"):
                    names.append(_literal(item.value))
    return found, names


def _load_all() -> None:
    """Collect the package's declarations from its sources (once)."""
    global _LOADED
    if _LOADED:
        return
    _LOADED = True
    root = Path(__file__).parent
    for path in sorted(root.rglob("*.py")):
        if path.name == "params.py":
            continue
        text = path.read_text(encoding="utf-8")
        if "register(" not in text and "register_institution" not in text:
            continue
        found, names = _declarations(path)
        register(found)
        for name in names:
            declare_institution(name)


register([spec("model.institutions", (), unit="names",
               doc="institutions switched on in this run (a scenario sets them)",
               choices=_INSTITUTION_NAMES)])


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
