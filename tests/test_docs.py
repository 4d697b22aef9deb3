"""The ODD lists every parameter of the code."""

from govsim.docs import ODD, render
from govsim.params import specs


def test_every_parameter_appears_in_the_odd():
    text = ODD.read_text()
    missing = [k for k in specs() if f"`{k}`" not in text]
    assert not missing, f"run python -m govsim.docs; missing: {missing[:5]}"


def test_the_generated_parameter_tables_are_up_to_date():
    text = ODD.read_text()
    assert render(text) == text, "run python -m govsim.docs"
