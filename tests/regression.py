"""The regression guard: every scenario's two arms, 60 days, 1,000 residents, seed 1.

The committed CSVs under ``tests/data/regression/`` are what the model computed when they
were last written. ``tests/test_regression.py`` checks that today's model computes the same
bytes. A change that alters results on purpose regenerates them deliberately::

    .venv/bin/python -m tests.regression --write

and the commit that does so says which columns or values changed and why.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

DATA = Path(__file__).parent / "data" / "regression"
RESIDENTS, STEPS, SEED = 1000, 60, 1
ARMS = ("baseline", "intervention")


def cases() -> list[tuple[str, str]]:
    """Every (scenario, arm) pair of the built-in scenarios."""
    from govsim.scenario import available
    return [(name, arm) for name in sorted(available()) for arm in ARMS]


def path_of(name: str, arm: str) -> Path:
    return DATA / f"{name}-{arm}.csv"


def record(name: str, arm: str) -> str:
    """The CSV text of one arm's daily measures, as ``govsim run --out`` writes it."""
    from govsim.model import CommunityModel
    from govsim.scenario import load_scenario
    params = load_scenario(name).params(arm, {}, residents=RESIDENTS)
    model = CommunityModel(params=params, rng=SEED)
    model.run_for(STEPS)
    buf = io.StringIO()
    model.timeseries().to_csv(buf, index=False)
    return buf.getvalue()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--write", action="store_true", help="regenerate the committed CSVs")
    ap.add_argument("--jobs", type=int, default=2)
    args = ap.parse_args(argv)
    from concurrent.futures import ProcessPoolExecutor
    todo = cases()
    with ProcessPoolExecutor(args.jobs) as ex:
        texts = list(ex.map(record, *zip(*todo, strict=True)))
    changed = 0
    DATA.mkdir(parents=True, exist_ok=True)
    for (name, arm), text in zip(todo, texts, strict=True):
        p = path_of(name, arm)
        same = p.exists() and p.read_text() == text
        changed += not same
        print(f"{'same   ' if same else 'CHANGED'} {p.name}")
        if args.write and not same:
            p.write_text(text)
    return 1 if changed and not args.write else 0


if __name__ == "__main__":
    sys.exit(main())
