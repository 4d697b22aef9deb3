"""Execute one notebook headless and write the executed copy (used by test_notebooks).

Usage: python tests/run_notebook.py IN.ipynb OUT.ipynb WORKDIR
"""

import sys

import nbclient
import nbformat


def main(src: str, dst: str, workdir: str) -> None:
    nb = nbformat.read(src, as_version=4)
    client = nbclient.NotebookClient(nb, timeout=600, startup_timeout=120,
                                     kernel_name="python3",
                                     resources={"metadata": {"path": workdir}})
    client.execute()
    nbformat.write(nb, dst)


if __name__ == "__main__":
    main(*sys.argv[1:4])
