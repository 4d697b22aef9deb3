"""The ``govsim`` command.

Verbs: ``list``, ``show NAME``, ``measures [NAME]``, ``run NAME``, ``dashboard`` and the
experiment verbs of :mod:`govsim.cli_experiment` (``compare``, ``sweep``, ``ablate``,
``sensitivity``, ``plot``, ``export``). Every verb that runs a model takes the same common options:
``--steps``, ``--seed``, ``--residents``, ``--set key=value`` (repeatable) and ``--out``.

A setting that runs but may not mean what it seems (:mod:`govsim.checks`) prints one
``govsim: warning:`` line on stderr and goes on. Bad input (unknown names, wrong types,
out-of-range values, malformed files, occupied outputs) prints one line on stderr and
exits with status 2, without a traceback and
without overwriting anything. A write that fails midway (a full disk, a lost permission,
a read-only device) prints one line and exits with status 3 (see :data:`EXIT_STATUS`).
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path

from govsim import cli_experiment
from govsim.checks import SettingWarning
from govsim.cliutil import (
    EXIT_STATUS,
    RUN_EXIT_STATUS,
    Parser,
    UserError,
    add_common,
    check_writable,
    nonneg_int,
    parse_sets,
    positive_int,
    wrapped,
    write_csv_atomic,
)

__all__ = ["EXIT_STATUS", "RUN_EXIT_STATUS", "UserError", "add_common", "build_parser",
           "check_writable", "main", "parse_sets", "positive_int", "write_csv_atomic"]


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
    scales = sc.scales_with_residents
    print("with --residents: " + (f"{', '.join(scales)} scale(s) in proportion; the rest "
                                  "stays" if scales else "the structure stays (communities "
                                  "and organizations keep their number and shrink)"))
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
    from govsim.api import active_keys
    p = sc.params("baseline")
    keys = sorted(p) if args.all else active_keys(sc)
    which = ("every parameter" if args.all else "the parameters of the core and of "
             f"{', '.join(sc.institutions) or 'no institution'} (--all: every parameter)")
    print(f"\n{which}; value in the baseline arm, range, unit, meaning "
          "([calibrated: NAME]: the default is the posterior median of "
          "calibrations/NAME.toml):")
    section = None
    for key in keys:
        s = table[key]
        if s.section != section:
            section = s.section
            print(f"  [{section}]")
        value = _short(_fmt(p[key]), 10)
        mark = ""
        if key in sc.calibrated:
            mark = f" [calibrated: {sc.calibrated[key]}]"
        elif s.calibrated:
            mark = f" [calibrated: {s.calibrated}" + (
                "]" if p[key] == s.default else f"; this scenario sets its own, the "
                f"calibrated default is {_fmt(s.default)}]")
        print(f"  {key:<38} {value:<10} {s.range_text():<16} {_short(s.unit, 12):<12} "
              f"{s.doc}{mark}")
    return 0


def _short(text: str, width: int) -> str:
    """A cell that keeps its column: long text is cut with an ellipsis."""
    return text if len(text) <= width else text[: width - 1] + "…"


def cmd_measures(args) -> int:
    from govsim.catalog import measure_table
    table = measure_table(args.name)
    if args.csv:
        table.to_csv(sys.stdout, index=False)
        return 0
    where = f"the columns of {args.name}'s runs" if args.name else "every measure"
    print(f"{where}: name, kind (day: of the day; total: since day 0; window: over the "
          "last metrics.window_days days; state: level at the day's end), unit, better "
          "direction, formula reference, meaning")
    width = max(len(n) for n in table["measure"])
    group = None
    for r in table.itertuples():
        if r.group != group:
            group = r.group
            print(f"  [{group}]")
        print(f"  {r.measure:<{width}}  {r.kind:<6} {_short(r.unit, 16):<16} "
              f"{r.better:<6} {r.formula:<9} {r.meaning}")
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
    else:
        print("no file written: --out FILE.csv writes one row per day (step, then every "
              "measure)")
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
    value = nonneg_int(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"expected a port in [0, 65535], got {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    from govsim import __version__
    parser = Parser(prog="govsim", description="Agent-based simulation of community "
                     "governance networks (five forms of innovation).", epilog=EXIT_STATUS,
                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"govsim {__version__}")
    sub = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)

    def verb(name: str, text: str, description: str, **kw):
        return sub.add_parser(name, help=text, description=wrapped(description), **kw)

    p = verb("list", "list the built-in scenarios",
             "List the built-in scenarios, one per case of the report, with their form.")
    p.set_defaults(func=cmd_list)
    p = verb("show", "describe a scenario and its parameters",
             "Describe a scenario: its institutions, how it scales with --residents, its "
             "arms, levers, uncertainties, outcomes, ingredients, the report's figures, and "
             "the parameters of the core and of its institutions with their values, "
             "ranges and units. Writes nothing.")
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--all", action="store_true",
                   help="list every parameter, also of institutions the scenario does not use")
    p.set_defaults(func=cmd_show)
    p = verb("measures", "list the measures with their meaning, unit and good direction",
             "List every measure (the CSV columns of a run): its group, kind (day, total, "
             "window or state), unit, which direction is better, the ODD section with its "
             "formula, and its meaning in plain words. Writes nothing.")
    p.add_argument("name", nargs="?", default=None,
                   help="a scenario: only the columns of its runs (default: every measure)")
    p.add_argument("--csv", action="store_true", help="print the table as CSV")
    p.set_defaults(func=cmd_measures)
    p = verb("run", "run one arm of a scenario, one row per day",
             "Run one arm of a scenario and print the mean of its outcomes over the last "
             "quarter of the horizon. With --out, write the daily measures to a CSV file: "
             "one row per day, 'step' then every measure ('govsim measures NAME' explains "
             "the columns).", epilog=RUN_EXIT_STATUS,
             formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--arm", choices=("baseline", "intervention"), default="baseline",
                   help="which arm of the scenario to run (default: baseline)")
    add_common(p, "CSV file for the daily measures (default: none is written)")
    p.set_defaults(func=cmd_run)
    p = verb("dashboard", "open the browser dashboard (extra: dashboard)",
             "Serve the browser dashboard: choose a scenario and two settings, run them on "
             "common seeds and compare them. Needs the dashboard extra.")
    p.add_argument("--port", type=_port, default=8765, help="port (default 8765; 0: any free)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--workers", type=nonneg_int, default=min(2, os.cpu_count() or 1),
                   help="processes running the models, shared by all sessions")
    p.add_argument("--no-browser", action="store_true", help="do not open a browser")
    p.set_defaults(func=cmd_dashboard)
    cli_experiment.register(sub)
    return parser


def _one_line_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Setting warnings as one ``govsim: warning:`` line; others as Python prints them
    (the signature of :func:`warnings.showwarning`)."""
    if issubclass(category, SettingWarning):
        print(f"govsim: warning: {message}", file=sys.stderr)
    else:
        print(warnings.formatwarning(message, category, filename, lineno, line),
              file=file or sys.stderr, end="")


def main(argv: Sequence[str] | None = None) -> int:
    from govsim.experiment import INPUT_ERRORS, WRITE_ERRORS
    from govsim.params import ParamError
    from govsim.scenario import ScenarioError
    errors = (UserError, ParamError, ScenarioError, *INPUT_ERRORS)
    write_errors = tuple(WRITE_ERRORS)
    try:
        parser = build_parser()
        Parser.argv = list(sys.argv[1:] if argv is None else argv)
        args = parser.parse_args(argv)
        with warnings.catch_warnings():
            warnings.simplefilter("always", SettingWarning)
            warnings.showwarning = _one_line_warning
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
