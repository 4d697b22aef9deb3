"""Opinion dynamics and supermajority voting used by the Deliberation Hall.

Pure functions, independent of the model, so that they can be docked against published
results and checked for their invariants.
"""

from __future__ import annotations

import numpy as np

from govsim.processes.rules import votes_needed

__all__ = ["deffuant", "votes_needed", "passes", "count_clusters"]


def deffuant(x: np.ndarray, epsilon: float, mu: float, encounters: int,
             rng: np.random.Generator, anchor: np.ndarray | None = None,
             stubbornness: np.ndarray | None = None) -> np.ndarray:
    """Bounded-confidence opinion dynamics (Deffuant, Neau, Amblard & Weisbuch 2000).

    In each encounter two distinct agents i, j are drawn at random; if
    |x_i - x_j| < epsilon both move towards each other, x_i += mu (x_j - x_i) and
    x_j += mu (x_i - x_j). Agents with a stubbornness s > 0 are then pulled back towards
    their anchor, x <- (1 - s) x + s anchor (a Friedkin & Johnsen 1990 anchor).

    Parameters
    ----------
    x : array of opinions in [0, 1] (copied)
    epsilon : confidence bound
    mu : convergence parameter in (0, 0.5]
    encounters : number of pairwise encounters
    rng : numpy Generator
    anchor, stubbornness : optional per-agent anchors and weights in [0, 1]

    Returns
    -------
    numpy.ndarray
        The opinions after the encounters.

    Example
    -------
    >>> out = deffuant(np.array([0.4, 0.6]), 0.5, 0.5, 1, np.random.default_rng(0))
    >>> out.tolist()
    [0.5, 0.5]

    References
    ----------
    Deffuant, G., Neau, D., Amblard, F. & Weisbuch, G. (2000). Mixing beliefs among
    interacting agents. Advances in Complex Systems 3:87-98.
    """
    x = np.array(x, dtype=float)
    n = len(x)
    if n < 2:
        return x
    i = rng.integers(n, size=encounters)
    j = rng.integers(n - 1, size=encounters)
    j = j + (j >= i)
    stubborn = stubbornness is not None and np.any(stubbornness > 0)
    for a, b in zip(i.tolist(), j.tolist(), strict=True):
        xa, xb = x[a], x[b]
        if abs(xa - xb) < epsilon:
            x[a] = xa + mu * (xb - xa)
            x[b] = xb + mu * (xa - xb)
            if stubborn:
                for k in (a, b):
                    s = stubbornness[k]
                    if s > 0:
                        x[k] = (1 - s) * x[k] + s * anchor[k]
    return x


def passes(yes: np.ndarray, threshold: float) -> bool:
    """Whether a motion with these yes votes (booleans, one per member) passes."""
    return int(np.count_nonzero(yes)) >= votes_needed(len(yes), threshold)


def count_clusters(x: np.ndarray, gap: float = 0.02, min_size: int = 2) -> int:
    """Number of opinion clusters: groups separated by more than ``gap``, counting only
    groups of at least ``min_size`` agents (isolated extremists are not clusters)."""
    xs = np.sort(np.asarray(x))
    if len(xs) == 0:
        return 0
    breaks = np.nonzero(np.diff(xs) > gap)[0]
    sizes = np.diff(np.concatenate([[0], breaks + 1, [len(xs)]]))
    return int(np.count_nonzero(sizes >= min_size))
