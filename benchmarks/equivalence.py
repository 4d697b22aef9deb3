"""The compiled case loop against the Python one at scale: the same CSV, and the time each
takes.

Run as ``python benchmarks/equivalence.py SCENARIO ARM RESIDENTS DAYS [SEEDS]``; for each
seed it runs the arm twice, once with the government's case loop compiled (the default)
and once with the Python event loop (``gov.use_compiled = False``), and prints one JSON
line: whether every daily measure is byte-identical, and the CPU seconds of the
government's step in each. The regression records and ``tests/test_casekernel.py`` check
the same on small communities.
"""

from __future__ import annotations

import json
import sys
import time


def run(scenario: str, arm: str, residents: int, days: int, seed: int,
        compiled: bool) -> tuple[str, float]:
    from govsim.model import CommunityModel
    from govsim.scenario import load_scenario
    model = CommunityModel(params=load_scenario(scenario).params(arm, {},
                                                                residents=residents),
                           rng=seed)
    model.gov.use_compiled = compiled
    step, spent = model.gov.step, [0.0]

    def timed(m):
        t = time.process_time()
        step(m)
        spent[0] += time.process_time() - t
    model.gov.step = timed
    model.run_for(days)
    return model.timeseries().to_csv(index=False), spent[0]


def main() -> None:
    scenario, arm = sys.argv[1], sys.argv[2]
    residents, days = int(sys.argv[3]), int(sys.argv[4])
    seeds = int(sys.argv[5]) if len(sys.argv) > 5 else 1
    out = {"scenario": scenario, "arm": arm, "residents": residents, "days": days,
           "seeds": seeds, "identical": True, "compiled_gov_s": [], "python_gov_s": []}
    for seed in range(seeds):
        fast, t_fast = run(scenario, arm, residents, days, seed, True)
        slow, t_slow = run(scenario, arm, residents, days, seed, False)
        out["identical"] &= fast == slow
        out["compiled_gov_s"].append(t_fast)
        out["python_gov_s"].append(t_slow)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
