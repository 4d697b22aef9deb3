import os

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    """Keep each statistical test file on one xdist worker, so that its tests share the
    runs they have in common (see tests.helpers.run_arm). A wrapper, so that the groups
    are marked before xdist's own hook reads them."""
    for item in items:
        module = item.module.__name__.rsplit(".", 1)[-1]
        if module.startswith("test_form") or module == "test_dose_response":
            item.add_marker(pytest.mark.xdist_group(module))
    return (yield)
