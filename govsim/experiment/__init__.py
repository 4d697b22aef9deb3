"""The experiment layer: seeds, run identity, executors, the streaming store, sweeps and
paired comparisons (DESIGN §5). It sits beside the model and never changes it."""

from govsim.analysis import effects_table
from govsim.experiment.ablate import ablate
from govsim.experiment.horizon import horizon_table
from govsim.experiment.runner import ExecutorError, replicate_seeds, run_id
from govsim.experiment.sensitivity import run_sensitivity
from govsim.experiment.spec import SpecError, SweepSpec, load_spec
from govsim.experiment.store import StoreError, StoreWriteError, hold_folder
from govsim.experiment.sweep import compare, run_sweep, sweep

#: exceptions that mean bad input: one line on stderr, exit status 2
INPUT_ERRORS = (SpecError, StoreError, ExecutorError)
#: exceptions that mean a write failed midway: one line on stderr, exit status 3
WRITE_ERRORS = (StoreWriteError,)

__all__ = ["INPUT_ERRORS", "WRITE_ERRORS", "ExecutorError", "SpecError", "StoreError",
           "StoreWriteError", "SweepSpec", "ablate", "compare", "effects_table",
           "hold_folder", "horizon_table", "load_spec", "replicate_seeds", "run_id",
           "run_sensitivity", "run_sweep", "sweep"]
