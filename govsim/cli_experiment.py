"""The experiment verbs of the govsim command: compare, sweep, ablate, sensitivity, atlas,
plot, export, calibrate.

They belong to the CLI layer: the experiment layer (:mod:`govsim.experiment`) knows
nothing of arguments or exit statuses.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from govsim.cliutil import (
    EXIT_STATUS,
    UserError,
    add_common,
    at_least_two,
    check_writable,
    nonneg_int,
    parse_sets,
    positive_int,
    wrapped,
)


def _executor_options(p) -> None:
    p.add_argument("--workers", type=positive_int, default=None,
                   help="processes to use (default: all cores; 1 runs serially)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:PORT, or 'local' to start one")
    p.add_argument("--resume", action="store_true",
                   help="complete the missing runs of an interrupted job in --out")
    p.add_argument("--quiet", action="store_true", help="no progress bar")


def _positive_float(text: str) -> float:
    import argparse
    import math
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}") from None
    if not (value > 0 and math.isfinite(value)):
        raise argparse.ArgumentTypeError(f"expected a number > 0, got {text!r}")
    return value


def _warmup_option(p) -> None:
    from govsim.experiment.spec import DEFAULT_WARMUP
    p.add_argument("--warmup", type=nonneg_int, default=None, metavar="W",
                   help=f"days before the institutions switch on; summaries leave them out "
                        f"(default {DEFAULT_WARMUP} when --steps is at least twice that, else 0)")


def cmd_compare(args) -> int:
    from govsim.experiment.sweep import compare
    from govsim.scenario import load_scenario
    sc = load_scenario(args.name)
    out = Path(args.out) if args.out else Path("results") / f"compare-{sc.name}"
    steps = args.steps or 365
    table = compare(args.name, replicates=args.replicates, steps=steps,
                    seed=args.seed, residents=args.residents, set=parse_sets(args.sets),
                    workers=args.workers, scheduler=args.scheduler, out=out,
                    force=args.force, resume=args.resume, quiet=args.quiet,
                    warmup=args.warmup, ci=args.ci, precision=args.precision,
                    absolute=args.absolute, max_replicates=args.max_replicates,
                    posterior=args.posterior, outcomes=args.outcome)
    key = table.attrs.get("key_outcomes") or []
    lead = table.attrs.get("shown") or key or list(table["outcome"][:8])
    shown = table[table["outcome"].isin(lead)]
    ci = ("95% BCa bootstrap CI" if args.ci == "bootstrap" else "95% t CI")
    print(f"{sc.name}: intervention - baseline, {table.attrs['pairs']} paired replicates, "
          f"{steps} days, warm-up {table.attrs['warmup']} days (mean over the last quarter "
          f"after the warm-up; {ci} of the paired differences; p_holm over the "
          f"{len(key)} key outcomes; primary: {table.attrs['primary']})")
    seq = table.attrs.get("sequential")
    if seq:
        verdict = "target met" if seq["target_met"] else "target NOT met"
        print(f"stopping rule: {seq['rule']}; {verdict} with {seq['pairs']} pairs "
              f"(batches of {seq['batch']})")
    cols = ["outcome", "baseline_mean", "intervention_mean", "diff_mean", "ci_low",
            "ci_high", "rel_change", "p_holm", "better", "verdict"]
    print(shown[[c for c in cols if c in shown]].to_string(
        index=False, float_format=lambda x: f"{x:.4g}"))
    print("rel_change: difference as a fraction of |baseline_mean| (0.1 = +10%); better: "
          "the measure's good direction; verdict: better/worse when the interval excludes 0")
    print(f"all {len(table)} outcomes in {out / 'effects.csv'}; figures "
          f"{out / 'effects.png'} and {out / 'timeseries.png'}")
    return _failed(table.attrs.get("failed", 0), out)


def cmd_ablate(args) -> int:
    from govsim.experiment.ablate import ablate
    from govsim.scenario import load_scenario
    sc = load_scenario(args.name)
    out = Path(args.out) if args.out else Path("results") / f"ablate-{sc.name}"
    steps = args.steps or 365
    table = ablate(args.name, replicates=args.replicates, steps=steps, seed=args.seed,
                   residents=args.residents, set=parse_sets(args.sets), warmup=args.warmup,
                   outcomes=args.outcome, workers=args.workers, scheduler=args.scheduler,
                   out=out, force=args.force, resume=args.resume, quiet=args.quiet)
    print(f"{sc.name}: share of the effect each ingredient carries (full - without it, "
          f"over full - baseline), {args.replicates} paired replicates, {steps} days; "
          "95% CIs; 'interaction' is the remainder")
    shown = table[table["component"] != "effect"]
    for outcome, part in shown.groupby("outcome", sort=False):
        eff = part["effect"].iloc[0]
        print(f"\n{outcome}: effect {eff:.4g}")
        print(part.drop(columns=["outcome", "effect", "n_pairs"]).to_string(
            index=False, float_format=lambda x: f"{x:.3g}"))
    print(f"\nwritten: {out / 'ablation.csv'}, {out / 'ablation.png'}")
    return _failed(table.attrs.get("failed", 0), out)


def cmd_sensitivity(args) -> int:
    from govsim.experiment.sensitivity import run_sensitivity
    from govsim.scenario import load_scenario
    sc = load_scenario(args.name)
    out = Path(args.out) if args.out else Path("results") / f"sensitivity-{sc.name}"
    table = run_sensitivity(args.name, method=args.method, n=args.n,
                            factors=args.factor, outcomes=args.outcome, arm=args.arm,
                            replicates=args.replicates, steps=args.steps or 365,
                            seed=args.seed, residents=args.residents,
                            set=parse_sets(args.sets), warmup=args.warmup,
                            workers=args.workers, scheduler=args.scheduler, out=out,
                            force=args.force, resume=args.resume, quiet=args.quiet)
    print(f"{sc.name}: {args.method} indices of the {args.arm} ({table.attrs['points']} "
          f"design points x {args.replicates} replicates on common seeds; 95% bootstrap "
          "intervals)")
    print(table.to_string(index=False, float_format=lambda x: f"{x:.3g}"))
    print(f"written: {out / 'sensitivity.csv'}, {out / 'sensitivity.png'}")
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
    if args.effects_by is not None:
        _check_lever(folder, args.effects_by)
        if args.by_horizon:
            raise UserError("--effects-by and --by-horizon draw different figures: give one")
    if args.out:
        if Path(args.out).suffix.lower() not in (".png", ".pdf", ".svg"):
            raise UserError(f"--out {args.out}: the suffix must be .png, .pdf or .svg")
        check_writable(Path(args.out), force=True)
    if args.by_horizon:
        return _plot_horizon(folder, args.outcome, args.out)
    if _is_atlas(folder):
        return _plot_atlas(folder, args.outcome, args.out)
    for path in plot_folder(folder, args.outcome, args.out, effects_by=args.effects_by):
        print(f"wrote {path}")
    return 0


def _is_atlas(folder: Path) -> bool:
    import json
    return json.loads((folder / "manifest.json").read_text()).get("spec", {}).get(
        "verb") == "atlas"


def _plot_atlas(folder: Path, outcomes, out) -> int:
    """Redraw an atlas's figures from its CSV tables (the interaction heatmap for the
    first --outcome, default the atlas's own)."""
    from govsim import plots
    from govsim.experiment.atlas import read_atlas
    result = read_atlas(folder)
    target = Path(out) if out else folder / "effects.png"
    print(f"wrote {plots.save(plots.atlas_effects(result.effects), target)}")
    if not result.interactions.empty:
        outcome = (outcomes or [result.info.get("outcome", "conflict_rate")])[0]
        target = (Path(out).with_name(Path(out).stem + "-interactions.png") if out
                  else folder / "interactions.png")
        print(f"wrote {plots.save(plots.atlas_interactions(result.interactions, outcome), target)}")
    return 0


