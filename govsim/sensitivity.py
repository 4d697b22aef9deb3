"""Sensitivity analysis moved to :mod:`govsim.experiment.sensitivity` (same names)."""

from govsim.experiment.sensitivity import (  # noqa: F401
    METHODS,
    analyze,
    evaluate,
    problem,
    run_sensitivity,
    sample,
    sensitivity,
)

__all__ = ["METHODS", "analyze", "evaluate", "problem", "run_sensitivity", "sample",
           "sensitivity"]
