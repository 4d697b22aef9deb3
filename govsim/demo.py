"""The main job of ``make demo``: one year of the baseline community, written to results/."""

from __future__ import annotations

import sys
from pathlib import Path

from govsim.cli import main


def run() -> int:
    Path("results").mkdir(exist_ok=True)
    return main(["run", "baseline", "--steps", "365", "--seed", "1",
                 "--out", "results/baseline.csv", "--force"])


if __name__ == "__main__":
    sys.exit(run())
