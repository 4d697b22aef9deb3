"""Social interaction along ties: contact, strengthening, decay and new ties.

Each day a tie carries a contact with probability ``contact_rate * (0.3 + 0.7 w)`` (kin
ties ``kin_contact`` times as often). A contact is either a dispute (decided by
:mod:`govsim.processes.disputes`) or a positive encounter that strengthens the tie,
``w <- w + gain (1 - w)``, and raises both residents' social trust, more so across
origins (intergroup contact, Pettigrew & Tropp 2006); a positive contact across origins
may also lower both residents' felt distance to the other group, d <- (1 - c) d, with
c = ``contact_distance`` (off by default: casual contact changes prejudice little in
randomised studies, Paluck, Green & Green 2019). Ties without contact decay,
``w <- (1 - decay) w``, and non-kin ties weaker than the floor are dropped. New ties form
in shared settings (foci: residents of the same ward meet; Feld 1981), accepted across
origins with probability ``1 - homophily``, and by triadic closure (a resident's two
contacts meet; Granovetter 1973).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from govsim import kernels
from govsim.params import register, spec
from govsim.processes.rules import contact_trust
from govsim.state import FRIEND, KIN, NEIGHBOUR

if TYPE_CHECKING:
    from govsim.model import CommunityModel

register([
    spec("interaction.contact_rate", 0.15, 0.0, 1.0, "per tie per day",
         "daily contact probability of a tie of full strength (times 0.3 + 0.7 w)"),
    spec("interaction.kin_contact", 3.0, 0.0, 10.0, "ratio",
         "how much more often kin are in contact (probability capped at 1)"),
    spec("interaction.gain", 0.04, 0.0, 1.0, "share",
         "strengthening of a tie by a positive contact: w += gain (1 - w)"),
    spec("interaction.decay", 0.004, 0.0, 1.0, "per day",
         "daily decay of a non-kin tie without contact: w *= 1 - decay"),
    spec("interaction.floor", 0.02, 0.001, 0.5, "tie strength",
         "non-kin ties weaker than this are dropped"),
    spec("interaction.trust_gain", 0.0006, 0.0, 1.0, "share per contact",
         "share of the way to full social trust both residents move in a positive "
         "contact (0.0006: a step of 0.0003 at T = 0.5)",
         "assumption; the shared trust rule, Glanville & Paxton 2007"),
    spec("interaction.bridging_bonus", 1.0, 0.0, 10.0, "ratio",
         "extra trust gain of a positive contact across origins (Pettigrew & Tropp 2006)"),
    spec("interaction.contact_distance", 0.0, 0.0, 1.0, "share",
         "share of felt distance to the other group lost in a positive contact across "
         "origins", "Pettigrew & Tropp 2006; Paluck, Green & Green 2019 (weak): off"),
    spec("interaction.focus_rate", 0.004, 0.0, 1.0, "per resident per day",
         "chance meetings with a resident of the same ward that may start a tie"),
    spec("interaction.closure_rate", 0.003, 0.0, 1.0, "per resident per day",
         "attempts of triadic closure (two contacts of a resident meet)"),
    spec("interaction.new_tie_strength", 0.15, 0.02, 1.0, "tie strength",
         "strength of a newly formed tie"),
])


class Interaction:
    """Contacts and tie dynamics, vectorised over all resident ties."""

    def __init__(self, model: CommunityModel):
        self.model = model
        model.ties.w_min = model.params["interaction.floor"]

    def step(self, model: CommunityModel) -> None:
        rng, st, t = model.rng, model.state, model.ties
        p = model.params.section("interaction")
        hom = model.params["community.homophily"]
        # rng.random(m) < p, p = contact_rate (0.3 + 0.7 w), kin ties min(1, p kin),
        # compared in one compiled pass
        contact = kernels.contacts_of(rng.random(len(t)), t.w, t.kind, KIN,
                                      p.contact_rate, p.kin_contact)
        dispute = model.disputes.from_contacts(contact)
        pos = contact[~dispute]
        # positive contact strengthens the tie and raises trust
        t.w[pos] += p.gain * (1.0 - t.w[pos])
        contact_trust(model, t.u[pos], t.v[pos])
        cross = st.origin[t.u[pos]] != st.origin[t.v[pos]]
        if p.contact_distance > 0:
            both = np.concatenate([t.u[pos[cross]], t.v[pos[cross]]])
            st.outgroup_distance[both] *= 1.0 - p.contact_distance
        # decay of ties without contact
        kernels.decay_ties(t.w, t.kind, KIN, contact, 1.0 - p.decay)
        self._new_ties(model, rng, st, t, p, hom)
        t.prune()

    def _new_ties(self, model, rng, st, t, p, hom) -> None:
        n = st.n
        ws = model.community.ward_start
        # both kinds of new ties are merged into the tie arrays at once
        batch = t.bulk()
        # triadic closure
        k = int(rng.poisson(p.closure_rate * n))
        if k:
            a = rng.integers(n, size=k)
            deg, start, nbrs = t.neighbourhoods(a)
            two = deg >= 2
            a, deg, start = a[two], deg[two], start[two]
            if len(a):
                i = (rng.random(len(a)) * deg).astype(np.int64)
                j = (rng.random(len(a)) * (deg - 1)).astype(np.int64)
                j = j + (j >= i)
                b = nbrs[start + i]
                c = nbrs[start + j]
                batch.add(b, c, p.new_tie_strength, FRIEND)
        # foci: same-ward meetings
        k = int(rng.poisson(p.focus_rate * n))
        if k:
            a = rng.integers(n, size=k)
            w = st.ward[a]
            size = ws[w + 1] - ws[w]
            b = ws[w] + (rng.random(k) * size).astype(np.int64)
            accept = (st.origin[a] == st.origin[b]) | (rng.random(k) >= hom)
            batch.add(a[accept], b[accept], p.new_tie_strength, NEIGHBOUR)
        batch.commit()
