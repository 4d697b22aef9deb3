"""The govsim command end to end, including every kind of bad input (DESIGN §8)."""

import os
import subprocess
import sys

import pandas as pd
import pytest

from govsim.metrics import core_measures

GOVSIM = [sys.executable, "-m", "govsim.cli"]


def govsim(*args, cwd=None):
    return subprocess.run([*GOVSIM, *args], capture_output=True, text=True, cwd=cwd,
                          timeout=300)


def test_list_names_the_baseline():
    r = govsim("list")
    assert r.returncode == 0 and "baseline" in r.stdout


def test_show_prints_parameters_with_ranges_and_meanings():
    r = govsim("show", "baseline")
    assert r.returncode == 0
    assert "dispute.base_rate" in r.stdout and "[0, 1]" in r.stdout
    assert "uncertainties:" in r.stdout


def test_run_writes_one_row_per_day_with_every_core_measure_and_both_splits(tmp_path):
    out = tmp_path / "a.csv"
    r = govsim("run", "baseline", "--steps", "15", "--seed", "7", "--residents", "300",
               "--set", "dispute.base_rate=0.001", "--out", str(out))
    assert r.returncode == 0, r.stderr
    df = pd.read_csv(out)
    assert list(df["step"]) == list(range(1, 16))
    assert df.columns[0] == "step"
    missing = set(core_measures()) - set(df.columns)
    assert not missing
    for name in ("legitimacy_mean", "grievance_mean", "participation_rate"):
        assert f"{name}_established" in df and f"{name}_migrant" in df
    assert "conflict_rate" in r.stdout


def bad(*args, cwd=None):
    r = govsim(*args, cwd=cwd)
    assert r.returncode == 2, (r.returncode, r.stdout, r.stderr)
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in r.stderr, r.stderr
    return lines[0]


def test_unknown_scenario_names_the_closest():
    assert "baseline" in bad("run", "baselin")
    assert "closest" in bad("run", "nosuch")


@pytest.mark.parametrize("setting,expected", [
    ("dispute.base_rat=0.1", "did you mean 'dispute.base_rate'"),
    ("dispute.base_rate=abc", "expects a number"),
    ("dispute.base_rate=7", "must be in [0, 1]"),
    ("community.residents=2.5", "expects an integer"),
    ("novalue", "KEY=VALUE"),
])
def test_bad_parameters_are_refused_in_one_line(setting, expected):
    assert expected in bad("run", "baseline", "--steps", "2", "--set", setting)


@pytest.mark.parametrize("args", [("--steps", "0"), ("--steps", "x"), ("--seed", "-1"),
                                  ("--residents", "0"), ("--arm", "both")])
def test_bad_options_are_refused_in_one_line(args):
    bad("run", "baseline", *args)


def test_an_existing_output_is_not_overwritten(tmp_path):
    out = tmp_path / "a.csv"
    out.write_text("precious")
    assert "already exists" in bad("run", "baseline", "--steps", "2", "--out", str(out))
    assert out.read_text() == "precious"


def test_an_unwritable_or_missing_folder_is_refused(tmp_path):
    assert "is a folder" in bad("run", "baseline", "--steps", "2", "--residents", "100",
                                "--out", str(tmp_path))
    assert "does not exist" in bad("run", "baseline", "--steps", "2", "--residents", "100",
                                   "--out", str(tmp_path / "nope" / "a.csv"))
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        if os.access(locked, os.W_OK):  # running as root: permissions are not enforced
            pytest.skip("permissions are not enforced for this user")
        assert "not writable" in bad("run", "baseline", "--steps", "2", "--residents",
                                     "100", "--out", str(locked / "a.csv"))
    finally:
        locked.chmod(0o700)


def test_scenario_files_are_loaded_by_path_and_bad_ones_refused(tmp_path):
    good = tmp_path / "mine.py"
    good.write_text(
        "from govsim.scenario import Scenario\n"
        "SCENARIO = Scenario(name='mine', title='mine', base={'community.residents': 100})\n")
    r = govsim("run", str(good), "--steps", "3")
    assert r.returncode == 0, r.stderr
    broken = tmp_path / "broken.py"
    broken.write_text("this is not python(\n")
    assert "cannot load" in bad("run", str(broken))
    empty = tmp_path / "empty.py"
    empty.write_text("x = 1\n")
    assert "SCENARIO" in bad("show", str(empty))
    wrong = tmp_path / "wrong.py"
    wrong.write_text("from govsim.scenario import Scenario\n"
                     "SCENARIO = Scenario(name='w', title='w', base={'no.such': 1})\n")
    assert "unknown parameter" in bad("run", str(wrong))
    assert "no scenario file" in bad("run", str(tmp_path / "missing.py"))


def test_missing_verb_is_refused_in_one_line():
    bad()


def test_other_warnings_under_the_command_are_printed_as_python_prints_them(capsys):
    """The command shows setting warnings as one line and leaves other warnings (a
    library's, called with showwarning's full signature) as Python formats them."""
    import warnings

    from govsim.checks import SettingWarning
    from govsim.cli import _one_line_warning
    _one_line_warning(SettingWarning("few events"), SettingWarning, "x.py", 3)
    _one_line_warning(UserWarning("cookies"), UserWarning, "lib.py", 7, None, "line")
    err = capsys.readouterr().err
    assert err.splitlines()[0] == "govsim: warning: few events"
    assert "lib.py:7: UserWarning: cookies" in err
    assert warnings.showwarning is not _one_line_warning
