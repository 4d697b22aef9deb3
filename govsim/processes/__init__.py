"""The baseline daily processes (DESIGN §2): needs and help-seeking, government case
handling, social interaction, disputes, civic life with trust relaxation, and good
deeds (on only where a scenario switches them on).

Each process is a small class built with the model and called at its place in the day
(most once, with ``step``). All of them are vectorised over residents and ties; the
government's case queue is an event-driven loop over the (few) cases of the day.
"""

from govsim.processes.civic import Civic
from govsim.processes.deeds import Deeds
from govsim.processes.disputes import Disputes, Mediator
from govsim.processes.government import Case, GovernmentSystem, ServiceQueue
from govsim.processes.interaction import Interaction
from govsim.processes.needs import Needs

__all__ = ["Case", "Civic", "Deeds", "Disputes", "GovernmentSystem", "Interaction", "Mediator",
           "Needs", "ServiceQueue"]
