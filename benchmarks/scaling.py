"""Build time, time per simulated day, the government's share of it, and peak memory.

Times are given twice: wall-clock seconds and this process's CPU seconds (user + system),
which a machine shared with other work inflates much less than wall time.

Run as ``python benchmarks/scaling.py SCENARIO ARM RESIDENTS DAYS [COMMUNITIES]``; prints
one JSON line. Each size runs in its own process so that the peak resident set size
belongs to that size alone (it includes numba's compiler, about 100 MiB). Before the
build a 500-resident model runs three days, so that the compiled kernels are loaded (or
compiled, the first time after a change) outside the timings; two warm-up days run before
the timed days, so that the pending needs and the case queues have filled.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time


def main() -> None:
    scenario, arm = sys.argv[1], sys.argv[2]
    residents, days = int(sys.argv[3]), int(sys.argv[4])
    overrides = {}
    if len(sys.argv) > 5:
        overrides["community.communities"] = int(sys.argv[5])
    from govsim.model import CommunityModel
    from govsim.scenario import load_scenario
    # load (or, the first time after a change, compile) the numba kernels on a small
    # model, so that the timed build and days do not include it
    j0 = time.process_time()
    CommunityModel(params=load_scenario(scenario).params(arm, overrides, residents=500),
                   rng=1).run_for(3)
    jit_s = time.process_time() - j0
    params = load_scenario(scenario).params(arm, overrides, residents=residents)
    c0, t0 = time.process_time(), time.perf_counter()
    model = CommunityModel(params=params, rng=1)
    c1, t1 = time.process_time(), time.perf_counter()
    gov_step = model.gov.step
    spent = [0.0]

    def timed(m):
        s = time.process_time()
        gov_step(m)
        spent[0] += time.process_time() - s
    model.gov.step = timed
    warm = min(2, days)
    model.run_for(warm)
    spent[0] = 0.0
    c2, t2 = time.process_time(), time.perf_counter()
    model.run_for(days - warm)
    c3, t3 = time.process_time(), time.perf_counter()
    timed_days = max(days - warm, 1)
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    day_s = (t3 - t2) / timed_days
    cpu_day_s = (c3 - c2) / timed_days
    print(json.dumps({
        "scenario": scenario, "arm": arm, "residents": residents,
        "communities": params["community.communities"], "days": days,
        "ties": len(model.ties), "build_s": t1 - t0, "run_s": (t3 - t2) + (t2 - t1),
        "ms_per_day": 1000 * day_s,
        "cpu_build_s": c1 - c0, "cpu_run_s": c3 - c1,
        "cpu_ms_per_day": 1000 * cpu_day_s,
        "government_share": spent[0] / (c3 - c2) if c3 > c2 else 0.0,
        "resident_days_per_s": residents / day_s,
        "cpu_resident_days_per_s": residents / cpu_day_s,
        "year_s_estimate": (t1 - t0) + 365 * day_s,
        "cpu_year_s_estimate": (c1 - c0) + 365 * cpu_day_s,
        "load_average": os.getloadavg()[0],
        "peak_rss_mib": peak_kib / 1024,
        "bytes_per_resident": peak_kib * 1024 / residents,
        "views_materialised": model.views_materialised,
        "warmup_cpu_s": jit_s,
    }))


if __name__ == "__main__":
    main()
