"""Start the dashboard's web server (Solara on uvicorn) in this process."""

from __future__ import annotations

import os
import socket
import sys

__all__ = ["MISSING", "check_address", "serve"]

MISSING = ("the dashboard needs its extra: pip install 'govsim[dashboard]' "
           "(or run 'make dashboard')")


def check_address(host: str, port: int) -> str:
    """Why ``host:port`` cannot be served, or ``""`` when it can."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot serve on host {host!r}: {exc.strerror}"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as exc:
            return f"cannot serve on {host}:{port}: {exc.strerror}"
    return ""


def serve(host: str = "127.0.0.1", port: int = 8765, workers: int = 2,
          open_browser: bool = True) -> int:
    """Serve the dashboard until interrupted.

    Parameters
    ----------
    host, port : where to listen (``port=0`` picks a free port).
    workers : processes running the models, shared by all browser sessions (0: run
        them in each session's thread).
    open_browser : open the page in the default browser.
    """
    os.environ["GOVSIM_DASHBOARD_WORKERS"] = str(workers)
    from govsim.dashboard import assets
    if assets.missing():
        print("govsim: the page's browser code is not cached; fetching it "
              "(python -m govsim.dashboard.assets)", file=sys.stderr, flush=True)
        assets.main()
    from solara.__main__ import run
    args = ["govsim.dashboard.app", "--host", host, "--port", str(port), "--production",
            "--no-check-version", "--log-level", "warning",
            "--open" if open_browser else "--no-open"]
    print(f"govsim dashboard on http://{host}:{port}/ (Ctrl-C stops it)", flush=True)
    run.main(args=args, prog_name="govsim dashboard", standalone_mode=False)
    return 0
