"""The dashboard page (Solara): pick a scenario, move its levers, run both arms on common
seeds and read the paired effects in plain words.

State lives in Solara reactive variables, which the server keeps per browser session, so
concurrent users each get their own settings and runs. Runs happen in a Solara task (a
thread per session) that hands the model runs to the shared worker pool of
:mod:`govsim.dashboard.engine`, so the page stays responsive while they run.
"""

from __future__ import annotations

import os
from typing import Any
from urllib.parse import parse_qs

import solara
import solara.lab

from govsim.dashboard import engine
from govsim.params import ParamError
from govsim.scenario import load_scenario

MODES = ("baseline vs intervention", "two lever settings")
DEFAULT_SCENARIO = "response_rule"

#: the shared worker pool; :func:`govsim.dashboard.server.serve` sizes it
POOL = engine.Pool(int(os.environ.get("GOVSIM_DASHBOARD_WORKERS", "0")))

scenario_name = solara.reactive(DEFAULT_SCENARIO)
mode = solara.reactive(MODES[0])
levers = solara.reactive({})          # side A (the intervention) in both modes
levers_b = solara.reactive({})        # side B in "two lever settings"
uncertainties = solara.reactive({})   # both sides
residents_text = solara.reactive(str(engine.LIMITS["residents"][1]))
days_text = solara.reactive(str(engine.LIMITS["days"][1]))
replicates = solara.reactive(engine.LIMITS["replicates"][1])


def _defaults(name: str) -> None:
    sc = load_scenario(name)
    levers.value = {c.key: c.value for c in engine.controls(sc)}
    levers_b.value = {c.key: c.value for c in engine.controls(sc)}
    uncertainties.value = {c.key: c.value for c in engine.controls(sc, "uncertainties")}


def _parse_int(text: str) -> Any:
    try:
        number = float(text.strip())
    except ValueError:
        return text
    return int(number) if number.is_integer() else number


def _request() -> tuple[engine.Request | None, str]:
    """The Run request from the page's state, or None and the reason it is refused."""
    res, days = _parse_int(residents_text.value), _parse_int(days_text.value)
    errors = engine.check_sizes(res, days, replicates.value)
    if errors:
        return None, next(iter(errors.values()))
    sizes = engine.Sizes(res, days, replicates.value)
    unc = dict(uncertainties.value)
    if mode.value == MODES[0]:
        first = engine.Arm("baseline", "baseline", unc)
        second = engine.Arm("intervention", "intervention", {**unc, **levers.value})
    else:
        first = engine.Arm("setting A", "intervention", {**unc, **levers.value})
        second = engine.Arm("setting B", "intervention", {**unc, **levers_b.value})
    request = engine.Request(scenario_name.value, first, second, sizes)
    try:
        request.params(first)
        request.params(second)
    except ParamError as exc:
        return None, str(exc)
    return request, ""


@solara.lab.task
def run_comparison(request: engine.Request) -> dict[str, Any]:
    def progress(done: int, total: int) -> None:
        run_comparison.progress = 100.0 * done / total

    run_comparison.progress = 0.0
    result = engine.run_pair(request, POOL, progress,
                             cancelled=lambda: not run_comparison.is_current())
    curves = engine.outcomes_figure(result)
    network = engine.network_figure(result.networks)
    return {"result": result, "curves": curves, "network": network,
            "curves_png": engine.png(curves), "network_png": engine.png(network)}


@solara.component
def ControlList(items: list[engine.Control], var: solara.Reactive, group: str) -> None:
    """Sliders and switches for ``items``, reading and writing the dict in ``var``.

    Mesa's SolaraViz ``UserInputs`` puts the label beside the slider, which leaves no room
    for the registry's unit and range; here the label is a caption above its slider.
    """
    for c in items:
        value = var.value.get(c.key, c.value)

        def set_value(new, key=c.key):
            var.value = {**var.value, key: new}

        classes = [f"govsim-{group}", "govsim-control"]
        with solara.Column(gap="0px", classes=classes).meta(ref=f"{group}:{c.key}"):
            if c.kind == "bool":
                solara.Checkbox(label=c.text(), value=bool(value), on_value=set_value)
                continue
            solara.Text(c.text(), style={"font-size": "0.85em"})
            if c.kind == "int":
                solara.SliderInt("", value=int(value), min=int(c.low), max=int(c.high),
                                 on_value=set_value)
            else:
                solara.SliderFloat("", value=float(value), min=float(c.low),
                                   max=float(c.high), step=c.step, on_value=set_value)


@solara.component
def ScenarioCard(sc) -> None:
    with solara.Card(sc.title, subtitle=sc.place or None, classes=["govsim-scenario"]):
        if sc.summary:
            solara.Markdown(sc.summary)
        if sc.figures:
            solara.Markdown("**The report's figures:**\n\n" +
                            "\n".join(f"- {f}" for f in sc.figures))
        heading, body = engine.odd_section(sc.name)
        if heading:
            with solara.Row():
                solara.Text("How the mechanism is modelled:")
                solara.v.Html(tag="a", attributes={"href": f"odd?scenario={sc.name}",
                                                   "target": "_blank"},
                              children=[f"ODD §{heading}"], class_="govsim-odd-link")


