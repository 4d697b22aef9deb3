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
  than outcomes). Where the resident does not see the procedure (a need met by a
  committee) F is their current legitimacy, and where they see no outcome (taking part in
  a meeting) O is: the part not observed leaves the attitude where it is. The decisions
  observed in the baseline are a government case closed (O = 1 if resolved, 0 if dropped
  or abandoned; F = 1 / (1 + bounces) for a resolved case, being sent from department to
  department being the unfair procedure a caller sees, and F = 0 for one dropped), a need
  met or failed by a formal channel (O = 1 or 0), a successful mediation (O = F = 1) and
  taking part in a committee's activity (voice: F = 1).
- **Social trust from experience** (generalised trust is learned from experience with
  others, Glanville & Paxton 2007; bad experience weighs more than good, the asymmetry of
  trust, Slovic 1993): ``T <- T + r (T* - T)`` with T* = 1 for help received from kin and
  neighbours, a successful mediation or a positive contact, and T* = 0 for a conflict;
  r = ``attitudes.trust_rate`` (times ``attitudes.negativity`` for a conflict; a
  contact along a tie has its own small rate, ``interaction.trust_gain``).
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

__all__ = ["contact_distance", "experience_trust", "observe_decision"]

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
    spec("attitudes.trust_rate", 0.02, 0.0, 1.0, "share per experience",
         "how far a resident's social trust moves towards the level an experience "
         "supports (1: help from kin or neighbours, a successful mediation)",
         "Glanville & Paxton 2007: generalised trust is learned from experience; the "
         "rate is an assumption (0.02: a step of 0.01 at T = 0.5)",
         plausible=(0.005, 0.1)),
    spec("attitudes.negativity", 3.0, 1.0, 20.0, "ratio",
         "a bad experience (a conflict) moves social trust this many times as far as a "
         "good one", "Slovic 1993 (the asymmetry principle of trust); Baumeister et al. "
         "2001: bad is stronger than good", plausible=(1.5, 5.0)),
])


def observe_decision(model: CommunityModel, rows: np.ndarray | slice,
                     favourable: np.ndarray | float | None,
                     fair: np.ndarray | float | None) -> None:
    """Residents ``rows`` observe a decision: legitimacy moves towards what it supports.

    Parameters
    ----------
    model : CommunityModel
    rows : numpy.ndarray or slice
        The observers; a resident listed twice observed two decisions. A slice is a
        block of residents (a ward's rows), each observing once.
    favourable : numpy.ndarray, float or None
        O in [0, 1] for each observer: how far the decision favours them (0.5: neutral);
        None when the observers see no outcome.
    fair : numpy.ndarray, float or None
        F in [0, 1] for each observer: the fairness of the procedure for them; None when
        the observers do not see the procedure.

    Example
    -------
    A resident at L = 0.5 who sees a fair, favourable decision (F = O = 1) moves a share
    ``legitimacy_rate`` of the way to 1: 0.5 + 0.05 * 0.5 = 0.525 at the defaults. The
    same outcome with the procedure unseen moves them by 0.05 * 0.3 * 0.5 = 0.0075.

    References
    ----------
    Tyler, T. R. (1990). *Why People Obey the Law*. Yale University Press.
    Tyler, T. R. & Lind, E. A. (1992). A relational model of authority in groups.
    *Advances in Experimental Social Psychology* 25:115-191.
    """
    p = model.params.section("attitudes")
    legitimacy = model.state.legitimacy
    block = isinstance(rows, slice)   # a ward's rows, each once: no gather, no np.add.at
    if not block:
        rows = np.asarray(rows, dtype=np.int64)
    now = legitimacy[rows]
    if now.size == 0:
        return
    f = now if fair is None else np.asarray(fair, dtype=float)
    o = now if favourable is None else np.asarray(favourable, dtype=float)
    target = p.procedure_weight * f + (1.0 - p.procedure_weight) * o
    step = p.legitimacy_rate * (target - now)
    if block:
        legitimacy[rows] += step
    else:
        np.add.at(legitimacy, rows, step)


def experience_trust(model: CommunityModel, rows: np.ndarray, level: float,
                     rate: np.ndarray | float | None = None) -> None:
    """Residents ``rows`` had an experience that supports social trust ``level`` (1: help,
    a mediation that worked; 0: a conflict): trust moves part of the way there.

    ``rate`` defaults to ``attitudes.trust_rate`` (times ``attitudes.negativity`` for a
    level below the resident's trust, a bad experience). A resident listed twice had two
    experiences.

    Example
    -------
    At T = 0.5, help from a neighbour moves trust to 0.5 + 0.02 * 0.5 = 0.51 and a
    conflict to 0.5 - 3 * 0.02 * 0.5 = 0.47 at the defaults.

    References
    ----------
    Glanville, J. L. & Paxton, P. (2007). How do we learn to trust? A confirmatory tetrad
    analysis of the sources of generalized social trust. *Social Psychology Quarterly*
    70(3):230-242. Slovic, P. (1993). Perceived risk, trust, and democracy. *Risk Analysis*
    13(6):675-682.
    """
    rows = np.asarray(rows, dtype=np.int64)
    if len(rows) == 0:
        return
    p = model.params.section("attitudes")
    now = model.state.social_trust[rows]
    if rate is None:
        rate = p.trust_rate * np.where(level < now, p.negativity, 1.0)
    np.add.at(model.state.social_trust, rows, rate * (level - now))


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