def _check_lever(folder: Path, lever: str) -> None:
    """Refuse --effects-by for a lever the folder's sweep did not vary, or one arm."""
    import json

    import pandas as pd
    spec = json.loads((folder / "manifest.json").read_text())["spec"]
    levers = list(spec.get("grid") or {}) + list((spec.get("sample") or {})
                                                 .get("ranges", {}))
    if lever not in levers:
        from govsim.params import suggest
        raise UserError(f"'{lever}' is not a swept lever of {folder}"
                        + (suggest(lever, levers) if levers else
                           " (it holds a comparison, not a sweep)"))
    arms = set(pd.read_csv(folder / "runs.csv", usecols=["arm"])["arm"])
    if arms != {"baseline", "intervention"}:
        raise UserError(f"--effects-by needs both arms in {folder} (arms = [\"baseline\", "
                        "\"intervention\"] in the spec)")


def cmd_export(args) -> int:
    from govsim.cliutil import write_csv_atomic
    from govsim.experiment.sweep import long_table
    folder = Path(args.folder)
    if not (folder / "manifest.json").is_file() or not (folder / "runs.csv").is_file():
        raise UserError(f"{folder} holds no compare or sweep results")
    if not (folder / "timeseries.csv").is_file():
        raise UserError(f"{folder} holds no time series (the spec said timeseries = "
                        "\"none\")")
    out = Path(args.out) if args.out else folder / "long.csv"
    check_writable(out, args.force)
    table = long_table(folder)
    write_csv_atomic(table, out, force=args.force)
    print(f"wrote {out} ({len(table)} rows: {', '.join(table.columns[:7])}, ... and every "
          "measure)")
    return 0


