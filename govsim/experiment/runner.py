"""Runs, seeds, identity and executors (serial, process pool, Dask).

A run is a pure function of (scenario, arm, parameters, seed). Replicate seeds come from
``SeedSequence(master_seed)`` and depend on the replicate index only, never on the arm,
the design point or the order of execution (common random numbers). Executors differ only
in where :func:`execute` runs; results are written in a canonical order, so every executor
gives the same tables.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
import traceback
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["RunTask", "execute", "replicate_seeds", "run_id", "iter_results",
           "ExecutorError"]


class ExecutorError(ValueError):
    """A bad executor choice (one line, user-facing)."""


def replicate_seeds(master_seed: int, replicates: int) -> list[int]:
    """One 63-bit seed per replicate, from ``SeedSequence(master_seed).spawn``.

    Example
    -------
    >>> replicate_seeds(1, 3) == replicate_seeds(1, 5)[:3]
    True
    """
    children = np.random.SeedSequence(master_seed).spawn(replicates)
    return [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]


def _canonical(value: Any) -> Any:
    if isinstance(value, tuple | list):
        return [_canonical(v) for v in value]
    if isinstance(value, float):
        return repr(value)
    return value


def run_id(scenario: str, arm: str, params: dict[str, Any], replicate: int, seed: int) -> str:
    """A stable 16-hex-digit id: sha256 of the canonical JSON of the run's identity."""
    text = json.dumps({"scenario": scenario, "arm": arm,
                       "params": {k: _canonical(v) for k, v in sorted(params.items())},
                       "replicate": replicate, "seed": seed}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


@dataclass(frozen=True)
class RunTask:
    """Everything a worker needs to perform one run."""

    index: int            # position in the canonical order
    run_id: str
    scenario: str         # built-in name or absolute path
    arm: str
    point: int            # design point index
    overrides: dict[str, Any]
    residents: int | None
    replicate: int
    seed: int
    steps: int
    every: int | None     # time series every k days; None: none


def execute(task: RunTask) -> dict[str, Any]:
    """Perform one run; never raises (a failure is returned with its traceback)."""
    from govsim.analysis import summarize
    from govsim.model import CommunityModel
    from govsim.scenario import load_scenario
    start = time.perf_counter()
    try:
        params = load_scenario(task.scenario).params(task.arm, task.overrides,
                                                     residents=task.residents)
        model = CommunityModel(params=params, rng=task.seed)
        model.run_for(task.steps)
        ts = model.timeseries()
        summary = summarize(ts, warmup=params["model.warmup"])
        final = {c: float(ts[c].iloc[-1]) for c in ts.columns if c != "step"}
        if task.every is None:
            rows = None
        else:
            keep = (ts["step"] % task.every == 0) | (ts["step"] == ts["step"].iloc[-1])
            rows = ts[keep]
        return {"index": task.index, "status": "done", "error": "", "summary": summary,
                "final": final, "timeseries": rows,
                "wall_seconds": time.perf_counter() - start}
    except Exception:  # a failing run is recorded, and the sweep goes on
        return {"index": task.index, "status": "failed",
                "error": traceback.format_exc().strip(), "summary": {}, "final": {},
                "timeseries": None, "wall_seconds": time.perf_counter() - start}


def iter_results(tasks: Sequence[RunTask], workers: int | None = None,
                 scheduler: str | None = None) -> Iterator[dict[str, Any]]:
    """Results as runs finish: serially, in a process pool, or on a Dask cluster."""
    if not tasks:
        return
    if scheduler:
        yield from _dask(tasks, scheduler, workers)
        return
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(tasks) == 1:
        for t in tasks:
            yield execute(t)
        return
    import multiprocessing as mp
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks)),
                             mp_context=mp.get_context("spawn")) as pool:
        futures = [pool.submit(execute, t) for t in tasks]
        try:
            for fut in as_completed(futures):
                yield fut.result()
        finally:
            # a consumer that stops early (a write error) does not wait for queued runs
            for fut in futures:
                fut.cancel()


def dask_client(scheduler: str, workers: int | None):
    """A Dask client for ``scheduler`` (an address, or ``"local"`` to start a local
    cluster of ``workers`` single-threaded processes) and the cluster it started (None
    for an address): close both when done.

    Raises
    ------
    ExecutorError
        When Dask is not installed or the scheduler cannot be reached (one line).
    """
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        raise ExecutorError("--scheduler needs Dask: pip install 'govsim[distributed]'"
                            ) from None
    if scheduler == "local":
        cluster = LocalCluster(n_workers=workers or os.cpu_count() or 1,
                               threads_per_worker=1, processes=True,
                               dashboard_address=None)
        return Client(cluster), cluster
    try:
        return Client(scheduler, timeout=10), None
    except (OSError, TimeoutError) as exc:
        raise ExecutorError(f"cannot reach the Dask scheduler {scheduler}: {exc}"
                            ) from None


def _dask(tasks: Sequence[RunTask], scheduler: str, workers: int | None):
    client, cluster = dask_client(scheduler, workers)
    from distributed import as_completed as dask_completed
    try:
        futures = [client.submit(execute, t, pure=False) for t in tasks]
        for fut in dask_completed(futures):
            yield fut.result()
            fut.release()
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
