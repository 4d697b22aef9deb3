"""The contract every institution follows.

An institution is one of the report's mechanisms, pluggable into any model. Its class
states, as data checked when it is registered:

- ``name``: its parameter section (``name.enabled`` is its master switch; the mapping to
  its module and scenario is shown by ``govsim show``);
- ``hooks``: the daily hooks it defines, from :data:`HOOKS` (an unknown name is an error);
- ``measures``: its own measures (:class:`govsim.measures.Measure`), every name carrying
  the prefix ``name_``; :meth:`Institution.metrics` returns exactly these.

Hooks run each day in the order of :data:`HOOKS`, between the processes of the schedule
(:meth:`govsim.model.CommunityModel.step`), for the institutions in the order they are
listed in ``model.institutions``. Before the first hook of a day the model calls
:meth:`Institution.new_day`, the one place where daily counters are reset;
:meth:`Institution.metrics` only reads.

Extension points of the model (all public, documented where they are defined):

- ``model.gov`` (:class:`govsim.processes.GovernmentSystem`): ``new_case`` and ``file``
  to create and file a case; ``wrap(layer)`` to add a
  :class:`govsim.processes.government.CaseLayer` to the one case-handling policy
  (intake → routing → joint handling → dispatch); ``listeners`` told of case events;
- ``model.disputes``: ``mediators`` (:class:`govsim.processes.Mediator`), ``resolve``
  for disputes of an institution's own, and the day's named counts in ``model.today``;
- ``model.needs.pending`` (the pending needs) and ``model.needs.serve_pending``;
- ``model.deeds`` (the deed process, or None where it is off): ``add_reward(fn)`` adds an
  expected reward to residents' deed decision; ``today_doers`` / ``today_kinds`` are the
  day's deeds;
- ``model.add_org(kind, name, role, ...)``: creates an organization with all its
  bookkeeping (role lists, help-seeking channels); an organization's ``capacity`` is its
  own base plus the contributions institutions add with ``org.contribute(source, n)``;
- ``model.ties`` and :func:`govsim.processes.rules.strengthen_or_form` for ties formed in
  an institution's setting; ``model.civic.participate(rows)`` for participation.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from govsim.measures import Measure
from govsim.params import declare_institution

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["HOOKS", "INSTITUTIONS", "Institution", "check_institution_class",
           "register_institution"]

#: the daily hooks, in the order they run
HOOKS = ("start_of_day", "after_needs", "after_interaction", "end_of_day")


class Institution:
    """Base class: subclasses set ``name``, ``hooks`` and ``measures``."""

    name: ClassVar[str] = ""
    #: the daily hooks this institution defines (a subset of HOOKS)
    hooks: ClassVar[tuple[str, ...]] = ()
    #: the measures this institution adds to every day's record
    measures: ClassVar[tuple[Measure, ...]] = ()

    def __init__(self, model: CommunityModel):
        self.model = model
        self.p = model.params.section(self.name)

    @property
    def enabled(self) -> bool:
        """The master switch, ``<name>.enabled``."""
        return bool(self.p.enabled)

    def attach(self) -> None:
        """Set the institution up in the model (called once, after the community)."""

    def new_day(self) -> None:
        """Reset the daily counters (called before the day's first hook)."""

    def metrics(self) -> dict[str, float]:
        """Today's values of ``measures`` (reads only)."""
        return {}

    @classmethod
    def measure_names(cls) -> tuple[str, ...]:
        return tuple(m.name for m in cls.measures)


def check_institution_class(cls: type[Institution]) -> None:
    """Raise ``TypeError`` unless ``cls`` follows the contract (see the module docstring)."""
    where = f"institution {cls.__name__}"
    if not cls.name:
        raise TypeError(f"{where} needs a name (its parameter section)")
    unknown = [h for h in cls.hooks if h not in HOOKS]
    if unknown:
        raise TypeError(f"{where}: unknown hook(s) {unknown}; the hooks are {HOOKS}")
    for h in cls.hooks:
        if not callable(getattr(cls, h, None)):
            raise TypeError(f"{where} lists hook {h!r} but does not define it")
    undeclared = [h for h in HOOKS if h not in cls.hooks and hasattr(cls, h)]
    if undeclared:
        raise TypeError(f"{where} defines {undeclared} without listing them in hooks")
    for m in cls.measures:
        if not isinstance(m, Measure):
            raise TypeError(f"{where}: measures must be Measure declarations, got {m!r}")
        if not m.name.startswith(cls.name + "_"):
            raise TypeError(f"{where}: measure {m.name!r} lacks the prefix '{cls.name}_'")
    names = cls.measure_names()
    if len(set(names)) != len(names):
        raise TypeError(f"{where} declares a measure twice")


#: the registered institutions, by name (their parameter section)
INSTITUTIONS: dict[str, type[Institution]] = {}


def register_institution(cls: type[Institution]) -> type[Institution]:
    """Class decorator: check ``cls`` against the contract and make it available by its
    ``name`` in the parameter ``model.institutions``.

    Raises
    ------
    TypeError
        If the class breaks the contract (an unknown hook, an undeclared hook method, a
        measure without the section's prefix, ...).
    """
    check_institution_class(cls)
    other = INSTITUTIONS.get(cls.name)
    if other is not None and other.__qualname__ != cls.__qualname__:
        raise TypeError(f"institution name {cls.name!r} is taken by {other.__name__}")
    INSTITUTIONS[cls.name] = cls
    declare_institution(cls.name)
    return cls
