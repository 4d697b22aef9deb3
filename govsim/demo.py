"""The main job of ``make demo``: a paired comparison of one of the report's cases.

Runs the unified hotline (report §1) against 23 separate hotlines on 10 common seeds for
a year, writes runs.csv, timeseries.csv, effects.csv, manifest.json, effects.png and
timeseries.png to results/demo/, and prints the effect table. The table and the figures
lead with conflict and cohesion, the outcomes govsim exists to measure, followed by the
service measures through which the hotline acts on them.
"""

from __future__ import annotations

import sys

from govsim.cli import main

DEMO_SCENARIO = "unified_hotline"
#: conflict and cohesion first, then the service measures that explain them
DEMO_OUTCOMES = ("conflict_rate", "grievance_mean", "legitimacy_mean", "social_trust_mean",
                 "unresolved_cases", "bounced_cases", "response_minutes_mean")


def run() -> int:
    outcomes = [arg for name in DEMO_OUTCOMES for arg in ("--outcome", name)]
    return main(["compare", DEMO_SCENARIO, "--replicates", "10", "--steps", "365",
                 "--seed", "1", "--out", "results/demo", "--force", *outcomes])


if __name__ == "__main__":
    sys.exit(run())
