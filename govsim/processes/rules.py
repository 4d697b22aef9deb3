"""Micro-rules shared by the processes and the institutions: one rule, one place.

- :func:`logistic`, the link of every probabilistic decision rule;
- :func:`daily_volume`, unbiased stochastic rounding of an expected daily volume;
- :func:`votes_needed`, the votes a body's decision needs under a threshold;
- :class:`RollingWindow` and :class:`RollingSample`, the 30-day windows of the measures;
- :func:`contact_trust`, a positive contact as an experience of trust for both residents;
- :func:`strengthen_or_form`, what a meeting in a shared setting does to a tie.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np

from govsim.processes.attitudes import experience_trust

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["RollingSample", "RollingWindow", "contact_trust", "daily_volume", "logistic",
           "strengthen_or_form", "votes_needed"]


def logistic(x: np.ndarray) -> np.ndarray:
    """The logistic function 1 / (1 + e^(-x)).

    Example
    -------
    >>> float(logistic(np.array([0.0]))[0])
    0.5
    """
    return 1.0 / (1.0 + np.exp(-x))


def daily_volume(rng: np.random.Generator, rates: np.ndarray) -> np.ndarray:
    """Needs a service with expected daily volume r takes on today: ⌊r⌋ + Bernoulli(r − ⌊r⌋).

    A service bought by money has a volume, not a door to knock on: a project or a
    contract worth a third of a need a day serves one need on about one day in three,
    so its volume follows its money however small. The same rounding turns a mediation
    capacity per 1,000 residents into today's whole number of mediations.

    Parameters
    ----------
    rng : numpy.random.Generator
        The dynamics stream (one draw per service).
    rates : numpy.ndarray
        Expected needs a day of each service (>= 0).

    Returns
    -------
    numpy.ndarray
        Integer volumes, one per service; their expectation is ``rates``.

    Example
    -------
    >>> daily_volume(np.random.default_rng(1), np.array([2.0, 0.0])).tolist()
    [2, 0]

    References
    ----------
    Unbiased (stochastic) rounding: Croci, M., Fasi, M., Higham, N. J., Mary, T. &
    Mikaitis, M. (2022). Stochastic rounding: implementation, error analysis and
    applications. Royal Society Open Science 9, 211631.
    """
    rates = np.asarray(rates, dtype=float)
    whole = np.floor(rates)
    return (whole + (rng.random(len(rates)) < rates - whole)).astype(int)


def votes_needed(members: int, threshold: float) -> int:
    """Smallest number of yes votes that reaches ``threshold`` of ``members`` (at least 1).

    ``ceil(threshold * members)``, with a tolerance for thresholds such as 2/3 that are
    not exact in binary.

    Example
    -------
    >>> votes_needed(13, 2 / 3), votes_needed(13, 0.5), votes_needed(4, 0.75)
    (9, 7, 3)
    """
    return max(1, math.ceil(threshold * members - 1e-9))


class RollingWindow:
    """Counts over the last ``days`` days: one slot per day of the window.

    ``add(day, x)`` books into the day's slot; ``clear(day)`` empties the slot before the
    day's first booking (the slot last held the day ``days`` earlier); ``total()`` sums
    the window.

    Example
    -------
    >>> w = RollingWindow(3)
    >>> for day in range(5):
    ...     w.clear(day)
    ...     w.add(day, 1.0)
    >>> float(w.total())
    3.0
    """

    def __init__(self, days: int, shape: tuple[int, ...] = ()):
        self.days = int(days)
        self.slots = np.zeros((self.days, *shape))

    def slot(self, day: int) -> np.ndarray:
        """The slot of ``day`` (a view: write into it to book)."""
        return self.slots[day % self.days]

    def add(self, day: int, values) -> None:
        self.slots[day % self.days] += values

    def clear(self, day: int) -> None:
        self.slots[day % self.days] = 0

    def total(self) -> np.ndarray:
        return self.slots.sum(axis=0)


class RollingSample:
    """Values observed over the last ``days`` days (e.g. response minutes of cases)."""

    def __init__(self, days: int):
        self.days = int(days)
        self.slots: list[list[float]] = [[] for _ in range(self.days)]
        # each slot as an array, made again only when the slot has changed
        self._arrays: list[tuple[list[float], int, np.ndarray] | None] = \
            [None] * self.days

    def append(self, day: int, value: float) -> None:
        self.slots[day % self.days].append(value)

    def extend(self, day: int, values: list[float]) -> None:
        self.slots[day % self.days].extend(values)

    def clear(self, day: int) -> None:
        self.slots[day % self.days] = []

    def values(self) -> list[float]:
        """The window's values, oldest slot index first."""
        return [x for slot in self.slots for x in slot]

    def array(self) -> np.ndarray:
        """:meth:`values` as an array (slots that have not changed are not copied
        again)."""
        parts = []
        for i, slot in enumerate(self.slots):
            cached = self._arrays[i]
            if cached is None or cached[0] is not slot or cached[1] != len(slot):
                cached = (slot, len(slot), np.array(slot, dtype=float))
                self._arrays[i] = cached
            parts.append(cached[2])
        return np.concatenate(parts)


