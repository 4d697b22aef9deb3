"""The Python verbs mirror the command line."""

import pandas as pd

from govsim import api
from govsim.cli import main


def test_run_returns_the_same_table_as_the_command_line(tmp_path):
    out = tmp_path / "a.csv"
    assert main(["run", "baseline", "--steps", "5", "--seed", "3", "--residents", "150",
                 "--set", "dispute.base_rate=0.002", "--out", str(out)]) == 0
    df = api.run("baseline", steps=5, seed=3, residents=150,
                 set={"dispute.base_rate": 0.002})
    pd.testing.assert_frame_equal(df, pd.read_csv(out), check_exact=True)


def test_scenarios_and_parameters_are_listed():
    assert "baseline" in set(api.list_scenarios()["name"])
    table = api.parameters("baseline")
    assert {"key", "value", "range", "unit", "meaning"} <= set(table.columns)
    assert (table["key"] == "dispute.base_rate").any()