def _plot_horizon(folder: Path, outcomes, out) -> int:
    import json

    import pandas as pd

    from govsim import plots
    from govsim.experiment.horizon import horizon_table
    spec = json.loads((folder / "manifest.json").read_text())["spec"]
    if not (folder / "timeseries.csv").is_file() or spec.get("grid") or spec.get("sample"):
        raise UserError(f"--by-horizon needs a compare folder with timeseries.csv; "
                        f"{folder} is not one")
    primary = None
    if not outcomes and (folder / "effects.csv").is_file():
        eff = pd.read_csv(folder / "effects.csv")
        if "primary" in eff:
            primary = eff.loc[eff["primary"], "outcome"].iloc[0] if eff["primary"].any() \
                else None
            outcomes = list(eff.loc[eff["p_holm"].notna(), "outcome"]) or None
    if not outcomes:
        from govsim.scenario import load_scenario
        sc = load_scenario(spec["scenario"])
        outcomes, primary = list(sc.family()), sc.primary
    table = horizon_table(folder, outcomes)
    csv_path = folder / "horizon.csv"
    tmp = folder / ".horizon.csv.tmp"
    table.to_csv(tmp, index=False)
    tmp.replace(csv_path)
    target = Path(out) if out else folder / "horizon.png"
    plots.save(plots.horizon_effects(table, primary), target)
    print(f"wrote {csv_path}\nwrote {target}")
    return 0


def cmd_atlas(args) -> int:
    from govsim.experiment.atlas import PANEL, atlas, reference_community
    place = reference_community(args.community)
    out = Path(args.out) if args.out else Path("results") / f"atlas-{place.name}"
    steps = args.steps or 365
    if args.precision is not None and args.replicates is not None:
        raise UserError("give --replicates R or --precision G, not both")
    result = atlas(place, pairs=args.pairs, replicates=args.replicates or 10, steps=steps,
                   seed=args.seed, residents=args.residents, set=parse_sets(args.sets),
                   interventions=args.intervention, warmup=args.warmup,
                   outcome=args.outcome, precision=args.precision, absolute=args.absolute,
                   max_replicates=args.max_replicates, workers=args.workers,
                   scheduler=args.scheduler, out=out, force=args.force, resume=args.resume,
                   quiet=args.quiet)
    info = result.info
    print(f"atlas of {place.title}: {info['replicates']} replicates on common seeds in "
          f"every arm, {steps} days, warm-up {info['warmup']} days; paired effect against "
          "the baseline [95% t CI], * Holm p < 0.05 over the panel")
    eff = result.effects
    for panel, outcomes in PANEL.items():
        print(f"\n{panel}:")
        print(_league_text(eff, outcomes))
    skipped = eff.loc[eff["status"].fillna("") != "", ["intervention", "status"]]
    for label, status in skipped.drop_duplicates().itertuples(index=False):
        print(f"{label}: {status}")
    if args.pairs:
        inter = result.interactions
        for verdict in ("synergy", "interference"):
            top = inter[inter["verdict"] == verdict].assign(
                size=lambda t: t["relative"].abs()).nlargest(3, "size")
            print(f"\nstrongest {verdict} (interaction = AB - A - B + baseline, 95% CI):")
            if top.empty:
                print("  none whose interval excludes zero")
            for r in top.itertuples(index=False):
                spread = ("; no spread across replicates: add replicates before trusting it"
                          if r.ci_low == r.ci_high else "")
                print(f"  {r.pair} on {r.outcome}: {r.interaction:.3g} [{r.ci_low:.3g}, "
                      f"{r.ci_high:.3g}] ({100 * r.relative:+.1f}% of the baseline; "
                      f"p_holm over the pairs {r.p_holm:.2g}{spread})")
    figures = "effects.png" + (", interactions.png" if args.pairs else "")
    print(f"\nwritten to {out}/: effects.csv, league.csv, ranking.csv, "
          f"{'interactions.csv, ' if args.pairs else ''}arms.csv, runs.csv; {figures}")
    return _failed(info.get("failed", 0), out)


