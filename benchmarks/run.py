"""govsim benchmarks (``make bench``): scaling to the report's populations, and the
idiomatic-Mesa ratio.

1. Build time, time per simulated day, the government's share of the day and peak memory
   of the Cixi community (``harmony_association``, intervention arm: 1.07/2.12 migrants,
   the association, its ward leaders and service stations) at 10,000, 100,000, 1,000,000
   and 2,120,000 residents (1:1), with the exponents of build and daily cost in residents
   (least-squares slopes on log-log axes).
2. Sanyuanli at 1:1 (``baseline``, 103,000 residents, 13 communities) for a whole year.
3. The daily interaction rule written the idiomatic Mesa way (each agent stepping in
   Python over its neighbours) against the vectorised rule, at 10,000 residents.

Results are printed and written to benchmarks/results/latest.json; the README's
performance table is generated from that file by ``benchmarks/readme_table.py``.
Every figure is the median of ``GOVSIM_BENCH_REPEATS`` runs (default 3), each in its own
process. Environment: ``GOVSIM_BENCH_QUICK=1`` for a short smoke run;
``GOVSIM_BENCH_CIXI_YEAR=1`` to run Cixi 1:1 for the whole 365 days instead of estimating
the year from 12 days. Pin the run to one core for figures of one core
(``taskset -c 1 make bench``).
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).parent
CIXI = 2_120_000


def child(script: str, *args) -> dict:
    out = subprocess.run([sys.executable, str(HERE / script), *map(str, args)],
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def median_of(script: str, repeats: int, *args) -> dict:
    """Run a benchmark ``repeats`` times, each in its own process; every number of the
    result is the median over the runs (``runs`` keeps them all)."""
    runs = [child(script, *args) for _ in range(repeats)]
    out = dict(runs[0])
    for k, v in out.items():
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            out[k] = float(np.median([r[k] for r in runs]))
            if isinstance(v, int):
                out[k] = int(out[k])
    out["repeats"] = repeats
    out["runs"] = runs
    return out


def exponent(rows: list[dict], key: str) -> float:
    """Slope of log(key) against log(residents)."""
    x = np.log([r["residents"] for r in rows])
    y = np.log([r[key] for r in rows])
    return float(np.polyfit(x, y, 1)[0])


def main() -> int:
    quick = os.environ.get("GOVSIM_BENCH_QUICK") == "1"
    full_year = os.environ.get("GOVSIM_BENCH_CIXI_YEAR") == "1"
    repeats = int(os.environ.get("GOVSIM_BENCH_REPEATS", "1" if quick else "3"))
    if quick:
        sizes = [(2_000, 6), (20_000, 6)]
    else:
        sizes = [(10_000, 32), (100_000, 22), (1_000_000, 12),
                 (CIXI, 365 if full_year else 12)]
    results: dict = {"python": platform.python_version(), "machine": platform.machine(),
                     "cpus": os.cpu_count(), "date": time.strftime("%Y-%m-%d"),
                     "cpus_used": len(os.sched_getaffinity(0)), "repeats": repeats,
                     "scenario": "harmony_association", "arm": "intervention",
                     "scaling": [], "sanyuanli": None, "idiomatic": None}
    print("times in CPU seconds of the process (wall-clock in brackets)")
    print(f"{'residents':>10} {'ties':>10} {'build s':>14} {'ms/day':>16} {'gov':>5} "
          f"{'res-days/s':>11} {'year s':>8} {'peak MiB':>9} {'B/res':>6}")
    for n, days in sizes:
        r = median_of("scaling.py", repeats, "harmony_association", "intervention", n,
                      days)
        results["scaling"].append(r)
        print(f"{n:>10,} {r['ties']:>10,} {r['cpu_build_s']:>6.1f} ({r['build_s']:>5.1f}) "
              f"{r['cpu_ms_per_day']:>7.0f} ({r['ms_per_day']:>6.0f}) "
              f"{r['government_share']:>5.0%} {r['cpu_resident_days_per_s']:>11.3g} "
              f"{r['cpu_year_s_estimate']:>8.1f} {r['peak_rss_mib']:>9.0f} "
              f"{r['bytes_per_resident']:>6.0f}", flush=True)
    rows = results["scaling"]
    results["build_exponent"] = exponent(rows, "cpu_build_s")
    big = [r for r in rows if r["residents"] >= 100_000] or rows
    results["day_exponent"] = exponent(big, "cpu_ms_per_day")
    print(f"build grows as residents^{results['build_exponent']:.2f} "
          f"({rows[0]['residents']:,} to {rows[-1]['residents']:,}); cost per day as "
          f"residents^{results['day_exponent']:.2f} ({big[0]['residents']:,} to "
          f"{big[-1]['residents']:,})")
    if not quick:
        r = median_of("scaling.py", repeats, "baseline", "baseline", 103_000, 365, 13)
        results["sanyuanli"] = r
        print(f"Sanyuanli 1:1 (103,000 residents, 13 communities), 365 days: build "
              f"{r['cpu_build_s']:.1f} s + run {r['cpu_run_s']:.1f} s = "
              f"{r['cpu_build_s'] + r['cpu_run_s']:.1f} CPU s "
              f"({r['build_s'] + r['run_s']:.1f} s wall), peak {r['peak_rss_mib']:.0f} MiB")
    n_idiom, days = (10_000, 5) if not quick else (1_000, 2)
    r = median_of("idiomatic.py", repeats, n_idiom, days)
    results["idiomatic"] = r
    print(f"interaction rule at {n_idiom:,} residents: idiomatic Mesa "
          f"{r['idiomatic_ms_per_day']:.1f} ms/day, vectorised "
          f"{r['vectorised_ms_per_day']:.2f} ms/day, ratio {r['speed_ratio']:.0f}x")
    out = HERE / "results"
    out.mkdir(exist_ok=True)
    name = "quick.json" if quick else "latest.json"
    (out / name).write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
