"""Civic life and the slow relaxation of attitudes.

Residents take part in activities of their committee (meetings, volunteering) with daily
probability ``activity_rate * (0.5 + L)``; taking part gives them voice in a fair procedure,
so their legitimacy moves towards it (:func:`govsim.processes.attitudes.observe_decision`
with F = 1 and no outcome seen), and counts towards ``participation_rate`` (share of
residents active in the last 30 days).
Hardship, legitimacy and social trust relax towards each resident's structural baseline at
rate ``relax`` per day, so that experience moves them and the effect fades without renewal.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from govsim.params import register, spec
from govsim.processes.attitudes import observe_decision

if TYPE_CHECKING:
    from govsim.model import CommunityModel

register([
    spec("civic.activity_rate", 0.003, 0.0, 1.0, "per resident per day",
         "baseline chance of taking part in a committee activity (times 0.5 + L)"),
    spec("civic.relax", 0.01, 0.0, 1.0, "per day",
         "daily relaxation of hardship, legitimacy and trust towards their baselines"),
])


class Civic:
    """Participation in committee activities and attitude relaxation."""

    def __init__(self, model: CommunityModel):
        self.model = model

    def participate(self, rows: np.ndarray) -> None:
        """Record that residents took part in a collective activity today."""
        self.model.state.last_participation[rows] = self.model.day

    def step(self, model: CommunityModel) -> None:
        st, rng = model.state, model.rng
        p = model.params.section("civic")
        act = np.nonzero(rng.random(st.n) < p.activity_rate * (0.5 + st.legitimacy))[0]
        self.participate(act)
        observe_decision(model, act, None, 1.0)
        r = p.relax
        st.hardship += r * (st.hardship0 - st.hardship)
        st.legitimacy += r * (st.legitimacy0 - st.legitimacy)
        st.social_trust += r * (st.trust0 - st.social_trust)
        # contact effects fade without renewed contact (processes/attitudes.py)
        st.outgroup_distance += model.params["attitudes.distance_relax"] * \
            (1.0 - st.outgroup_distance)
        st.clip()