def _league_text(effects, outcomes) -> str:
    """A league table as text: one row per intervention, effect [low, high] per outcome."""
    import pandas as pd
    rows = {}
    for r in effects[effects["outcome"].isin(outcomes)].itertuples(index=False):
        cell = "n/a" if isinstance(r.status, str) and r.status else (
            f"{r.diff_mean:.3g} [{r.ci_low:.3g}, {r.ci_high:.3g}]"
            f"{'*' if r.p_holm < 0.05 else ''}")
        rows.setdefault(r.intervention, {})[r.outcome] = cell
    return pd.DataFrame.from_dict(rows, orient="index")[list(outcomes)].to_string()


def register(sub) -> None:
    """Add compare, ablate, sensitivity, sweep, plot and export to the govsim command."""
    folder_verb = {"epilog": EXIT_STATUS,
                   "formatter_class": argparse.RawDescriptionHelpFormatter}
    p = sub.add_parser(
        "compare", help="paired comparison of a scenario's two arms",
        description=wrapped(
        "Run a scenario's baseline and intervention arms on the same seeds "
        "(common random numbers) and report, per outcome, both means, the mean paired "
        "difference with its 95% interval, the relative change (a fraction of "
        "|baseline|), Holm-adjusted p-values over the key outcomes, and whether the change "
        "goes in the measure's good direction. Writes runs.csv, parameters.csv, "
        "timeseries.csv, effects.csv, manifest.json, effects.png and timeseries.png to "
        "--out (default results/compare-NAME). Degenerate settings (rare events, a hall "
        "holding much of a group, a horizon shorter than an institution's cycle) are "
        "warned about in one line."), **folder_verb)
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--replicates", type=at_least_two, default=10,
                   help="paired replicates, at least 2 for an interval (default 10; with "
                        "--precision, the first batch)")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="an outcome to lead the table and the figures (repeatable; "
                        "default: the scenario's key outcomes)")
    add_common(p, "output folder (default results/compare-NAME)")
    _warmup_option(p)
    p.add_argument("--ci", choices=("t", "bootstrap"), default="t",
                   help="interval of the paired effects: Student t (default) or BCa "
                        "bootstrap (for zero-inflated counts)")
    p.add_argument("--precision", type=_positive_float, default=None, metavar="G",
                   help="add pairs until the primary effect's 95%% half-width is at most "
                        "G/(1+G) of |mean| (Law's sequential procedure, >= 10 pairs)")
    p.add_argument("--absolute", type=_positive_float, default=None, metavar="H",
                   help="or until the half-width is at most H (outcome units)")
    p.add_argument("--max-replicates", type=positive_int, default=200, metavar="R",
                   help="most pairs adaptive replication adds (default 200)")
    p.add_argument("--posterior", default=None, metavar="DIR",
                   help="draw each pair's free parameters from the posterior of the "
                        "calibration in DIR (the same draw for both arms of a pair)")
    _executor_options(p)
    p.set_defaults(func=cmd_compare)
    p = sub.add_parser(
        "ablate", help="split a scenario's effects by active ingredient",
        description=wrapped(
        "Run the baseline, the full intervention and the intervention with "
        "each of the scenario's ingredients switched off alone, on common seeds, and "
        "report the share of each outcome's effect each ingredient carries and the "
        "interaction remainder, with 95% intervals. Writes runs.csv, parameters.csv, "
        "manifest.json, ablation.csv and ablation.png to --out (default "
        "results/ablate-NAME)."), **folder_verb)
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--replicates", type=at_least_two, default=10,
                   help="paired replicates per variant (default 10)")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="an outcome to decompose (repeatable; default: key outcomes)")
    add_common(p, "output folder (default results/ablate-NAME)")
    _warmup_option(p)
    _executor_options(p)
    p.set_defaults(func=cmd_ablate)
    p = sub.add_parser(
        "sensitivity", help="Morris or Sobol' indices of a scenario's uncertainties",
        description=wrapped(
        "Vary a scenario's uncertainties (or chosen levers) over their ranges "
        "with a Morris or Sobol' design and report which of them an arm's outcomes, or the "
        "paired effect (--arm effect), depend on, with bootstrap intervals. Writes "
        "runs.csv, parameters.csv, manifest.json, design.csv, sensitivity.csv and "
        "sensitivity.png to --out (default results/sensitivity-NAME)."), **folder_verb)
    p.add_argument("name", help="scenario name or path to a scenario module")
    p.add_argument("--method", choices=("morris", "sobol"), default="morris",
                   help="Morris screening (default) or Sobol' variance indices")
    p.add_argument("--n", type=positive_int, default=8,
                   help="Morris trajectories or Sobol' base points, a power of 2 (default 8)")
    p.add_argument("--replicates", type=positive_int, default=5,
                   help="replicates per design point, on common seeds (default 5)")
    p.add_argument("--factor", action="append", default=None, metavar="KEY",
                   help="an uncertainty or lever to vary (repeatable; default: all "
                        "uncertainties)")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="an outcome to analyse (repeatable; default: key outcomes)")
    p.add_argument("--arm", choices=("intervention", "baseline", "effect"),
                   default="intervention",
                   help="the arm analysed, or 'effect': the paired effect (default "
                        "intervention)")
    add_common(p, "output folder (default results/sensitivity-NAME)")
    _warmup_option(p)
    _executor_options(p)
    p.set_defaults(func=cmd_sensitivity)
    p = sub.add_parser("atlas", help="every intervention (and pair) on one reference "
                       "community, side by side", **folder_verb)
    p.add_argument("--community", default="sanyuanli", metavar="NAME|SPEC",
                   help="sanyuanli (default), cixi, hesilu, highrise (yihai, luocheng), or "
                        "a community TOML file")
    p.add_argument("--pairs", action="store_true",
                   help="also run every pair of interventions and report interactions")
    p.add_argument("--intervention", action="append", default=None, metavar="NAME",
                   help="an intervention (scenario) to include (repeatable; default all)")
    p.add_argument("--replicates", type=positive_int, default=None,
                   help="replicates per arm on common seeds (default 10)")
    p.add_argument("--precision", type=_positive_float, default=None, metavar="G",
                   help="add replicates until every effect on --outcome has a 95%% "
                        "half-width at most G/(1+G) of |mean| (>= 10 replicates)")
    p.add_argument("--absolute", type=_positive_float, default=None, metavar="H",
                   help="or until the half-width is at most H (outcome units)")
    p.add_argument("--max-replicates", type=positive_int, default=50, metavar="R",
                   help="most replicates adaptive replication adds (default 50)")
    p.add_argument("--outcome", default="conflict_rate", metavar="NAME",
                   help="outcome of the interaction heatmap and of --precision "
                        "(default conflict_rate)")
    add_common(p, "output folder (default results/atlas-COMMUNITY)")
    _warmup_option(p)
    _executor_options(p)
    p.set_defaults(func=cmd_atlas)
    p = sub.add_parser(
        "sweep", help="run a sweep specification (TOML)",
        description=wrapped(
        "Run every design point x arm x replicate of a TOML sweep "
        "specification (see examples/). Writes runs.csv (one row per run, with the active "
        "parameters), parameters.csv (every resolved parameter, by run_id), "
        "timeseries.csv and manifest.json to --out (default results/SPEC), streaming as "
        "runs finish; --resume completes an interrupted sweep."), **folder_verb)
    p.add_argument("spec", help="the sweep specification, a TOML file")
    p.add_argument("--out", default=None, help="output folder (default results/SPEC)")
    p.add_argument("--force", action="store_true", help="replace existing results")
    _executor_options(p)
    p.set_defaults(func=cmd_sweep)
    p = sub.add_parser(
        "plot", help="draw the figures of a compare or sweep folder",
        description="Draw the figures of a folder written by compare or sweep: for a "
        "comparison the forest plot of effects (effects.png) and the arms over time "
        "(timeseries.png); for a sweep each outcome against each swept lever (sweep.png), "
        "or with --effects-by LEVER the paired effect against that lever "
        "(effects-LEVER.png). Outcomes default to the scenario's outcomes.")
    p.add_argument("folder", help="a folder written by compare or sweep")
    p.add_argument("--outcome", action="append", default=None, metavar="NAME",
                   help="an outcome to plot (repeatable; default: the scenario's outcomes)")
    p.add_argument("--effects-by", default=None, metavar="LEVER",
                   help="a swept lever: plot the intervention's paired effect against it")
    p.add_argument("--out", default=None,
                   help="figure file; its suffix (.png, .pdf, .svg) sets the format. A "
                        "comparison also writes STEM-timeseries.SUFFIX beside it")
    p.add_argument("--by-horizon", action="store_true",
                   help="each key effect against the horizon it is summarised over "
                        "(writes horizon.csv and horizon.png)")
    p.set_defaults(func=cmd_plot)
    p = sub.add_parser(
        "export", help="write a folder's time series as one long table",
        description="Write the time series of a compare or sweep folder in long format: "
        "every row of timeseries.csv with its run's scenario, arm, design point, "
        "replicate, seed and swept lever values joined, ready for pandas or R.")
    p.add_argument("folder", help="a folder written by compare or sweep")
    p.add_argument("--long", action="store_true", default=True,
                   help="long format: one row per run and day (the only format)")
    p.add_argument("--out", default=None, help="CSV file (default FOLDER/long.csv)")
    p.add_argument("--force", action="store_true", help="overwrite an existing file")
    p.set_defaults(func=cmd_export)
    _register_calibrate(sub, folder_verb)


