"""govsim: agent-based simulation of community governance networks.

The command-line verbs are also Python functions returning pandas DataFrames:
:func:`list_scenarios`, :func:`parameters`, :func:`measure_table`, :func:`run`,
:func:`compare`, :func:`sweep`, :func:`ablate` and :func:`atlas` (an atlas folder is read
back with :func:`read_atlas`; sensitivity: :func:`govsim.experiment.run_sensitivity`;
calibration: :func:`calibrate` and :func:`check_calibration`); compare, sweep, ablate and
atlas write files only when given ``out=``. :func:`effects` gives paired effects by lever
from a runs table.
They are imported on first use, so that ``import govsim.params`` (the bottom floor of the
package) loads nothing else.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

#: public name -> the module that defines it
_EXPORTS = {
    "CommunityModel": "govsim.model", "simulate": "govsim.model",
    "ParamError": "govsim.params", "Params": "govsim.params",
    "build": "govsim.api", "list_scenarios": "govsim.api", "parameters": "govsim.api",
    "run": "govsim.api", "ablate": "govsim.api", "compare": "govsim.api",
    "sweep": "govsim.api",
    "measure_table": "govsim.catalog", "effects": "govsim.analysis",
    "calibrate": "govsim.experiment.calibration",
    "check_calibration": "govsim.experiment.calibration",
    "atlas": "govsim.experiment.atlas", "read_atlas": "govsim.experiment.atlas",
}
__all__ = [*sorted(_EXPORTS), "__version__"]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'govsim' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
