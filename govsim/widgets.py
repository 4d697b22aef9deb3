"""Interactive exploration of a scenario in Jupyter: sliders for its levers, both arms side
by side on the same seeds, outcome plots with 95% bands and an effect table.

Example
-------
>>> from govsim.widgets import Explorer
>>> ex = Explorer("baseline", replicates=2, steps=10, residents=150)
>>> table = ex.update()
>>> list(table.columns)[:3]
['outcome', 'baseline_mean', 'intervention_mean']

In a notebook, ``Explorer("deliberation_hall").show()`` displays the sliders and the
results, which are recomputed whenever a slider is released.
"""

from __future__ import annotations

import os
import time
from collections.abc import Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from govsim.analysis import paired_effects, summarize
from govsim.model import CommunityModel
from govsim.params import specs
from govsim.plots import band
from govsim.scenario import Scenario, load_scenario

__all__ = ["Explorer", "notebook_size"]


def notebook_size(default: int) -> int:
    """Community size for notebooks: ``GOVSIM_NOTEBOOK_RESIDENTS`` if set, else ``default``."""
    return int(os.environ.get("GOVSIM_NOTEBOOK_RESIDENTS", default))


class Explorer:
    """Sliders for a scenario's levers; baseline and intervention on common seeds.

    Parameters
    ----------
    scenario : str or Scenario
        Built-in name or path.
    replicates : int
        Paired replicates per update (same seeds in both arms).
    steps : int
        Days per run.
    residents : int, optional
        Community size (default: ``GOVSIM_NOTEBOOK_RESIDENTS`` or 600).
    outcomes : sequence of str, optional
        Measures to plot and tabulate (default: the scenario's key outcomes).
    seed : int
        Master seed of the replicates.
    """

    def __init__(self, scenario: str | Scenario, replicates: int = 4, steps: int = 120,
                 residents: int | None = None, outcomes: Sequence[str] | None = None,
                 seed: int = 0):
        self.scenario = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        self.replicates = replicates
        self.steps = steps
        self.residents = residents if residents is not None else notebook_size(600)
        self.outcomes = list(outcomes or self.scenario.outcomes or ("conflict_rate",
                                                                    "bridging_share"))
        self.seed = seed
        base = self.scenario.params("intervention")
        self.defaults: dict[str, Any] = {r.key: base[r.key] for r in self.scenario.levers}
        self.values: dict[str, Any] = dict(self.defaults)
        self.notes: list[str] = []
        self.effects: pd.DataFrame | None = None
        self.series: dict[str, list[pd.DataFrame]] = {}
        self.figure = None
        self._widgets: dict[str, Any] = {}
        self._controls: dict[str, Any] = {}   # the reset button and the status line
        self._out = None

    # -- computation -----------------------------------------------------------------
    def set(self, key: str, value: Any) -> pd.DataFrame:
        """Change a lever (as a slider would) and recompute; returns the effect table."""
        if key not in self.values:
            raise KeyError(f"'{key}' is not a lever of {self.scenario.name}")
        self.values[key] = value
        if key in self._widgets and self._widgets[key].value != value:
            self._widgets[key].value = value  # its observer recomputes
            return self.effects
        return self.update()

    def size_text(self) -> str:
        """The size each update runs at, in words."""
        return (f"each update runs both arms × {self.replicates} paired replicates of "
                f"{self.residents:,} residents for {self.steps} days "
                f"({2 * self.replicates} runs)")

    def reset(self) -> pd.DataFrame:
        """Put every lever back to the scenario's intervention value and recompute."""
        self.values = dict(self.defaults)
        if self._widgets:
            for key, widget in self._widgets.items():
                widget.unobserve_all("value")
                widget.value = self.defaults[key]
                widget.observe(self._on_change(key), names="value")
        return self.update()

    def update(self) -> pd.DataFrame:
        """Run both arms on the same seeds with the current lever values."""
        from govsim.checks import check_events, check_setting
        start = time.perf_counter()
        self._status(f"computing… {self.size_text()}", busy=True)
        seeds = np.random.SeedSequence(self.seed).spawn(self.replicates)
        arms = {"baseline": {}, "intervention": dict(self.values)}
        self.series = {}
        summaries = {}
        for arm, over in arms.items():
            params = self.scenario.params(arm, over, residents=self.residents)
            runs = []
            for s in seeds:
                model = CommunityModel(params=params, rng=s)
                model.run_for(self.steps)
                runs.append(model.timeseries())
            self.series[arm] = runs
            summaries[arm] = pd.DataFrame([summarize(ts, self.outcomes) for ts in runs])
        from govsim.analysis import with_direction
        self.effects = with_direction(paired_effects(summaries["baseline"],
                                                     summaries["intervention"],
                                                     self.outcomes))
        self.notes = (check_setting(self.scenario, self.steps, self.residents, self.values)
                      + check_events(self.effects, self.steps, self.outcomes))
        self.figure = self.plot()
        self._status(f"done in {time.perf_counter() - start:.1f} s; {self.size_text()}")
        if self._out is not None:
            self._render()
        return self.effects

    def _status(self, text: str, busy: bool = False) -> None:
        widget = self._controls.get("status")
        if widget is None:
            return
        # no second move while a run is on: the controls are greyed out until it ends
        for control in [*self._widgets.values(), self._controls["reset"]]:
            control.disabled = busy
        notes = "".join(f"<br>⚠ {n}" for n in self.notes) if not busy else ""
        widget.value = f"<b>{'⏳ ' if busy else ''}{text}</b>{notes}"

    def plot(self):
        """Time series of each outcome: mean and 95% band per arm (shared style: units,
        titles in words, counts smoothed, bands clipped to the possible range)."""
        from govsim import style
        k = len(self.outcomes)
        cols = min(3, k)
        rows = -(-k // cols)
        fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.0 * rows + 0.9),
                                 squeeze=False)
        for ax, name in zip(axes.flat, self.outcomes, strict=False):
            smoothed = False
            for arm in ("baseline", "intervention"):
                runs = self.series.get(arm, [])
                if not runs:
                    continue
                steps = runs[0]["step"].to_numpy()
                values, smoothed = style.smooth(name, np.vstack([r[name].to_numpy() for r in runs]))
                mean, lo, hi = band(values)
                lo, hi = style.clip(name, lo, hi)
                ax.plot(steps, mean, color=style.ARM_COLOURS[arm], label=style.ARM_LABELS[arm])
                ax.fill_between(steps, lo, hi, color=style.ARM_COLOURS[arm], alpha=0.2,
                                linewidth=0)
            ax.set_title(style.title(name), fontsize=9)
            ax.set_ylabel(style.axis_label(name, smoothed), fontsize=8)
            ax.set_xlabel("day", fontsize=8)
        for ax in axes.flat[k:]:
            ax.set_visible(False)
        handles, labels = axes.flat[0].get_legend_handles_labels()
        fig.legend(handles, [f"{lab} (mean, 95% band)" for lab in labels],
                   loc="lower center", ncol=2, fontsize=8, frameon=False)
        changed = style.what_changed(self.scenario.baseline,
                                     {**self.scenario.intervention, **self.values})
        fig.suptitle(f"{changed}\n{self.size_text()}", fontsize=8)
        fig.tight_layout(rect=(0, 0.06, 1, 1))
        plt.close(fig)
        return fig

    # -- widgets ---------------------------------------------------------------------
    def _slider(self, r):
        import ipywidgets as w
        s = specs()[r.key]
        value = self.values[r.key]
        style = {"description_width": "initial"}
        unit = f" [{s.unit}]" if s.unit and s.kind is not bool else ""
        label = f"{r.key}{unit} — {r.doc or s.doc}"
        layout = w.Layout(width="95%")
        if s.kind is bool:
            return w.Checkbox(value=bool(value), description=label, style=style,
                              layout=layout)
        if s.kind is int:
            return w.IntSlider(value=int(value), min=int(r.low), max=int(r.high),
                               description=label, continuous_update=False, style=style,
                               layout=layout)
        step = (r.high - r.low) / 50 or 0.01
        return w.FloatSlider(value=float(value), min=r.low, max=r.high, step=step,
                             description=label, continuous_update=False, style=style,
                             readout_format=".3g", layout=layout)

    def widget(self):
        """The sliders and the output area, as an ipywidgets VBox."""
        import ipywidgets as w
        self._widgets = {r.key: self._slider(r) for r in self.scenario.levers}
        for key, widget in self._widgets.items():
            widget.observe(self._on_change(key), names="value")
        sliders = list(self._widgets.values())
        reset = w.Button(description="reset levers", icon="undo",
                         tooltip="back to the scenario's intervention values")
        reset.on_click(lambda _: self.reset())
        status = w.HTML(value=self.size_text())
        self._controls = {"reset": reset, "status": status}
        self._out = w.Output()
        if self.effects is None:
            self.update()
        else:
            self._status(self.size_text())
            self._render()
        return w.VBox([*sliders, w.HBox([reset, status]), self._out])

    def _on_change(self, key: str):
        def handler(change):
            self.values[key] = change["new"]
            self.update()
        return handler

    def _render(self) -> None:
        from IPython.display import display
        self._out.clear_output(wait=True)
        with self._out:
            display(self.figure)
            display(self.effects.round(4))
            if self.notes:
                print("\n".join(f"note: {n}" for n in self.notes))

    def show(self):
        """Display the widget (in a notebook)."""
        from IPython.display import display
        box = self.widget()
        display(box)
        return box
