"""Slider callbacks recompute the comparison and redraw the figure."""

import pytest

pytest.importorskip("ipywidgets")

from govsim.widgets import Explorer  # noqa: E402


def test_moving_a_slider_updates_the_table_and_the_figure():
    ex = Explorer("baseline", replicates=2, steps=30, residents=800,
                  outcomes=["needs_met_share", "legitimacy_mean"])
    box = ex.widget()
    assert len(box.children) == len(ex.scenario.levers) + 2  # sliders, controls, output
    before_fig = ex.figure
    assert (ex.effects["diff_mean"] == 0).all()  # levers at the scenario's values
    slider = ex._widgets["needs.committee_capacity"]
    slider.value = slider.max  # as a student dragging the slider
    assert ex.values["needs.committee_capacity"] == slider.max
    assert ex.figure is not before_fig
    assert ex.effects.set_index("outcome").loc["needs_met_share", "diff_mean"] != 0


def test_set_changes_a_lever_like_the_slider_and_rejects_unknown_names():
    ex = Explorer("baseline", replicates=2, steps=20, residents=200)
    ex.widget()
    table = ex.set("mediation.capacity", 2.0)
    assert ex._widgets["mediation.capacity"].value == 2.0
    assert table is ex.effects
    with pytest.raises(KeyError):
        ex.set("no.such", 1)


def test_sliders_show_units_and_reset_restores_the_scenario_values():
    ex = Explorer("baseline", replicates=2, steps=10, residents=150,
                  outcomes=["needs_met_share"])
    ex.widget()
    slider = ex._widgets["needs.committee_capacity"]
    assert "[" in slider.description  # the parameter's unit
    slider.value = slider.max
    assert ex.values["needs.committee_capacity"] == slider.max
    ex._controls["reset"].click()
    assert ex.values == ex.defaults
    assert slider.value == ex.defaults["needs.committee_capacity"]
    assert (ex.effects["diff_mean"] == 0).all()


def test_the_status_line_says_the_run_size_and_is_busy_while_computing():
    ex = Explorer("baseline", replicates=2, steps=10, residents=150,
                  outcomes=["needs_met_share"])
    ex.widget()
    seen = []
    ex._controls["status"].observe(lambda c: seen.append((c["new"],
                                                          ex._controls["reset"].disabled)),
                                   names="value")
    ex.update()
    busy = [text for text, disabled in seen if "computing" in text]
    assert busy and all(d for text, d in seen if "computing" in text)
    assert "150 residents for 10 days" in ex._controls["status"].value
    assert not ex._controls["reset"].disabled
