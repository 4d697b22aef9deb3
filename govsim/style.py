"""One figure style for every govsim picture: colours, titles, axis labels, ranges.

Colours mean one thing everywhere (Okabe & Ito's colour-blind-safe palette): the baseline
arm is orange and the intervention blue in every comparison; established residents are
green and migrants purple in every split and in the network; "all residents" is black.
Titles are the measure's meaning in words, axis labels carry its unit (from
:mod:`govsim.measures` and the institutions' declarations), intervals are clipped to the
measure's possible range, and daily counts are drawn as a rolling mean whose window the
label states.

References
----------
Okabe, M. & Ito, K. (2008). Color Universal Design: how to make figures and presentations
that are friendly to colorblind people. https://jfly.uni-koeln.de/color/
"""

from __future__ import annotations

import textwrap
from collections.abc import Mapping
from typing import Any

import numpy as np

from govsim.catalog import bounds, is_count, lookup

__all__ = ["ALL_COLOUR", "ARM_COLOURS", "ARM_LABELS", "KIND_COLOURS", "ORIGIN_COLOURS",
           "SMOOTH_DAYS", "VERDICT_COLOURS", "VERDICT_LABELS", "axis_label", "clip", "smooth",
           "title", "what_changed"]

ARM_COLOURS = {"baseline": "#E69F00", "intervention": "#0072B2"}
ARM_LABELS = {"baseline": "baseline arm", "intervention": "intervention arm"}
ORIGIN_COLOURS = {"established": "#009E73", "migrant": "#CC79A7"}
ALL_COLOUR = "#000000"
KIND_COLOURS = {"GovernmentOrg": "#D55E00", "PrivateOrg": "#999999",
                "SocialOrg": "#56B4E9", "SelfGovernanceOrg": "#F0E442"}
#: whether an effect's 95% interval excludes 0, in the measure's good direction
VERDICT_COLOURS = {"better": "#1B7837", "worse": "#B2182B", "unclear": "#777777",
                   "-": "#000000"}
VERDICT_LABELS = {"better": "better: interval excludes 0, good direction",
                  "worse": "worse: interval excludes 0, bad direction",
                  "unclear": "unclear: interval includes 0",
                  "-": "no better direction (a description)"}
#: window of the rolling mean that daily counts are drawn with
SMOOTH_DAYS = 7


def title(name: str, width: int = 38) -> str:
    """A measure's meaning in words (its name when it is not declared), wrapped."""
    m = lookup(name)
    text = m.doc if m is not None and m.doc else name
    text = text[0].upper() + text[1:]
    lines = textwrap.wrap(text, width)
    if len(lines) > 2 and " (" in text:  # the parenthesis explains; the ODD holds it
        lines = textwrap.wrap(text[: text.index(" (")], width)
    return "\n".join(lines[:2])


def axis_label(name: str, smoothed: bool = False) -> str:
    """The y-axis label of a measure: its unit, and the rolling window if smoothed."""
    m = lookup(name)
    unit = (m.unit if m is not None else "") or name
    if m is not None and m.kind == "day" and is_count(m):
        unit = f"{unit} per day"
    if smoothed:
        unit = f"{unit} ({SMOOTH_DAYS}-day mean)"
    return unit


def smooth(name: str, values: np.ndarray) -> tuple[np.ndarray, bool]:
    """Daily counts as a trailing rolling mean over :data:`SMOOTH_DAYS` (along the last
    axis); other measures unchanged. Returns the values and whether they were smoothed."""
    if not is_count(lookup(name)) or lookup(name).kind != "day":
        return values, False
    values = np.atleast_2d(np.asarray(values, dtype=float))
    k = min(SMOOTH_DAYS, values.shape[-1])
    csum = np.cumsum(values, axis=-1)
    out = np.empty_like(values)
    out[..., :k] = csum[..., :k] / np.arange(1, k + 1)
    out[..., k:] = (csum[..., k:] - csum[..., :-k]) / k
    return out, True


def clip(name: str, *arrays: np.ndarray) -> list[np.ndarray]:
    """Arrays (e.g. interval ends) clipped to the measure's possible range."""
    lo, hi = bounds(lookup(name))
    return [np.clip(np.asarray(a, dtype=float), lo, hi) for a in arrays]


def _fmt(v: Any) -> str:
    if isinstance(v, bool):
        return "on" if v else "off"
    if isinstance(v, float):
        return f"{v:.3g}"
    if isinstance(v, tuple | list):
        return ",".join(map(_fmt, v))
    return str(v)


def what_changed(baseline: Mapping[str, Any], intervention: Mapping[str, Any],
                 width: int = 150) -> str:
    """One line saying what the intervention arm changes against the baseline arm.

    Example
    -------
    >>> what_changed({"hall.enabled": False}, {"hall.enabled": True, "hall.threshold": 0.5})
    'intervention vs baseline: hall.enabled off → on; hall.threshold 0.5'
    """
    parts = []
    for key in dict.fromkeys([*intervention, *baseline]):
        a, b = baseline.get(key), intervention.get(key)
        if a == b:
            continue
        parts.append(f"{key} {_fmt(a)} → {_fmt(b)}" if key in baseline else
                     f"{key} {_fmt(b)}")
    text = "intervention vs baseline: " + ("; ".join(parts) or "no parameter differs")
    return text if len(text) <= width else text[: width - 1] + "…"
