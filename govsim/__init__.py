"""govsim: agent-based simulation of community governance networks.

The command-line verbs are also Python functions returning pandas DataFrames:
:func:`list_scenarios`, :func:`parameters`, :func:`run`, :func:`compare`, :func:`sweep` and
:func:`ablate` (sensitivity: :func:`govsim.experiment.run_sensitivity`).
"""

from govsim.api import build, list_scenarios, parameters, run
from govsim.experiment import ablate, compare, sweep
from govsim.model import CommunityModel, simulate
from govsim.params import ParamError, Params

__version__ = "0.1.0"
__all__ = ["CommunityModel", "ParamError", "Params", "ablate", "build", "compare",
           "list_scenarios",
           "parameters", "run", "simulate", "sweep", "__version__"]
