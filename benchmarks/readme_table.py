"""Write the README's performance table from benchmarks/results/latest.json.

Run as ``python benchmarks/readme_table.py`` after ``make bench``; it replaces the text
between the ``bench:start`` and ``bench:end`` markers of README.md and changes nothing
else. ``--check`` exits 1 when the README is not what the results give.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- bench:start -->", "<!-- bench:end -->"


def _mib(x: float) -> str:
    return f"{x / 1024:.2f} GiB" if x >= 1024 else f"{x:.0f} MiB"


def _secs(x: float) -> str:
    return f"{x / 60:.1f} min" if x >= 120 else f"{x:.1f} s"


def _pinned(res: dict) -> str:
    used = res.get("cpus_used")
    return f", run on {used}" if used and used != res["cpus"] else ""


def table(res: dict) -> str:
    """The markdown block for the results of one ``make bench``."""
    lines = [
        f"Measured by `make bench` on {res['date']} ({res['cpus']} cores{_pinned(res)}, "
        f"Python {res['python']}, one process per run, medians of "
        f"{res.get('repeats', 1)} runs), for the Cixi community "
        f"(`{res['scenario']}`, {res['arm']} arm). Times are CPU seconds of the process "
        "(user + system), which other work on a shared machine inflates less than wall "
        "time; the load average during each size is in the last column.",
        "",
        "| residents | ties | build | per day | per day (wall) | government share "
        "| resident-days/s | one year | peak memory | bytes/resident | load |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in res["scaling"]:
        year = (r["cpu_build_s"] + r["cpu_run_s"] if r["days"] >= 365
                else r["cpu_year_s_estimate"])
        mark = "" if r["days"] >= 365 else " (est.)"
        lines.append(
            f"| {r['residents']:,} | {r['ties']:,} | {r['cpu_build_s']:.2f} s | "
            f"{r['cpu_ms_per_day']:.0f} ms | {r['ms_per_day']:.0f} ms | "
            f"{r['government_share']:.0%} | "
            f"{r['cpu_resident_days_per_s']:.3g} | {_secs(year)}{mark} | "
            f"{_mib(r['peak_rss_mib'])} | {r['bytes_per_resident']:.0f} | "
            f"{r['load_average']:.1f} |")
    lines += [
        "",
        f"Build cost grows as residents^{res['build_exponent']:.2f} and cost per day as "
        f"residents^{res['day_exponent']:.2f} (least-squares slopes on log-log axes; the "
        "daily exponent from 100,000 residents up). A year marked (est.) is the build "
        "plus 365 times the measured day.",
    ]
    s = res.get("sanyuanli")
    if s:
        lines += ["", f"Sanyuanli at 1:1 (`baseline`, {s['residents']:,} residents, "
                  f"{s['communities']} communities), a whole year: build "
                  f"{s['cpu_build_s']:.1f} s + run {s['cpu_run_s']:.1f} s = "
                  f"{s['cpu_build_s'] + s['cpu_run_s']:.1f} s of CPU "
                  f"({s['build_s'] + s['run_s']:.1f} s wall), peak "
                  f"{_mib(s['peak_rss_mib'])}."]
    i = res["idiomatic"]
    lines += ["", f"The daily interaction rule at {i['residents']:,} residents costs "
              f"{i['idiomatic_ms_per_day']:.0f} ms a day written the idiomatic Mesa way "
              f"(each agent stepping in Python over its neighbours) and "
              f"{i['vectorised_ms_per_day']:.2f} ms vectorised ({i['speed_ratio']:.0f}x)."]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    res = json.loads((ROOT / "benchmarks" / "results" / "latest.json").read_text())
    readme = (ROOT / "README.md").read_text()
    if START not in readme or END not in readme:
        print("readme_table: README.md has no bench markers", file=sys.stderr)
        return 2
    head, rest = readme.split(START, 1)
    _, tail = rest.split(END, 1)
    new = f"{head}{START}\n{table(res)}\n{END}{tail}"
    if "--check" in argv:
        return 0 if new == readme else 1
    (ROOT / "README.md").write_text(new)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
