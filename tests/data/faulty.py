"""A scenario whose runs raise at a chosen day (``fault.day``; 0 never raises)."""

from govsim.institutions import Institution, register_institution
from govsim.params import register, spec
from govsim.scenario import Scenario

register([spec("fault.day", 0, 0, 10_000, "day", "day on which the run raises (0: never)")])


@register_institution
class Fault(Institution):
    """Raises an error at the end of day ``fault.day``."""

    name = "fault"
    hooks = ("end_of_day",)

    def end_of_day(self) -> None:
        if self.p.day and self.model.day + 1 == self.p.day:
            raise RuntimeError(f"deliberate failure on day {self.p.day}")


SCENARIO = Scenario(name="faulty", title="runs that fail on purpose", institutions=("fault",),
                    base={"community.residents": 150})