def cmd_calibrate(args) -> int:
    from govsim.experiment.calibration import calibrate, check_calibration
    if (args.spec is None) == (args.check is None):
        raise UserError("govsim calibrate: give a spec (SPEC.toml) or --check DIR, not both")
    if args.check is not None:
        table = check_calibration(args.check, replicates=args.replicates,
                                  workers=args.workers)
        print(f"fit at the posterior median of {args.check}, fresh seeds "
              f"({int(table['runs'].iloc[0])} runs):")
        _print_fit(table)
        print(f"written: {Path(args.check) / 'fit_check.csv'}")
        return 0 if table["within"].all() else 1
    out = Path(args.out) if args.out else Path("results") / f"calibrate-{Path(args.spec).stem}"
    result = calibrate(args.spec, out, workers=args.workers, scheduler=args.scheduler,
                       resume=args.resume, force=args.force, quiet=args.quiet)
    ess, n = result.effective_sample_size, len(result.posterior)
    print(f"{result.generations} ABC-SMC generations, epsilon {result.epsilon:.3g}, "
          f"effective sample size {ess:.3g} of {n}; posterior (weighted median, 90% "
          "interval):")
    if ess < n / 4:
        print(f"govsim: warning: {ess:.3g} of {n} particles carry the posterior; its "
              "intervals understate the uncertainty (a larger population helps)",
              file=sys.stderr)
    print(result.summary.to_string(index=False, float_format=lambda x: f"{x:.4g}"))
    print(f"fit at the posterior median ({int(result.fit['runs'].iloc[0])} runs):")
    _print_fit(result.fit)
    print(f"written: {out}/ (posterior.csv, posterior_summary.csv, best.json, fit.csv, "
          "posterior.png, fit.png, calibration.db)")
    return 0


