"""The experiment verbs of the govsim command: compare, sweep, plot."""

from __future__ import annotations

import argparse
from pathlib import Path

from govsim.cli import (
    EXIT_STATUS,
    UserError,
    add_common,
    check_writable,
    parse_sets,
    positive_int,
)


def _executor_options(p) -> None:
    p.add_argument("--workers", type=positive_int, default=None,
                   help="processes to use (default: all cores; 1 runs serially)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:PORT, or 'local' to start one")
    p.add_argument("--resume", action="store_true",
                   help="complete the missing runs of an interrupted job in --out")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def cmd_compare(args) -> int:
    from govsim.experiment.sweep import compare
    from govsim.scenario import load_scenario
    sc = load_scenario(args.name)
    out = Path(args.out) if args.out else Path("results") / f"compare-{sc.name}"
    table = compare(args.name, replicates=args.replicates, steps=args.steps or 365,
                    seed=args.seed, residents=args.residents, set=parse_sets(args.sets),
                    workers=args.workers, scheduler=args.scheduler, out=out,
                    force=args.force, resume=args.resume, quiet=args.quiet)
    key = table.attrs.get("key_outcomes") or list(table["outcome"][:8])
    shown = table[table["outcome"].isin(key)]
    print(f"{sc.name}: intervention - baseline, {args.replicates} paired replicates, "
          f"{args.steps or 365} days (mean over the last quarter; 95% CI of the paired "
          "differences)")
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"all {len(table)} outcomes in {out / 'effects.csv'}; figures "
          f"{out / 'effects.png'} and {out / 'timeseries.png'}")
    return _failed(table.attrs.get("failed", 0), out)


def cmd_sweep(args) -> int:
    from govsim.experiment.spec import load_spec
    from govsim.experiment.sweep import run_sweep
    spec = load_spec(args.spec)
    out = Path(args.out) if args.out else Path("results") / Path(args.spec).stem
    result = run_sweep(spec, out, workers=args.workers, scheduler=args.scheduler,
                       resume=args.resume, force=args.force, quiet=args.quiet)
    print(f"{result.runs} runs of {Path(spec.scenario).stem} written to {out}/ "
          "(runs.csv, timeseries.csv, manifest.json)")
    return _failed(result.failed, out)


def _failed(failed: int, out: Path) -> int:
    if failed:
        import sys
        print(f"govsim: {failed} run(s) failed; their tracebacks are in the 'error' column "
              f"of {out / 'runs.csv'}", file=sys.stderr)
        return 1
    return 0


def cmd_plot(args) -> int:
    from govsim.plots import plot_folder
    folder = Path(args.folder)
    if not (folder / "manifest.json").is_file() or not (folder / "runs.csv").is_file():
        raise UserError(f"{folder} holds no compare or sweep results")
    import pandas as pd
    columns = pd.read_csv(folder / "runs.csv", nrows=0).columns
    known = [c[:-5] for c in columns if c.endswith("_mean")]
    for name in args.outcome or []:
        if name not in known:
            from govsim.params import suggest
            raise UserError(f"unknown outcome '{name}'{suggest(name, known)}")
    if args.out:
        check_writable(Path(args.out), force=True)
    for path in plot_folder(folder, args.outcome, args.out):
        print(f"wrote {path}")
    return 0


def register(sub) -> None:
    """Add compare, sweep and plot to the govsim command."""
    folder_verb = {"epilog": EXIT_STATUS,
                   "formatter_class": argparse.RawDescriptionHelpFormatter}
    p = sub.add_parser("compare", help="paired comparison of a scenario's two arms",
                       **folder_verb)
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--replicates", type=positive_int, default=10,
                   help="paired replicates (default 10)")
    add_common(p, "output folder (default results/compare-NAME)")
    _executor_options(p)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser("sweep", help="run a sweep specification (TOML)", **folder_verb)
    p.add_argument("spec", help="the sweep specification, a TOML file")
    p.add_argument("--out", default=None, help="output folder (default results/SPEC)")
    p.add_argument("--force", action="store_true", help="replace existing results")
    _executor_options(p)
    p.set_defaults(func=cmd_sweep)
    p = sub.add_parser("plot", help="draw the figures of a compare or sweep folder")
    p.add_argument("folder", help="a folder written by compare or sweep")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="an outcome to plot (repeatable)")
    p.add_argument("--out", default=None, help="figure file (PNG)")
    p.set_defaults(func=cmd_plot)
