"""The ``govsim`` command.

Verbs: ``list``, ``show NAME``, ``run NAME`` (and the experiment verbs registered by
:mod:`govsim.experiment`). Every verb that runs a model takes the same common options:
``--steps``, ``--seed``, ``--residents``, ``--set key=value`` (repeatable) and ``--out``.

Bad input (unknown names, wrong types, out-of-range values, malformed files, occupied
outputs) prints one line on stderr and exits with status 2, without a traceback and
without overwriting anything. A write that fails midway (a full disk, a lost permission,
a read-only device) prints one line and exits with status 3 (see :data:`EXIT_STATUS`).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

__all__ = ["main", "UserError", "add_common", "check_writable", "parse_sets",
           "write_csv_atomic", "EXIT_STATUS", "RUN_EXIT_STATUS"]


#: exit statuses of the verbs that write an output folder (compare, sweep), for --help
EXIT_STATUS = """exit status:
  0  success
  1  some runs failed (their tracebacks are in the 'error' column of runs.csv)
  2  bad input, nothing written: unknown names, bad values, malformed TOML, an
     unwritable path, an occupied folder, a folder another govsim is writing
  3  a write failed midway (no space, permission lost, read-only device); the
     folder keeps its committed runs: fix the cause and rerun with --resume"""

#: exit statuses of ``govsim run`` (one CSV file), for --help
RUN_EXIT_STATUS = """exit status:
  0  success
  2  bad input, nothing written: unknown names, bad values, an unwritable path
  3  a write failed midway (no space, permission lost, read-only device);
     nothing is left half-written: fix the cause and rerun"""


class UserError(Exception):
    """Bad input: reported in one line with exit status 2."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2
        raise UserError(f"{self.prog}: {message}")


def add_common(p: argparse.ArgumentParser, out_help: str = "output file") -> None:
    """The options shared by every verb that runs a model."""
    p.add_argument("--steps", type=positive_int, default=None,
                   help="days to simulate (default: 365)")
    p.add_argument("--seed", type=_nonneg_int, default=0, help="master seed (default 0)")
    p.add_argument("--residents", type=positive_int, default=None,
                   help="number of residents (overrides the scenario's size)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter by its dotted key (repeatable)")
    p.add_argument("--out", default=None, help=out_help)
    p.add_argument("--force", action="store_true", help="overwrite existing output")


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def _nonneg_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer >= 0, got {text!r}")
    return value


def parse_sets(items: Sequence[str]) -> dict[str, str]:
    """``["a.b=1", ...]`` to ``{"a.b": "1"}``; values are typed by the parameter tree."""
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set expects KEY=VALUE, got {item!r}")
        out[key.strip()] = value.strip()
    return out


def check_writable(path: Path, force: bool) -> None:
    """Refuse, before any work, an output file that cannot or may not be written."""
    if path.is_dir():
        raise UserError(f"cannot write {path}: it is a folder")
    if path.exists() and not force:
        raise UserError(f"{path} already exists (use --force to overwrite)")
    parent = path.parent if str(path.parent) else Path(".")
    if parent.exists() and not parent.is_dir():
        raise UserError(f"cannot write {path}: {parent} is not a folder")
    if not parent.is_dir():
        raise UserError(f"cannot write {path}: folder {parent} does not exist")
    if not os.access(parent, os.W_OK):
        raise UserError(f"cannot write {path}: folder {parent} is not writable")
    # permissions do not bind root, and /proc or a read-only mount refuse anyone: try
    try:
        fd, probe = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
    except OSError as exc:
        raise UserError(f"cannot write {path}: no file can be created in {parent} "
                        f"({exc.strerror or exc})") from None
    os.close(fd)
    os.unlink(probe)


