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


def test_compare_writes_nothing_without_out_and_runs_again(tmp_path, monkeypatch):
    import govsim
    monkeypatch.chdir(tmp_path)
    kw = dict(replicates=2, steps=5, residents=150, workers=1)
    first = govsim.compare("baseline", **kw)
    second = govsim.compare("baseline", **kw)
    assert list(tmp_path.iterdir()) == []
    pd.testing.assert_frame_equal(first, second)
    assert {"better", "rel_improvement", "verdict"} <= set(first.columns)


def test_compare_into_an_occupied_folder_says_what_to_pass_in_python(tmp_path):
    import pytest

    import govsim
    from govsim.experiment import StoreError
    kw = dict(replicates=2, steps=5, residents=150, workers=1, out=tmp_path / "c")
    govsim.compare("baseline", **kw)
    with pytest.raises(StoreError) as err:
        govsim.compare("baseline", **kw)
    assert "force=True" in str(err.value) and "--" not in str(err.value)
    again = govsim.compare("baseline", force=True, **kw)
    assert (tmp_path / "c" / "effects.csv").is_file()
    assert again["n_pairs"].eq(2).all()
    with pytest.raises(ValueError, match="at least 2"):
        govsim.compare("baseline", replicates=1, steps=5)


def test_parameters_default_to_those_the_scenario_uses():
    used = api.parameters("deliberation_hall")
    every = api.parameters("deliberation_hall", all=True)
    sections = {k.split(".")[0] for k in used["key"]}
    assert "hall" in sections and "merit" not in sections
    assert len(every) > len(used) and "merit.enabled" in set(every["key"])
