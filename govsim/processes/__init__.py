"""The baseline daily processes (DESIGN §2): needs and help-seeking, government case
handling, social interaction, disputes, and civic life with trust relaxation.

Each process is a small class built with the model and called once a day with ``step``.
All of them are vectorised over residents and ties; the government's case queue is an
event-driven loop over the (few) cases of the day.
"""

from govsim.processes.civic import Civic
from govsim.processes.disputes import Disputes, Mediator
from govsim.processes.government import Case, GovernmentSystem, ServiceQueue
from govsim.processes.interaction import Interaction
from govsim.processes.needs import Needs

__all__ = ["Case", "Civic", "Disputes", "GovernmentSystem", "Interaction", "Mediator",
           "Needs", "ServiceQueue"]
