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

if TYPE_CHECKING:
    from govsim.model import CommunityModel

__all__ = ["draw_network", "network_sample"]

KIND_COLOURS = {"GovernmentOrg": "tab:red", "PrivateOrg": "tab:purple",
                "SocialOrg": "tab:green", "SelfGovernanceOrg": "tab:orange"}
ORIGIN_COLOURS = {"established": "tab:blue", "migrant": "gold"}


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
    res = [n for n, d in sub.nodes(data=True) if d["kind"] == "Resident"]
    org = [n for n, d in sub.nodes(data=True) if d["kind"] != "Resident"]
    widths = [0.3 + 1.5 * d.get("weight", 0.5) for _, _, d in sub.edges(data=True)]
    nx.draw_networkx_edges(sub, pos, ax=ax, width=widths, alpha=0.25)
    nx.draw_networkx_nodes(sub, pos, nodelist=res, ax=ax, node_size=25,
                           node_color=[ORIGIN_COLOURS[sub.nodes[n]["origin"]] for n in res])
    nx.draw_networkx_nodes(sub, pos, nodelist=org, ax=ax, node_size=90, node_shape="s",
                           node_color=[KIND_COLOURS[sub.nodes[n]["kind"]] for n in org])
    handles = [plt.Line2D([], [], marker="o", ls="", color=c, label=f"resident ({k})")
               for k, c in ORIGIN_COLOURS.items()]
    handles += [plt.Line2D([], [], marker="s", ls="", color=c, label=k)
                for k, c in KIND_COLOURS.items()]
    ax.legend(handles=handles, fontsize=8, loc="upper left", bbox_to_anchor=(1, 1))
    ax.set_axis_off()
    ax.set_title(f"{len(res)} of {model.state.n} residents and {len(org)} organizations")
    return ax