@solara.component
def Controls(sc) -> None:
    lever_controls = engine.controls(sc)
    if mode.value == MODES[0]:
        solara.Markdown("**Levers** (the intervention arm; the baseline keeps the "
                        "scenario's baseline)")
        ControlList(lever_controls, levers, "lever")
    else:
        solara.Markdown("**Setting A**")
        ControlList(lever_controls, levers, "lever")
        solara.Markdown("**Setting B**")
        ControlList(lever_controls, levers_b, "lever-b")
    unc = engine.controls(sc, "uncertainties")
    if unc:
        with solara.Details(summary="Uncertainties (behaviour, the same in both arms)"):
            ControlList(unc, uncertainties, "uncertainty")


@solara.component
def Sizes() -> None:
    # typed sizes update as they are typed: the refusal shows at once, and the value the
    # Run button uses is always the one in the field
    res, days = _parse_int(residents_text.value), _parse_int(days_text.value)
    errors = engine.check_sizes(res, days, replicates.value)
    lo_r, _, hi_r = engine.LIMITS["residents"]
    lo_d, _, hi_d = engine.LIMITS["days"]
    solara.InputText(f"Residents ({lo_r}–{hi_r})", value=residents_text,
                     error=errors.get("residents", False), classes=["govsim-residents"],
                     continuous_update=True)
    solara.InputText(f"Days ({lo_d}–{hi_d})", value=days_text,
                     error=errors.get("days", False), classes=["govsim-days"],
                     continuous_update=True)
    lo, _, hi = engine.LIMITS["replicates"]
    with solara.Div(classes=["govsim-replicates"]):
        solara.SliderInt("Replicates (paired seeds)", value=replicates, min=lo, max=hi)


@solara.component
def Results() -> None:
    if run_comparison.pending:
        solara.ProgressLinear(run_comparison.progress or True)
        solara.Text("running both arms on the same seeds…", classes=["govsim-running"])
    if run_comparison.error:
        solara.Error(f"the run failed: {run_comparison.exception}")
    out = run_comparison.value if run_comparison.finished else None
    if out is None:
        if run_comparison.not_called:
            solara.Info("Choose a scenario, set its levers and press Run.")
        return
    result: engine.PairResult = out["result"]
    req = result.request
    first, second = req.first.label, req.second.label
    solara.Markdown(
        f"**{second} against {first}**, {req.sizes.replicates} paired replicates, "
        f"{req.sizes.residents} residents, {req.sizes.days} days "
        f"(mean of the last quarter; 95% intervals; {result.seconds:.1f} s)")
    lines = [f"| outcome | effect of {second} | {first} | {second} |", "|---|---|---|---|"]
    for row in engine.effect_rows(result.effects):
        lines.append(f"| {row['outcome']} | {row['effect']} | {row['first']} | "
                     f"{row['second']} |")
    with solara.Div(classes=["govsim-effects"]):
        solara.Markdown("\n".join(lines))
    solara.FigureMatplotlib(out["curves"], format="png")
    solara.Markdown("**A sampled neighbourhood at the end of replicate 1** (same layout "
                    "in both panels; tie width is tie strength)")
    solara.FigureMatplotlib(out["network"], format="png")
    with solara.Row(classes=["govsim-downloads"]):
        stem = f"{req.scenario}"
        for which in ("effects", "runs", "timeseries"):
            solara.FileDownload(lambda which=which: result.csv(which),
                                filename=f"{stem}-{which}.csv", label=f"{which}.csv",
                                mime_type="text/csv")
        solara.FileDownload(out["curves_png"], filename=f"{stem}-outcomes.png",
                            label="outcomes.png", mime_type="image/png")
        solara.FileDownload(out["network_png"], filename=f"{stem}-network.png",
                            label="network.png", mime_type="image/png")


@solara.component
def Page() -> None:
    choices = engine.scenario_choices()
    titles = {s.name: s for s in choices}
    if not levers.value:
        _defaults(scenario_name.value)

    def pick(name: str) -> None:
        scenario_name.value = name
        _defaults(name)

    sc = titles[scenario_name.value]
    solara.Title("govsim dashboard")
    with solara.Columns([1, 2]):
        with solara.Column(classes=["govsim-controls"]):
            solara.Select("Scenario", value=scenario_name.value, on_value=pick,
                          values=list(titles), classes=["govsim-scenario-select"])
            solara.ToggleButtonsSingle(value=mode, values=list(MODES))
            Controls(sc)
            Sizes()
            request, problem = _request()
            if problem:
                solara.Error(problem, classes=["govsim-refused"])
            solara.Button("Run", color="primary", disabled=request is None,
                          on_click=lambda: run_comparison(request),
                          classes=["govsim-run"])
        with solara.Column():
            ScenarioCard(sc)
            Results()


@solara.component
def OddPage() -> None:
    """A scenario's ODD section (``odd?scenario=NAME``), or the whole ODD."""
    router = solara.use_router()
    name = parse_qs(router.search or "").get("scenario", [""])[0]
    heading, body = engine.odd_section(name) if name else ("", "")
    if heading:
        solara.Title(f"ODD: {heading}")
        solara.Markdown(f"## {heading}\n\n{body}")
    elif engine.ODD_PATH.is_file():
        solara.Title("ODD")
        solara.Markdown(engine.ODD_PATH.read_text(encoding="utf-8"))
    else:
        solara.Error("docs/ODD.md is not installed with this copy of govsim")


routes = [solara.Route(path="/", component=Page, label="Dashboard"),
          solara.Route(path="odd", component=OddPage, label="ODD")]
