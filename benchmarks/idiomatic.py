"""The daily interaction rule written the idiomatic Mesa way, against govsim's vectorised one.

The rule (see govsim.processes.interaction): each tie carries a contact with probability
``contact_rate * (0.3 + 0.7 w)`` (kin ``kin_contact`` times more often, capped at 1); a
contact strengthens the tie, ``w += gain (1 - w)``; a non-kin tie without contact decays,
``w *= 1 - decay``. The idiomatic version keeps the strengths on the networkx edges and
lets every Resident agent step in Python over its neighbours through its Mesa cell (each
tie is handled by its lower-numbered end), with ``model.agents_by_type[Resident].do``.
The vectorised version is govsim's own process with disputes and new ties switched off,
so both do the same work.

Run as ``python benchmarks/idiomatic.py RESIDENTS DAYS``; prints one JSON line. Times are
CPU seconds of the process, which other work on a shared machine inflates less.
"""

from __future__ import annotations

import json
import sys
import time

import numpy as np

from govsim import CommunityModel
from govsim.agents import Resident
from govsim.state import KIN


def idiomatic_step(agent: Resident, g, p, rng) -> None:
    me = agent.cell.coordinate
    for other in agent.cell.neighborhood.agents:
        if not isinstance(other, Resident) or other.cell.coordinate < me:
            continue
        edge = g.edges[me, other.cell.coordinate]
        w = edge["weight"]
        prob = p.contact_rate * (0.3 + 0.7 * w)
        if edge["kind"] == "kin":
            prob = min(1.0, prob * p.kin_contact)
        if rng.random() < prob:
            edge["weight"] = w + p.gain * (1.0 - w)
        elif edge["kind"] != "kin":
            edge["weight"] = w * (1.0 - p.decay)


def main() -> None:
    residents, days = int(sys.argv[1]), int(sys.argv[2])
    params = {"community.residents": residents, "community.communities": 2,
              "dispute.base_rate": 0.0, "interaction.focus_rate": 0.0,
              "interaction.closure_rate": 0.0}
    model = CommunityModel(params=params, rng=1)
    g = model.graph()
    p = model.params.section("interaction")
    rng = model.rng
    residents_set = model.agents_by_type[Resident]
    t0 = time.process_time()
    for _ in range(days):
        residents_set.do(idiomatic_step, g, p, rng)
    t_idiom = (time.process_time() - t0) / days

    # load the compiled kernels of the rule outside the timing
    warm = CommunityModel(params={**params, "community.residents": 300}, rng=1)
    warm.interaction.step(warm)
    model = CommunityModel(params=params, rng=1)
    t0 = time.process_time()
    for _ in range(days):
        model.interaction.step(model)
    t_vec = (time.process_time() - t0) / days
    kin = model.ties.kind == KIN
    print(json.dumps({
        "residents": residents, "ties": len(model.ties), "kin_ties": int(kin.sum()),
        "days": days, "idiomatic_ms_per_day": 1000 * t_idiom,
        "vectorised_ms_per_day": 1000 * t_vec, "speed_ratio": t_idiom / t_vec,
        "mean_tie_strength_after": float(np.mean(model.ties.w)),
    }))


if __name__ == "__main__":
    main()
