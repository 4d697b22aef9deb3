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

register([spec("model.institutions", (), unit="names",
               doc="institutions switched on in this run (a scenario sets them)",
               choices=tuple(sorted(INSTITUTIONS)))])
