"""Time per simulated day and peak memory of one model at a given size.

Run as ``python benchmarks/scaling.py RESIDENTS DAYS``; prints one JSON line. Each size
runs in its own process so that the peak resident set size belongs to that size alone.
"""

from __future__ import annotations

import json
import resource
import sys
import time


def main() -> None:
    residents, days = int(sys.argv[1]), int(sys.argv[2])
    communities = max(1, round(residents / 8000))
    t0 = time.perf_counter()
    from govsim import CommunityModel
    model = CommunityModel(params={"community.residents": residents,
                                   "community.communities": communities}, rng=1)
    t1 = time.perf_counter()
    model.run_for(days)
    t2 = time.perf_counter()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({
        "residents": residents, "communities": communities, "days": days,
        "ties": len(model.ties), "build_s": t1 - t0, "run_s": t2 - t1,
        "ms_per_day": 1000 * (t2 - t1) / days,
        "year_s_estimate": (t1 - t0) + 365 * (t2 - t1) / days,
        "peak_rss_mib": peak_kib / 1024,
    }))


if __name__ == "__main__":
    main()