def contact_trust(model: CommunityModel, a: np.ndarray, b: np.ndarray) -> None:
    """Both residents of each positive contact (a_i, b_i) have a good experience: their
    social trust moves a share ``interaction.trust_gain`` of the way to 1, times
    ``1 + interaction.bridging_bonus`` across origins (intergroup contact; Pettigrew &
    Tropp 2006), by the shared trust rule
    (:func:`govsim.processes.attitudes.experience_trust`)."""
    st, q = model.state, model.params.section("interaction")
    rate = q.trust_gain * (1.0 + q.bridging_bonus * (st.origin[a] != st.origin[b]))
    experience_trust(model, np.concatenate([a, b]), 1.0, np.concatenate([rate, rate]))


def occurrences(keys: np.ndarray) -> np.ndarray:
    """For each entry, how many earlier entries hold the same key (0 for the first).

    Example
    -------
    >>> occurrences(np.array([5, 3, 5, 5, 3])).tolist()
    [0, 0, 1, 2, 1]
    """
    keys = np.asarray(keys)
    order = np.argsort(keys, kind="stable")
    ordered = keys[order]
    pos = np.arange(len(keys))
    start = np.maximum.accumulate(np.where(np.r_[True, ordered[1:] != ordered[:-1]],
                                           pos, 0)) if len(keys) else pos
    out = np.empty(len(keys), np.int64)
    out[order] = pos - start
    return out


def meet_in_turn(model: CommunityModel, a: np.ndarray, b: np.ndarray, kind: int,
                 gain: float) -> int:
    """Several groups meet one after another, each group's pairs (a_i, b_i) given in
    turn: the same as :func:`strengthen_or_form` on each group in that order (a pair's
    first meeting forms its tie if missing, every later one strengthens it), with one
    merge of the tie arrays. Pairs within one group must be distinct.

    Returns the number of ties formed.
    """
    t = model.ties
    a, b = np.asarray(a, dtype=np.int64), np.asarray(b, dtype=np.int64)
    lo, hi = np.minimum(a, b), np.maximum(a, b)
    keys = lo * t.n + hi
    level = occurrences(keys)
    first_new = (t.find_keys(keys) < 0) & (level == 0)
    formed = t.add(a[first_new], b[first_new],
                   model.params["interaction.new_tie_strength"], kind)
    meets = ~first_new
    for k in range(int(level.max()) + 1 if len(level) else 0):
        e = t.find_keys(keys[meets & (level == k)])
        t.w[e] += gain * (1.0 - t.w[e])
    return formed


def strengthen_or_form(model: CommunityModel, a: np.ndarray, b: np.ndarray, kind: int,
                       gain: float = 0.0, new_strength: float | None = None,
                       floor: float | None = None) -> int:
    """A meeting of a_i and b_i in a shared setting (Feld 1981): an existing tie is
    strengthened, ``w <- w + gain (1 - w)`` (or raised to ``floor``), and a missing one
    is formed with ``new_strength`` (default ``interaction.new_tie_strength``).

    Returns the number of ties formed.
    """
    t = model.ties
    if new_strength is None:
        new_strength = model.params["interaction.new_tie_strength"]
    found = t.find(a, b)
    have = found >= 0
    e = found[have]
    if floor is not None:
        t.w[e] = np.maximum(t.w[e], floor)
    else:
        t.w[e] += gain * (1.0 - t.w[e])
    return t.add(a[~have], b[~have], new_strength, kind)
