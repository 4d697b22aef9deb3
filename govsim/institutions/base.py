"""The small interface every institution implements.

An institution is one of the report's mechanisms, pluggable into any model. It is built
with the model, declares its parameters in its own section (``section.name``), attaches
itself (creating organizations, members, ties, or replacing a strategy such as the
government's router), acts through daily hooks, and reports its own measures. Institutions
never import each other and never set an outcome directly: they change the rules that
residents and organizations follow, and the measures respond.

Hooks, called in this order each day when the institution defines them:

``start_of_day``, ``after_needs``, ``after_government``, ``after_interaction``,
``end_of_day``.

Extension points of the model that institutions use:

- ``model.gov.router``, ``model.gov.joint``, ``model.gov.listeners``, ``model.gov.hotlines``
  (:class:`govsim.processes.GovernmentSystem`);
- ``model.disputes.mediators`` (:class:`govsim.processes.Mediator`) and
  ``model.disputes.resolve(u, v, eidx, source)`` for disputes of their own;
- ``model.scarcity`` (per community, 0-1) read by the dispute rule;
- ``model.ties.add(u, v, w, kind)`` for ties formed in their settings;
- ``model.civic.participate(rows)`` to record participation;
- ``capacity`` and ``quality`` of organizations used by help-seeking;
- ``model.add_org(cls, name, role, **attrs)`` to create an organization agent.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["Institution", "HOOKS"]

HOOKS = ("start_of_day", "after_needs", "after_government", "after_interaction",
         "end_of_day")


class Institution:
    """Base class: subclasses set ``name`` and ``measures`` and override what they need."""

    name: ClassVar[str] = ""
    #: institutions attach in increasing order (then as listed): those that replace a
    #: strategy of the government (the hotline's intake and routing) before those that
    #: wrap whatever strategy is in place (the response rule's whistle)
    attach_order: ClassVar[int] = 0
    #: names of the measures this institution adds to every day's record
    measures: ClassVar[tuple[str, ...]] = ()

    def __init__(self, model: CommunityModel):
        self.model = model
        self.p = model.params.section(self.name) if self.name else None

    def attach(self) -> None:
        """Set the institution up in the model (called once, after the community)."""

    def metrics(self) -> dict[str, float]:
        """Today's values of ``measures``."""
        return {}
