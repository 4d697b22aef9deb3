"""Shared helpers for statistical tests: paired replicates with common random numbers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from govsim.analysis import paired_effects, summarize
from govsim.model import CommunityModel
from govsim.scenario import load_scenario


def replicate_seeds(master: int, replicates: int) -> list[np.random.SeedSequence]:
    """Per-replicate seeds that depend only on the replicate (common random numbers)."""
    return np.random.SeedSequence(master).spawn(replicates)


# Summaries of runs already made in this process, by (parameters, seed, steps): a run is a
# pure function of them, so tests of one file that share an arm (a scenario's improvement
# test and its ablation test share the baseline and the full intervention) run it once.
# Files that share runs are kept on one worker by their `xdist_group`.
_SUMMARIES: dict[tuple, dict] = {}


def _seed_key(seed) -> tuple:
    if isinstance(seed, np.random.SeedSequence):
        return ("seq", seed.entropy, tuple(seed.spawn_key))
    return ("int", int(seed))


def run_arm(scenario: str, arm: str, seeds, steps: int, residents: int | None = None,
            overrides: Mapping[str, Any] | None = None) -> pd.DataFrame:
    """One summary row per replicate (mean over the last quarter of the horizon)."""
    sc = load_scenario(scenario)
    params = sc.params(arm, overrides, residents=residents)
    rows = []
    for seed in seeds:
        key = (params, _seed_key(seed), steps)
        if key not in _SUMMARIES:
            model = CommunityModel(params=params, rng=seed)
            model.run_for(steps)
            _SUMMARIES[key] = summarize(model.timeseries())
        rows.append(dict(_SUMMARIES[key]))
    return pd.DataFrame(rows)


def compare_arms(scenario: str, outcomes: Iterable[str], replicates: int = 20,
                 steps: int = 120, residents: int | None = None,
                 baseline: Mapping[str, Any] | None = None,
                 intervention: Mapping[str, Any] | None = None,
                 master_seed: int = 12345) -> pd.DataFrame:
    """Paired effects (intervention - baseline) of a scenario, indexed by outcome.

    ``baseline``/``intervention`` are extra overrides applied to that arm only.
    """
    seeds = replicate_seeds(master_seed, replicates)
    b = run_arm(scenario, "baseline", seeds, steps, residents, baseline)
    i = run_arm(scenario, "intervention", seeds, steps, residents, intervention)
    return paired_effects(b, i, list(outcomes)).set_index("outcome")
