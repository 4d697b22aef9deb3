"""The report's mechanisms, one module each (see :mod:`govsim.institutions.base`).

Every module in this package is imported at start-up; a class decorated with
:func:`register_institution` becomes available by its ``name`` in the parameter
``model.institutions``.
"""

from __future__ import annotations

import importlib
import pkgutil

from govsim.institutions.base import HOOKS, Institution
from govsim.params import register, spec

__all__ = ["HOOKS", "INSTITUTIONS", "Institution", "register_institution"]

INSTITUTIONS: dict[str, type[Institution]] = {}


def register_institution(cls: type[Institution]) -> type[Institution]:
    """Class decorator: make an institution available by its ``name``."""
    if not cls.name:
        raise ValueError(f"{cls.__name__} needs a name")
    INSTITUTIONS[cls.name] = cls
    return cls


for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod != "base":
        importlib.import_module(f"{__name__}.{_mod}")

class _Registered:
    """The registered institution names, read when a value is checked (so that a scenario
    module may define and register an institution of its own)."""

    def __contains__(self, name: object) -> bool:
        return name in INSTITUTIONS

    def __iter__(self):
        return iter(sorted(INSTITUTIONS))

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Registered)

    def __hash__(self) -> int:
        return 0


register([spec("model.institutions", (), unit="names",
               doc="institutions switched on in this run (a scenario sets them)",
               choices=_Registered())])
