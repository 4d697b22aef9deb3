"""The report's mechanisms, one module each (the contract: :mod:`govsim.institutions.base`).

Every module in this package is imported with it; a class decorated with
:func:`register_institution` becomes available by its ``name`` in the parameter
``model.institutions``.
"""

from __future__ import annotations

import importlib
import pkgutil

from govsim.institutions.base import HOOKS, INSTITUTIONS, Institution, register_institution

__all__ = ["HOOKS", "INSTITUTIONS", "Institution", "register_institution"]

for _mod in sorted(m.name for m in pkgutil.iter_modules(__path__)):
    if _mod not in ("base", "deliberation"):
        importlib.import_module(f"{__name__}.{_mod}")
