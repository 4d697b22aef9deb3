"""govsim benchmarks (``make bench``): scaling with residents and the idiomatic-Mesa ratio.

1. Time per simulated day and peak memory at 1,000, 10,000 and 100,000 residents, plus a
   1:1 Sanyuanli subdistrict (103,000 residents, 13 communities) for a full year.
2. The daily interaction rule written the idiomatic Mesa way (each agent stepping in
   Python over its neighbours) against the vectorised rule, at 10,000 residents.

Results are printed and written to benchmarks/results/latest.json. Set GOVSIM_BENCH_QUICK=1
for a short smoke run.
"""

from __future__ import annotations

import json
import math
import os
import platform
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent


def child(script: str, *args: int) -> dict:
    out = subprocess.run([sys.executable, str(HERE / script), *map(str, args)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    quick = os.environ.get("GOVSIM_BENCH_QUICK") == "1"
    sizes = [(1_000, 60), (10_000, 60), (100_000, 30)] if not quick else [(1_000, 10)]
    results: dict = {"python": platform.python_version(), "machine": platform.machine(),
                     "cpus": os.cpu_count(), "scaling": [], "sanyuanli": None,
                     "idiomatic": None}
    print(f"{'residents':>10} {'ties':>9} {'build s':>8} {'ms/day':>8} {'year s':>8} "
          f"{'peak MiB':>9}")
    for n, days in sizes:
        r = child("scaling.py", n, days)
        results["scaling"].append(r)
        print(f"{n:>10,} {r['ties']:>9,} {r['build_s']:>8.2f} {r['ms_per_day']:>8.1f} "
              f"{r['year_s_estimate']:>8.1f} {r['peak_rss_mib']:>9.0f}")
    if len(results["scaling"]) > 1:
        a, b = results["scaling"][0], results["scaling"][-1]
        exponent = (math.log(b["ms_per_day"] / a["ms_per_day"]) /
                    math.log(b["residents"] / a["residents"]))
        results["cost_exponent"] = exponent
        print(f"cost per day grows as residents^{exponent:.2f} "
              f"(1.00 would be exactly linear)")
    if not quick:
        r = child("scaling.py", 103_000, 365)
        results["sanyuanli"] = r
        print(f"Sanyuanli 1:1 (103,000 residents, 13 communities), 365 days: build "
              f"{r['build_s']:.1f} s + run {r['run_s']:.1f} s = "
              f"{r['build_s'] + r['run_s']:.1f} s, peak {r['peak_rss_mib']:.0f} MiB")
    n_idiom, days = (10_000, 5) if not quick else (1_000, 2)
    r = child("idiomatic.py", n_idiom, days)
    results["idiomatic"] = r
    print(f"interaction rule at {n_idiom:,} residents: idiomatic Mesa "
          f"{r['idiomatic_ms_per_day']:.1f} ms/day, vectorised "
          f"{r['vectorised_ms_per_day']:.2f} ms/day, ratio {r['speed_ratio']:.0f}x")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(results, indent=2))
    print(f"wrote {out / 'latest.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
