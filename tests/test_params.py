"""The parameter tree: defaults, validation, dotted keys."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govsim.params import ParamError, Params, specs


def test_every_parameter_is_documented_and_its_default_is_valid():
    table = specs()
    assert len(table) > 50
    for key, s in table.items():
        assert "." in key and s.doc and s.unit is not None, key
        assert s.coerce(s.default) == s.default


def test_defaults_resolve_and_sections_read_as_attributes():
    p = Params.resolve()
    assert p["dispute.base_rate"] == p.section("dispute").base_rate
    assert p["community.departments"] == 23


def test_unknown_key_names_the_closest_parameters():
    with pytest.raises(ParamError, match="did you mean 'dispute.base_rate'"):
        Params.resolve({"dispute.base_rat": 0.1})


@pytest.mark.parametrize("key,value,message", [
    ("dispute.base_rate", "abc", "expects a number"),
    ("dispute.base_rate", 2.0, r"must be in \[0, 1\]"),
    ("community.residents", 2.5, "expects an integer"),
    ("community.residents", 3, r"must be in \[10,"),
    ("model.institutions", "nosuch", "unknown name"),
    ("dispute.base_rate", float("nan"), "finite"),
    ("community.residents", True, "expects an integer"),
])
def test_bad_values_are_rejected_with_the_key_and_the_value(key, value, message):
    with pytest.raises(ParamError, match=message) as err:
        Params.resolve({key: value})
    assert key in str(err.value)


def test_strings_from_the_command_line_are_typed():
    p = Params.resolve({"community.residents": "500", "dispute.base_rate": "0.01"})
    assert p["community.residents"] == 500 and isinstance(p["community.residents"], int)
    assert p["dispute.base_rate"] == 0.01


@given(st.floats(0.0, 1.0))
def test_any_value_in_range_round_trips(x):
    p = Params.resolve({"community.migrant_share": x})
    assert p["community.migrant_share"] == x
    assert p.replace({"community.migrant_share": 0.5})["community.migrant_share"] == 0.5


def test_params_are_immutable_and_picklable():
    import pickle
    p = Params.resolve({"community.residents": 100})
    q = pickle.loads(pickle.dumps(p))
    assert q == p and q.section("community").residents == 100
    with pytest.raises(TypeError):
        p["community.residents"] = 5  # type: ignore[index]
