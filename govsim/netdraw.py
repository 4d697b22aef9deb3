"""Pictures of the community network, readable at any size.

Large communities are drawn from a sample: a few wards' residents (with all their ties
among themselves) plus every organization tied to them, laid out with a seeded spring
layout on the sample only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import networkx as nx
import numpy as np

from govsim.style import KIND_COLOURS, ORIGIN_COLOURS  # one palette everywhere

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["draw_network", "network_sample"]



def network_sample(model: CommunityModel, residents: int = 250, seed: int = 0) -> nx.Graph:
    """The subgraph of whole wards (about ``residents`` residents) and their organizations.

    Parameters
    ----------
    model : CommunityModel
    residents : int
        Approximate number of residents to keep.
    seed : int
        Seed of the ward choice (drawing never touches the model's random streams).
    """
    g = model.graph()
    ws = model.community.ward_start
    rng = np.random.default_rng(seed)
    keep: list[int] = []
    for w in rng.permutation(len(ws) - 1):
        keep.extend(range(int(ws[w]), int(ws[w + 1])))
        if len(keep) >= residents:
            break
    keep_set = set(keep[: max(residents, 1)])
    n = model.state.n
    orgs = {o for r in keep_set for o in g.neighbors(r) if o >= n}
    # government reaches residents through committees: show the office and a few departments
    gov = sorted({o for c in orgs if g.nodes[c]["kind"] == "SelfGovernanceOrg"
                  for o in g.neighbors(c) if g.nodes[o]["kind"] == "GovernmentOrg"})
    return g.subgraph(keep_set | orgs | set(gov[:4])).copy()


def draw_network(model: CommunityModel, residents: int = 250, ax=None, seed: int = 0):
    """Draw a readable sample of the network coloured by kind and origin.

    Residents are dots coloured by origin; organizations are squares coloured by kind;
    tie width follows strength. Returns the matplotlib Axes.
    """
    sub = network_sample(model, residents, seed)
    pos = nx.spring_layout(sub, seed=seed, k=1.5 / np.sqrt(max(len(sub), 1)))
    if ax is None:
        _, ax = plt.subplots(figsize=(8, 7))
    res, org = draw_sample(ax, sub, pos, (0.3, 1.5), (25, 90))
    ax.legend(handles=legend_handles(), fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_axis_off()
    ax.set_title(f"{len(res)} of {model.state.n} residents and {len(org)} organizations")
    return ax


def draw_sample(ax, g: nx.Graph, pos: dict, width: tuple[float, float] = (0.3, 1.5),
                sizes: tuple[int, int] = (25, 90)) -> tuple[list, list]:
    """Draw a sampled graph on ``ax``: residents as dots coloured by origin, organizations
    as squares coloured by kind, tie width ``width[0] + width[1] * strength``. Returns the
    resident and organization nodes drawn."""
    res = [n for n, d in g.nodes(data=True) if d["kind"] == "Resident"]
    org = [n for n, d in g.nodes(data=True) if d["kind"] != "Resident"]
    widths = [width[0] + width[1] * d.get("weight", 0.5) for _, _, d in g.edges(data=True)]
    nx.draw_networkx_edges(g, pos, ax=ax, width=widths, alpha=0.25)
    nx.draw_networkx_nodes(g, pos, nodelist=res, ax=ax, node_size=sizes[0],
                           node_color=[ORIGIN_COLOURS[g.nodes[n]["origin"]] for n in res])
    nx.draw_networkx_nodes(g, pos, nodelist=org, ax=ax, node_size=sizes[1], node_shape="s",
                           node_color=[KIND_COLOURS.get(g.nodes[n]["kind"], "black")
                                       for n in org])
    return res, org


def legend_handles() -> list:
    """Legend entries for :func:`draw_sample`: residents by origin, organizations by kind."""
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=f"resident ({k})")
               for k, c in ORIGIN_COLOURS.items()]
    return handles + [plt.Line2D([], [], marker="s", ls="", color=c, label=k)
                      for k, c in KIND_COLOURS.items()]