def write_csv_atomic(df, path: Path, force: bool = False) -> None:
    """Write a DataFrame to ``path`` through a temporary file and an atomic rename."""
    path = Path(path)
    check_writable(path, force)
    parent = path.parent if str(path.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=parent)
        try:
            with os.fdopen(fd, "w", newline="") as fh:
                df.to_csv(fh, index=False)
                fh.flush()
                os.fsync(fh.fileno())
            os.replace(tmp, path)
        except BaseException:
            if os.path.exists(tmp):
                os.unlink(tmp)
            raise
    except OSError as exc:
        from govsim.experiment.store import write_failure
        raise write_failure(exc, parent, resumable=False,
                            state=f"{path} was not written") from exc


# -- verbs ---------------------------------------------------------------------------
def cmd_list(args) -> int:
    from govsim.scenario import available, load_scenario
    rows = [load_scenario(name) for name in available()]
    width = max(len(s.name) for s in rows)
    for sc in sorted(rows, key=lambda s: (s.form, s.name)):
        form = f"form {sc.form}" if sc.form else "      "
        print(f"{sc.name:<{width}}  {form}  {sc.title}" + (f" — {sc.place}" if sc.place
                                                          and sc.place != "generic" else ""))
    return 0


def cmd_show(args) -> int:
    from govsim.params import specs
    from govsim.scenario import load_scenario
    sc = load_scenario(args.name)
    print(f"{sc.name}: {sc.title}")
    if sc.place:
        print(f"place: {sc.place}" + (f"   (report form {sc.form})" if sc.form else ""))
    if sc.summary:
        print(f"\n{sc.summary}")
    print(f"\ninstitutions: {', '.join(sc.institutions) or 'none'}")
    if sc.institutions:
        from govsim.institutions import INSTITUTIONS
        for name in sc.institutions:
            cls = INSTITUTIONS[name]
            print(f"  {name}: parameters [{name}.*] (switch {name}.enabled), measures "
                  f"{name}_*, class {cls.__name__} in {cls.__module__}")
    for arm in ("baseline", "intervention"):
        over = sc.arm(arm)
        text = ", ".join(f"{k}={_fmt(v)}" for k, v in over.items()) or "(scenario defaults)"
        print(f"{arm} arm: {text}")
    table = specs()
    for title, ranges in (("levers", sc.levers), ("uncertainties", sc.uncertainties)):
        if ranges:
            print(f"\n{title}:")
            for r in ranges:
                doc = r.doc or table[r.key].doc
                print(f"  {r.key:<36} {_fmt(r.low)} .. {_fmt(r.high)}  {doc}")
    if sc.outcomes:
        print(f"\noutcomes: {', '.join(sc.outcomes)}")
    if sc.primary:
        print(f"primary outcome: {sc.primary}")
    if sc.key_outcomes:
        print(f"key outcomes (Holm-adjusted together): {', '.join(sc.key_outcomes)}")
    if sc.ingredients:
        print("\ningredients (each switched off alone by 'govsim ablate'):")
        for name, over in sc.ingredients.items():
            text = ", ".join(f"{k}={_fmt(v)}" for k, v in over.items())
            print(f"  {name:<20} {text}")
    if sc.figures:
        print("\nreport figures:")
        for f in sc.figures:
            print(f"  - {f}")
    if sc.source:
        print(f"source: {sc.source}")
    p = sc.params("baseline")
    print("\nparameters (value in the baseline arm; range; unit; meaning):")
    section = None
    for key in sorted(p):
        s = table[key]
        if s.section != section:
            section = s.section
            print(f"  [{section}]")
        print(f"  {key:<38} {_fmt(p[key]):<12} {s.range_text():<18} {s.unit:<14} {s.doc}")
    return 0


def _fmt(v) -> str:
    if isinstance(v, tuple):
        return ",".join(map(_fmt, v)) or "()"
    if isinstance(v, bool):
        return str(v).lower()
    if isinstance(v, float):
        return f"{v:g}"
    return str(v)


