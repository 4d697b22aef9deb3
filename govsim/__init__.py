"""govsim: agent-based simulation of community governance networks."""

from govsim.model import CommunityModel, simulate
from govsim.params import ParamError, Params

__version__ = "0.1.0"
__all__ = ["CommunityModel", "ParamError", "Params", "simulate", "__version__"]
