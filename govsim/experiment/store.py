"""The streaming result store: runs.csv, timeseries.csv and manifest.json in one folder.

Rows are appended as runs finish and nothing is held for all runs: each run's time series
is appended as one block, then its row in ``runs.csv`` — the run's commit record. After a
crash or a kill, :meth:`ResultStore.open` keeps exactly the committed runs (dropping any
orphaned time-series block and any torn last line), so ``--resume`` completes the missing
runs. When every run is in, both tables are rewritten in the canonical run order by an
atomic replace, so the final files do not depend on the order in which runs finished
(and so on the executor), apart from the ``wall_seconds`` column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

__all__ = ["ResultStore", "StoreError", "fmt", "RESULT_FILES"]

RESULT_FILES = ("runs.csv", "timeseries.csv", "manifest.json")


class StoreError(ValueError):
    """An output folder that cannot be used (one line, user-facing)."""


def fmt(value: Any) -> str:
    """Lossless, locale-free text for a CSV cell (floats by their shortest repr)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, tuple | list):
        return ",".join(map(str, value))
    return str(value)


def _line(values: Iterable[Any]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerow([fmt(v) for v in values])
    return buf.getvalue()


def _records(path: Path) -> list[tuple[str, int, int]]:
    """Blocks of a journal file after its header: (run_id, byte offset, byte length) of
    consecutive complete records sharing their first field. A torn last record (no final
    newline, as a kill may leave) is left out."""
    raw = path.read_bytes()
    text = raw.decode()
    stream = io.StringIO(text, newline="")
    stream.readline()  # header
    reader = csv.reader(stream)
    blocks: list[tuple[str, int, int]] = []
    pos = len(text[:stream.tell()].encode())
    current, start = None, pos
    while True:
        before = stream.tell()
        try:
            row = next(reader)
        except (StopIteration, csv.Error):
            break
        chunk = text[before:stream.tell()]
        if not chunk.endswith("\n"):
            break
        rid = row[0] if row else ""
        if rid != current:
            if current is not None:
                blocks.append((current, start, pos - start))
            current, start = rid, pos
        pos += len(chunk.encode())
    if current is not None:
        blocks.append((current, start, pos - start))
    return blocks


class ResultStore:
    """One output folder of a compare or a sweep."""

    def __init__(self, folder: str | Path, runs_header: Sequence[str],
                 ts_header: Sequence[str] | None):
        self.folder = Path(folder)
        self.runs_path = self.folder / "runs.csv"
        self.ts_path = self.folder / "timeseries.csv"
        self.manifest_path = self.folder / "manifest.json"
        self.runs_header = list(runs_header)
        self.ts_header = list(ts_header) if ts_header is not None else None
        self.committed: set[str] = set()
        self.failed = 0
        self.manifest: dict[str, Any] = {}

    # -- opening -----------------------------------------------------------------------
    @staticmethod
    def check_folder(folder: str | Path, resume: bool, force: bool) -> None:
        """Refuse an occupied folder (unless resume/force) or an unusable path."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder} exists and is not a folder")
        parent = folder if folder.exists() else folder.parent
        while not parent.exists() and parent != parent.parent:
            parent = parent.parent
        if not os.access(parent, os.W_OK):
            raise StoreError(f"cannot write to {folder}: {parent} is not writable")
        occupied = folder.is_dir() and any((folder / f).exists() for f in RESULT_FILES)
        if occupied and not (resume or force):
            raise StoreError(f"{folder} already holds results (use --resume to complete "
                             "them or --force to replace them)")
        if resume and not occupied:
            raise StoreError(f"nothing to resume in {folder}")

    def open(self, spec: dict[str, Any], resume: bool, force: bool) -> None:
        """Create or reopen the folder; on resume keep exactly the committed runs."""
        self.check_folder(self.folder, resume, force)
        if force and not resume:
            for name in RESULT_FILES:
                (self.folder / name).unlink(missing_ok=True)
        self.folder.mkdir(parents=True, exist_ok=True)
        if resume:
            old = json.loads(self.manifest_path.read_text())
            if old.get("spec") != spec:
                raise StoreError(f"{self.folder} holds results of a different specification; "
                                 "use --force to replace them")
            self._check_headers()
            self.manifest = old
            self._recover()
        else:
            self._write_header(self.runs_path, self.runs_header)
            if self.ts_header is not None:
                self._write_header(self.ts_path, self.ts_header)
            self.manifest = _environment() | {
                "spec": spec, "master_seed": spec.get("seed"),
                "started": _now(), "finished": None, "runs_total": None,
                "runs_done": 0, "runs_failed": 0, "complete": False}
        self.write_manifest()

    def _check_headers(self) -> None:
        """Refuse to resume tables whose columns differ from this run's (results of
        another govsim version or another set of measures): appending would misalign them."""
        tables = [(self.runs_path, self.runs_header)]
        if self.ts_header is not None and self.ts_path.exists():
            tables.append((self.ts_path, self.ts_header))
        for path, header in tables:
            with open(path, newline="") as fh:
                found = next(csv.reader(fh), [])
            if found != header:
                extra = sorted(set(header) - set(found))
                gone = sorted(set(found) - set(header))
                parts = []
                if extra:
                    parts.append(f"new columns {', '.join(extra[:3])}")
                if gone:
                    parts.append(f"missing columns {', '.join(gone[:3])}")
                what = "; ".join(parts) or "columns in another order"
                raise StoreError(f"{path} was written with other columns than this "
                                 f"version of govsim writes ({what}); resuming would "
                                 "misalign rows: use --force to run the sweep again")

    def _write_header(self, path: Path, header: list[str]) -> None:
        with open(path, "w", newline="") as fh:
            fh.write(_line(header))

    def _recover(self) -> None:
        runs = _records(self.runs_path)
        self.committed = {rid for rid, _, _ in runs}
        self.failed = 0
        with open(self.runs_path, newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("run_id") in self.committed and row.get("status") == "failed":
                    self.failed += 1
        self._rewrite(self.runs_path, self.runs_header, runs, order=None)
        if self.ts_header is not None and self.ts_path.exists():
            blocks = [b for b in _records(self.ts_path) if b[0] in self.committed]
            self._rewrite(self.ts_path, self.ts_header, blocks, order=None)
        elif self.ts_header is not None:
            self._write_header(self.ts_path, self.ts_header)

    def _rewrite(self, path: Path, header: list[str], blocks, order: dict[str, int] | None
                 ) -> None:
        """Copy the given blocks (optionally sorted by ``order``) to ``path`` atomically."""
        if order is not None:
            blocks = sorted(blocks, key=lambda b: order[b[0]])
        tmp = path.with_name(f".{path.name}.tmp")
        with open(path, "rb") as src, open(tmp, "wb") as dst:
            dst.write(_line(header).encode())
            for _, offset, length in blocks:
                src.seek(offset)
                remaining = length
                while remaining:
                    chunk = src.read(min(remaining, 1 << 20))
                    dst.write(chunk)
                    remaining -= len(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        os.replace(tmp, path)

    # -- appending ---------------------------------------------------------------------
    def append(self, run_id: str, run_row: dict[str, Any], ts_rows: list[list[Any]] | None
               ) -> None:
        """Write a run's time series, then its commit record."""
        if self.ts_header is not None and ts_rows:
            block = "".join(_line([run_id, *r]) for r in ts_rows)
            self._append(self.ts_path, block)
        self._append(self.runs_path, _line(run_row.get(c, "") for c in self.runs_header))
        self.committed.add(run_id)
        if run_row.get("status") == "failed":
            self.failed += 1

    @staticmethod
    def _append(path: Path, text: str) -> None:
        with open(path, "a", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())

    # -- closing -----------------------------------------------------------------------
    def keep(self, run_ids: set[str]) -> None:
        """Drop every committed run not in ``run_ids`` from both tables (atomically).

        Adaptive replication may run a batch past the replicate at which its stopping
        rule holds; dropping the surplus keeps the tables independent of the batch width.
        """
        runs = [b for b in _records(self.runs_path) if b[0] in run_ids]
        dropped = self.committed - run_ids
        if not dropped:
            return
        self._rewrite(self.runs_path, self.runs_header, runs, order=None)
        if self.ts_header is not None:
            blocks = [b for b in _records(self.ts_path) if b[0] in run_ids]
            self._rewrite(self.ts_path, self.ts_header, blocks, order=None)
        self.committed &= run_ids
        self.failed = 0
        with open(self.runs_path, newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("status") == "failed":
                    self.failed += 1

    def finalize(self, order: dict[str, int]) -> None:
        """Rewrite both tables in canonical run order and complete the manifest."""
        self._rewrite(self.runs_path, self.runs_header, _records(self.runs_path), order)
        if self.ts_header is not None:
            self._rewrite(self.ts_path, self.ts_header, _records(self.ts_path), order)
        self.manifest.update(finished=_now(), runs_done=len(self.committed) - self.failed,
                             runs_failed=self.failed, complete=True)
        self.write_manifest()

    def write_manifest(self) -> None:
        tmp = self.manifest_path.with_name(".manifest.json.tmp")
        tmp.write_text(json.dumps(self.manifest, indent=2, sort_keys=True) + "\n")
        os.replace(tmp, self.manifest_path)


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _environment() -> dict[str, Any]:
    from importlib.metadata import PackageNotFoundError, version

    import govsim
    packages = {}
    for name in ("mesa", "numpy", "scipy", "networkx", "pandas", "matplotlib"):
        try:
            packages[name] = version(name)
        except PackageNotFoundError:
            packages[name] = None
    commit = None
    root = Path(govsim.__file__).resolve().parent.parent
    if shutil.which("git") and (root / ".git").exists():
        out = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"],
                             capture_output=True, text=True)
        commit = out.stdout.strip() or None
    return {"govsim_version": govsim.__version__, "git_commit": commit,
            "python": platform.python_version(), "packages": packages}
