"""Attitudes move towards what residents experience: one update rule per attitude.

No institution adds a fixed amount to an attitude because something happened. It tells
this module what residents experienced, and the attitude moves part of the way towards
what that experience supports, so that repeated experience saturates at that level and,
without renewal, the attitude relaxes back towards its baseline (:mod:`govsim.processes.civic`).

- **Legitimacy from observed decisions** (procedural justice; Tyler 1990, Tyler & Lind
  1992): a resident who observes a decision of a governing body moves their legitimacy
  towards ``L* = w_p F + (1 - w_p) O``, where F in [0, 1] is the fairness of the procedure
  for them (their group represented and heard) and O in [0, 1] the favourability of the
  decision to them: ``L <- L + alpha (L* - L)``, alpha = ``attitudes.legitimacy_rate``,
  w_p = ``attitudes.procedure_weight`` (> 0.5 in this literature: procedures weigh more
  than outcomes).
- **Felt distance from intergroup contact** (Pettigrew & Tropp 2006; extended contact:
  Wright et al. 1997, Zhou et al. 2019): a meeting of equal-status, cooperative contact
  across origins lowers felt distance to the other group by a share beta =
  ``attitudes.contact_distance`` of what is left, ``D <- D (1 - beta q)`` for contact of
  quality q in [0, 1]; hearing of an in-group member's contact (extended contact) does so
  with beta times ``attitudes.extended_ratio``. Felt distance relaxes back towards 1 at
  ``attitudes.distance_relax`` a day.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from govsim.params import register, spec

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["contact_distance", "observe_decision"]

register([
    spec("attitudes.legitimacy_rate", 0.05, 0.0, 1.0, "share per observation",
         "how far a resident's legitimacy moves towards the level an observed decision "
         "supports", "assumption; the direction follows Tyler 1990",
         plausible=(0.01, 0.2)),
    spec("attitudes.procedure_weight", 0.7, 0.0, 1.0, "weight",
         "w_p: weight of the procedure's fairness against the decision's favourability "
         "in the legitimacy it supports",
         "Tyler 1990; Tyler & Lind 1992: procedures weigh more than outcomes",
         plausible=(0.5, 0.9)),
    spec("attitudes.contact_distance", 0.05, 0.0, 1.0, "share per meeting",
         "share of felt distance to the other group lost in one meeting of equal-status "
         "cooperative contact across origins",
         "Pettigrew & Tropp 2006: mean r = -0.21 over 515 studies, larger under "
         "Allport's conditions; the rate is an assumption",
         plausible=(0.01, 0.2)),
    spec("attitudes.extended_ratio", 0.3, 0.0, 1.0, "ratio",
         "effect of extended contact (hearing of an in-group member's contact) relative "
         "to direct contact",
         "Wright et al. 1997; Zhou et al. 2019: smaller than direct contact",
         plausible=(0.1, 0.7)),
    spec("attitudes.distance_relax", 0.005, 0.0, 1.0, "per day",
         "daily relaxation of felt distance back to 1 without renewed contact (0.005: "
         "half-life about 140 days)",
         "assumption: contact effects persist for months but fade (no agreed half-life)",
         plausible=(0.001, 0.02)),
])


def observe_decision(model: CommunityModel, rows: np.ndarray, favourable: np.ndarray,
                     fair: np.ndarray) -> None:
    """Residents ``rows`` observe a decision: legitimacy moves towards what it supports.

    Parameters
    ----------
    model : CommunityModel
    rows : numpy.ndarray
        The observers (unique rows).
    favourable : numpy.ndarray
        O in [0, 1] for each observer: how far the decision favours them (0.5: neutral).
    fair : numpy.ndarray
        F in [0, 1] for each observer: the fairness of the procedure for them.

    Example
    -------
    A resident at L = 0.5 who sees a fair, favourable decision (F = O = 1) moves a share
    ``legitimacy_rate`` of the way to 1: 0.5 + 0.05 * 0.5 = 0.525 at the defaults.

    References
    ----------
    Tyler, T. R. (1990). *Why People Obey the Law*. Yale University Press.
    Tyler, T. R. & Lind, E. A. (1992). A relational model of authority in groups.
    *Advances in Experimental Social Psychology* 25:115-191.
    """
    p = model.params.section("attitudes")
    st = model.state
    target = p.procedure_weight * np.asarray(fair) + \
        (1.0 - p.procedure_weight) * np.asarray(favourable)
    st.legitimacy[rows] += p.legitimacy_rate * (target - st.legitimacy[rows])


def contact_distance(model: CommunityModel, rows: np.ndarray, quality: float = 1.0,
                     extended: bool = False) -> None:
    """Residents ``rows`` had contact across origins (or, with ``extended``, heard of an
    in-group member's): their felt distance to the other group falls.

    References
    ----------
    Pettigrew, T. F. & Tropp, L. R. (2006). A meta-analytic test of intergroup contact
    theory. *JPSP* 90(5):751-783. Zhou, S., Page-Gould, E., Aron, A., Moyer, A. &
    Hewstone, M. (2019). The extended contact hypothesis: a meta-analysis on 20 years of
    research. *PSPR* 23(2):132-160.
    """
    p = model.params.section("attitudes")
    beta = p.contact_distance * quality * (p.extended_ratio if extended else 1.0)
    model.state.outgroup_distance[rows] *= 1.0 - beta
