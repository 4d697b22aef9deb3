"""The institution contract, checked for every institution alone and for all together
(in the spirit of scikit-learn's estimator checks)."""

import subprocess
import sys

import numpy as np
import pytest

from govsim.institutions import HOOKS, INSTITUTIONS, Institution, register_institution
from govsim.measures import core, measure
from govsim.metrics import measure_columns
from govsim.model import CommunityModel
from govsim.params import specs

NAMES = sorted(INSTITUTIONS)
DAYS, RESIDENTS = 30, 500


def _run(names: tuple[str, ...], seed: int = 3) -> tuple[CommunityModel, object]:
    over = {"community.residents": RESIDENTS, "community.communities": 2,
            "model.institutions": names}
    over.update({f"{n}.enabled": True for n in names})
    model = CommunityModel(params=over, rng=seed)
    model.run_for(DAYS)
    return model, model.timeseries()


def _check_record(model: CommunityModel, df, names: tuple[str, ...]) -> None:
    assert list(df.columns) == ["step", *measure_columns(names)]
    assert not df.isna().any().any(), df.columns[df.isna().any()].tolist()
    declared = {m.name: m for m in core()}
    for n in names:
        declared.update({m.name: m for m in INSTITUTIONS[n].measures})
    for name, m in declared.items():
        if m.unit == "share" or name.endswith("_share"):
            assert df[name].between(0.0, 1.0).all(), name
        if m.kind == "total":
            assert (np.diff(df[name].to_numpy()) >= 0).all() or name.endswith("rate_total"), \
                name
    for inst in model.institutions:
        assert set(inst.metrics()) == set(inst.measure_names()), inst.name


def test_every_institution_has_an_enabled_switch_and_a_section():
    table = specs()
    for name in NAMES:
        assert table[f"{name}.enabled"].default is False, name


def test_every_institution_declares_only_known_hooks_and_prefixed_measures():
    for name, cls in INSTITUTIONS.items():
        assert set(cls.hooks) <= set(HOOKS), name
        assert all(m.name.startswith(name + "_") for m in cls.measures), name


@pytest.mark.parametrize("name", NAMES)
def test_each_institution_alone_records_what_it_declares(name):
    model, df = _run((name,))
    _check_record(model, df, (name,))


def test_all_institutions_together_record_what_they_declare():
    names = tuple(NAMES)
    model, df = _run(names)
    _check_record(model, df, names)
    # the composed case-handling policy has the hotline's centre below the rule's whistle
    roles = [layer.role for layer in model.gov.layers]
    assert roles == sorted(roles, key=("base", "channel", "override").index)


def test_an_unknown_hook_name_is_refused():
    with pytest.raises(TypeError, match="unknown hook"):
        @register_institution
        class Typo(Institution):
            name = "typo"
            hooks = ("end_of_the_day",)

            def end_of_the_day(self):
                pass


def test_a_hook_method_that_is_not_declared_is_refused():
    with pytest.raises(TypeError, match="without listing"):
        @register_institution
        class Silent(Institution):
            name = "silent"

            def end_of_day(self):
                pass


def test_a_measure_without_the_section_prefix_is_refused():
    with pytest.raises(TypeError, match="prefix"):
        @register_institution
        class Loose(Institution):
            name = "loose"
            measures = (measure("visits", "day"),)


def test_a_running_total_must_say_so_in_its_name():
    with pytest.raises(ValueError, match="_total"):
        measure("hall_passed_so_far", "total")
    with pytest.raises(ValueError, match="_total"):
        measure("hall_passed_total", "day")


def test_a_misspelled_day_count_fails_at_once():
    model = CommunityModel(params={"community.residents": 100}, rng=1)
    with pytest.raises(AttributeError):
        model.today.dispute += 1


def test_sweep_columns_come_from_the_declarations_without_a_model(monkeypatch):
    import importlib

    from govsim.experiment.spec import SweepSpec
    sweep = importlib.import_module("govsim.experiment.sweep")

    def refuse(*a, **k):
        raise AssertionError("a model was built")

    monkeypatch.setattr(CommunityModel, "__init__", refuse)
    spec = SweepSpec(scenario="deliberation_hall", steps=2)
    cols = sweep._measure_names(spec, spec.points()[0])
    assert "hall_pass_rate_total" in cols and cols[:3] == ["disputes", "conflicts",
                                                             "intergroup_conflicts"]


def test_importing_the_parameter_registry_loads_no_model():
    code = ("import sys, govsim.params as p; n = len(p.specs()); "
            "assert 'govsim.model' not in sys.modules, sorted(sys.modules); "
            "assert 'hall.enabled' in p.specs() and 'hall' in p.specs()"
            "['model.institutions'].choices; print(n)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_registry_read_from_the_sources_equals_the_registry_after_import():
    code = ("import govsim.params as p; a = dict(p.specs()); import govsim.model; "
            "import govsim.institutions; b = dict(p.specs()); "
            "assert a == b, sorted(set(b) ^ set(a))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr


def test_the_layers_import_one_way():
    """The experiment layer imports no CLI; figures and effect tables import no experiment
    layer; the institutions package imports its modules, never the other way round."""
    code = ("import sys; import govsim.experiment, govsim.plots, govsim.analysis; "
            "bad = [m for m in ('govsim.cli', 'govsim.cli_experiment', 'govsim.cliutil') "
            "if m in sys.modules]; assert not bad, bad")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    code = ("import sys; import govsim.plots, govsim.analysis; "
            "assert 'govsim.experiment.sweep' not in sys.modules")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