def cmd_run(args) -> int:
    from govsim.model import CommunityModel
    from govsim.scenario import load_scenario
    sc = load_scenario(args.name)
    params = sc.params(args.arm, parse_sets(args.sets), residents=args.residents)
    out = Path(args.out) if args.out else None
    if out is not None:
        check_writable(out, args.force)
    steps = args.steps or 365
    model = CommunityModel(params=params, rng=args.seed)
    model.run_for(steps)
    df = model.timeseries()
    if out is not None:
        write_csv_atomic(df, out, force=args.force)
    tail = df.iloc[-max(1, steps // 4):]
    shown = list(dict.fromkeys([*sc.outcomes, "conflict_rate", "bridging_share",
                                "legitimacy_mean", "needs_met_share"]))
    print(f"{sc.name} ({args.arm}), {params['community.residents']} residents, "
          f"{steps} days, seed {args.seed}; mean over the last quarter:")
    for name in shown:
        if name in tail:
            print(f"  {name:<32} {tail[name].mean():.4g}")
    if out is not None:
        print(f"wrote {out} ({len(df)} rows, {df.shape[1]} columns)")
    return 0


def cmd_dashboard(args) -> int:
    try:  # the web stack is an extra: the base install never imports it
        import solara  # noqa: F401

        from govsim.dashboard import server
    except ImportError:
        raise UserError("govsim dashboard: the dashboard needs its extra: "
                        "pip install 'govsim[dashboard]' (or run 'make dashboard')") from None
    problem = server.check_address(args.host, args.port)
    if problem:
        raise UserError(f"govsim dashboard: {problem}")
    return server.serve(args.host, args.port, args.workers, not args.no_browser)


def _port(text: str) -> int:
    value = _nonneg_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port in [0, 65535], got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from govsim import __version__
    parser = _Parser(prog="govsim", description="Agent-based simulation of community "
                     "governance networks (five forms of innovation).", epilog=EXIT_STATUS,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"govsim {__version__}")
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    p = sub.add_parser("list", help="list the built-in scenarios")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", help="describe a scenario and its parameters")
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("run", help="run one arm of a scenario, one row per day",
                       epilog=RUN_EXIT_STATUS,
                       formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--arm", choices=("baseline", "intervention"), default="baseline")
    add_common(p, "CSV file for the daily measures")
    p.set_defaults(func=cmd_run)
    p = sub.add_parser("dashboard", help="open the browser dashboard (extra: dashboard)")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0: any free)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--workers", type=_nonneg_int, default=min(2, os.cpu_count() or 1),
                   help="processes running the models, shared by all sessions")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_dashboard)
    try:
        from govsim.experiment import cli as experiment_cli
    except ImportError:
        experiment_cli = None
    if experiment_cli is not None:
        experiment_cli.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    from govsim import cli as _cli  # under ``python -m govsim.cli`` this module is __main__
    from govsim.params import ParamError
    from govsim.scenario import ScenarioError
    errors: tuple[type[BaseException], ...] = (UserError, _cli.UserError, ParamError,
                                               ScenarioError)
    write_errors: tuple[type[BaseException], ...] = ()
    try:
        from govsim.experiment import INPUT_ERRORS, WRITE_ERRORS
        errors += tuple(INPUT_ERRORS)
        write_errors += tuple(WRITE_ERRORS)
    except ImportError:
        pass
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        return int(args.func(args) or 0)
    except errors as exc:
        msg = str(exc)
        if not msg.startswith("govsim"):
            msg = f"govsim: error: {msg}"
        print(msg.splitlines()[0] if msg else "govsim: error", file=sys.stderr)
        return 2
    except write_errors as exc:
        print(f"govsim: error: {str(exc).splitlines()[0]}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        print("govsim: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # output piped into e.g. `head`: stop quietly
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except OSError as exc:  # a write the verbs do not guard themselves: one line all the same
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"govsim: error: {where}{exc.strerror or exc}", file=sys.stderr)
        return 3


if __name__ == "__main__":
    sys.exit(main())
