"""The main job of ``make demo``: a paired comparison of one of the report's cases.

Runs the unified hotline (report §1) against 23 separate hotlines on 10 common seeds for
a year, writes runs.csv, timeseries.csv, effects.csv, manifest.json, effects.png and
timeseries.png to results/demo/, and prints the effect table.
"""

from __future__ import annotations

import sys

from govsim.cli import main

DEMO_SCENARIO = "unified_hotline"


def run() -> int:
    return main(["compare", DEMO_SCENARIO, "--replicates", "10", "--steps", "365",
                 "--seed", "1", "--out", "results/demo", "--force"])


if __name__ == "__main__":
    sys.exit(run())
