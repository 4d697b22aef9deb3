"""The model computes what it computed when the regression CSVs were last written.

Each of the 12 scenarios' two arms, 60 days at 1,000 residents and seed 1, is compared byte
for byte with ``tests/data/regression/``. A deliberate change regenerates them with
``python -m tests.regression --write`` (see that module).
"""

import difflib

import pytest

from tests.regression import cases, path_of, record


@pytest.mark.parametrize(("name", "arm"), cases())
def test_scenario_arm_computes_the_recorded_series(name, arm):
    want = path_of(name, arm).read_text()
    got = record(name, arm)
    if got != want:
        head_w, head_g = want.split("\n", 1)[0], got.split("\n", 1)[0]
        if head_w != head_g:
            cols_w, cols_g = set(head_w.split(",")), set(head_g.split(","))
            pytest.fail(f"columns differ: missing {sorted(cols_w - cols_g)}, "
                        f"new {sorted(cols_g - cols_w)}")
        diff = list(difflib.unified_diff(want.splitlines(), got.splitlines(), lineterm="",
                                         n=0))[:6]
        pytest.fail("series differ:\n" + "\n".join(diff))
