"""The day's events that the processes publish, under named, documented attributes.

``model.today`` is a fresh :class:`DayCounts` every day. Processes add to it; the
measures (:mod:`govsim.metrics`) and institutions read it. A name that is not declared
here cannot be written (the class has slots), so a misspelled counter fails at once.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DayCounts"]


@dataclass(slots=True)
class DayCounts:
    """Counts of today's events (all start at 0 each day)."""

    #: disputes between residents, of every source (contacts, parking, ...)
    disputes: int = 0
    #: disputes that escalated into recorded conflicts
    conflicts: int = 0
    #: conflicts between an established resident and a migrant
    intergroup_conflicts: int = 0
    #: disputes settled by a mediator
    mediated: int = 0
    #: mediation attempts, by any mediator, on disputes across origins
    intergroup_mediation_attempts: int = 0
    #: of those, the successful ones
    intergroup_mediated: int = 0
    #: parties to today's conflicts, by origin
    conflict_parties_established: int = 0
    conflict_parties_migrant: int = 0
    #: cases a wrong department bounced
    bounced_cases: int = 0
