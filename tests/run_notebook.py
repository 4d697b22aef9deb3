"""Execute one notebook headless and write the executed copy (used by test_notebooks).

Usage: python tests/run_notebook.py IN.ipynb OUT.ipynb WORKDIR

Exits with status 75 (EX_TEMPFAIL) when a cell gets no reply in time: a cell that takes
seconds at the test size and hears nothing for 45 s is a kernel that lost a message,
not a failing notebook, and the caller runs it again.
"""

import sys

import nbclient
import nbformat
from nbclient.exceptions import CellTimeoutError

#: exit status for a lost reply, so the caller can tell it from an error in a cell
LOST_REPLY = 75


def main(src: str, dst: str, workdir: str) -> int:
    nb = nbformat.read(src, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=45, startup_timeout=45,
                                     kernel_name="python3",
                                     resources={"metadata": {"path": workdir}})
    try:
        client.execute()
    except CellTimeoutError as err:
        print(f"no reply from the kernel: {err}", file=sys.stderr)
        return LOST_REPLY
    nbformat.write(nb, dst)
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
