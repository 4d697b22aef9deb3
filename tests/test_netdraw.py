"""The network picture shows whole wards, their organizations and all five kinds."""

import matplotlib

matplotlib.use("Agg")

from govsim import api  # noqa: E402
from govsim.netdraw import draw_network, network_sample  # noqa: E402


def test_the_sample_keeps_whole_wards_and_all_kinds_of_subjects():
    m = api.build("baseline", residents=1500, seed=2)
    sub = network_sample(m, residents=200)
    kinds = {d["kind"] for _, d in sub.nodes(data=True)}
    assert kinds == {"Resident", "GovernmentOrg", "PrivateOrg", "SocialOrg",
                     "SelfGovernanceOrg"}
    residents = [v for v, d in sub.nodes(data=True) if d["kind"] == "Resident"]
    assert 150 <= len(residents) <= 200
    ax = draw_network(m, residents=200)
    assert "of 1500 residents" in ax.get_title()
