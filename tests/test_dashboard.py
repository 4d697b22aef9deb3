"""The dashboard without a browser: its engine, and the page rendered with solara.render."""

from __future__ import annotations

import socket
import subprocess
import sys

import pandas as pd
import pytest

from govsim.dashboard import engine
from govsim.experiment.sweep import compare

TINY = engine.Sizes(residents=120, days=12, replicates=2, seed=3)


def _request(overrides=None, scenario="response_rule"):
    return engine.Request(scenario, engine.Arm("baseline", "baseline"),
                          engine.Arm("intervention", "intervention", overrides or {}), TINY)


def test_effects_are_the_command_lines_paired_effects_on_the_same_seeds(tmp_path):
    result = engine.run_pair(_request())
    table = compare("response_rule", replicates=2, steps=12, seed=3, residents=120,
                    out=tmp_path / "c", workers=1, figures=False).set_index("outcome")
    mine = result.effects.set_index("outcome")
    for name in result.outcomes:
        assert mine.loc[name, "diff_mean"] == pytest.approx(table.loc[name, "diff_mean"])
    assert set(result.runs["arm"]) == {"baseline", "intervention"}
    ts = pd.read_csv(pd.io.common.BytesIO(result.csv("timeseries")))
    assert len(ts) == 2 * 2 * 12 and {"run_id", "arm", "replicate", "step"} <= set(ts)
    assert set(result.networks) == {"baseline", "intervention"}


def test_effect_sentence_words_and_direction():
    row = {"outcome": "conflicts", "baseline_mean": 10.0, "diff_mean": -2.0,
           "ci_low": -2.8, "ci_high": -1.2}
    assert engine.effect_sentence(row) == "conflicts fell by 20% [12%, 28%]"
    up = {**row, "diff_mean": 2.0, "ci_low": 1.2, "ci_high": 2.8}
    assert engine.effect_sentence(up) == "conflicts rose by 20% [12%, 28%]"
    unclear = {**row, "diff_mean": 0.5, "ci_low": -1.0, "ci_high": 2.0}
    assert "no clear change" in engine.effect_sentence(unclear)


def test_sizes_are_refused_with_the_registrys_message():
    errors = engine.check_sizes(-5, 20, 2)
    assert "community.residents" in errors["residents"]
    assert "days" in engine.check_sizes(200, 10_000, 2)
    assert engine.check_sizes(200, 20, 2) == {}


def test_controls_take_kind_unit_and_range_from_registry_and_scenario():
    sc = engine.load_scenario("response_rule")
    by_key = {c.key: c for c in engine.controls(sc)}
    deadline = by_key["government.deadline_minutes"]
    assert deadline.kind == "float" and deadline.unit == "minutes"
    assert (deadline.low, deadline.high) == (15.0, 120.0)
    assert by_key["rule.evaluation"].kind == "bool"
    assert engine.odd_section("response_rule")[0].startswith("7.9")


def test_busy_port_is_refused_in_one_line():
    pytest.importorskip("solara")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        out = subprocess.run([sys.executable, "-m", "govsim.cli", "dashboard", "--port",
                              str(port), "--no-browser"], capture_output=True, text=True,
                             timeout=120)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert str(port) in out.stderr


# -- the page ------------------------------------------------------------------------
@pytest.fixture
def page():
    solara = pytest.importorskip("solara")
    from govsim.dashboard import app
    app.scenario_name.value = "response_rule"
    app.levers.value = {}
    app.residents_text.value = str(TINY.residents)
    app.days_text.value = str(TINY.days)
    app.replicates.value = TINY.replicates
    box, rc = solara.render(app.Page(), handle_error=False)
    yield app, rc
    rc.close()


def _effects_text(rc) -> str:
    import ipyvuetify as v
    found = rc.find(v.Html, class_="govsim-effects").wait_for(timeout=60)
    return _text(found.widget)


def _text(widget) -> str:
    """The text a widget shows: its markdown's rendered template, its value, its
    children's text (a widget's repr is abbreviated, so it cannot be searched)."""
    if isinstance(widget, str):
        return widget
    parts = [getattr(widget, name) for name in ("template", "value")
             if isinstance(getattr(widget, name, None), str)]
    parts += [_text(child) for child in getattr(widget, "children", None) or []]
    return "\n".join(parts)


def test_page_has_lever_sliders_and_run_shows_the_effect_table(page):
    import ipyvuetify as v
    app, rc = page
    rc.find(meta_ref="lever:government.deadline_minutes").find(v.Slider).assert_single()
    rc.find(meta_ref="lever:rule.evaluation").find(v.Checkbox).assert_single()
    run = rc.find(v.Btn, children=["Run"])
    run.widget.click()
    first = _effects_text(rc)
    # one sentence per outcome, in the words of engine.effect_sentence
    words = ("fell by", "rose by", "no clear change", "no change in any replicate")
    rows = first.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    assert rows and all(any(w in row for w in words) for row in rows)
    # moving a slider writes the session's lever values that the next Run uses (that the
    # table then changes is checked in the real-browser test)
    slider = rc.find(meta_ref="lever:government.deadline_minutes").find(v.Slider).widget
    slider.v_model = 120.0
    assert app.levers.value["government.deadline_minutes"] == 120.0
    assert app._request()[0].second.overrides["government.deadline_minutes"] == 120.0


def test_page_refuses_a_bad_size_and_disables_run(page):
    import ipyvuetify as v
    app, rc = page
    app.residents_text.value = "lots"
    rc.find(v.Alert).assert_not_empty()
    assert "community.residents" in str(rc.find(v.Alert).widgets[0].children)
    assert rc.find(v.Btn, children=["Run"]).widget.disabled