def _print_fit(table) -> None:
    shown = table[["target", "observed", "simulated_mean", "simulated_sd", "tolerance",
                   "within"]]
    print(shown.to_string(index=False, float_format=lambda x: f"{x:.4g}"))


def _register_calibrate(sub, folder_verb) -> None:
    p = sub.add_parser("calibrate", help="fit free parameters to target patterns (ABC-SMC; "
                       "extra: calibrate)", **folder_verb)
    p.add_argument("spec", nargs="?", default=None, help="the calibration spec, a TOML file")
    p.add_argument("--check", default=None, metavar="DIR",
                   help="rerun the fit table of the calibration in DIR at its posterior "
                        "median with fresh seeds (exit 1 when a target is missed)")
    p.add_argument("--replicates", type=positive_int, default=None,
                   help="runs of --check (default: the spec's check_replicates)")
    p.add_argument("--out", default=None, help="output folder (default results/calibrate-SPEC)")
    p.add_argument("--force", action="store_true", help="replace existing results")
    p.add_argument("--workers", type=positive_int, default=1,
                   help="processes evaluating particles (default 1: reproducible)")
    p.add_argument("--scheduler", default=None, metavar="ADDRESS",
                   help="run on a Dask cluster: tcp://HOST:PORT, or 'local' to start one")
    p.add_argument("--resume", action="store_true",
                   help="continue a killed calibration in --out from its database")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_calibrate)
