"""The streaming result store: runs.csv, timeseries.csv and manifest.json in one folder.

Rows are appended as runs finish and nothing is held for all runs: each run's time series
is appended as one block, then its row in ``runs.csv`` — the run's commit record. After a
crash or a kill, :meth:`ResultStore.open` keeps exactly the committed runs (dropping any
orphaned time-series block and any torn last line), so ``--resume`` completes the missing
runs. When every run is in, both tables are rewritten in the canonical run order by an
atomic replace, so the final files do not depend on the order in which runs finished
(and so on the executor), apart from the ``wall_seconds`` column.

Faults. One process writes a folder at a time (:mod:`govsim.experiment.lock`). A write
that fails (a full disk, a lost permission, a file system remounted read-only) raises
:class:`StoreWriteError`, whose one-line message says how many runs are committed and
how to resume; the bytes of a failed append are cut off again, the manifest keeps
``complete: false``, and every rewrite goes to a file aside that replaces the original
only once it is complete and on disk, so no fault can lose a committed run.
"""

from __future__ import annotations

import csv
import datetime as dt
import errno
import io
import json
import os
import platform
import shutil
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from govsim.experiment.lock import FolderLocked, acquire, holder, refusal, release

__all__ = ["ResultStore", "StoreError", "StoreWriteError", "fmt", "hold_folder",
           "write_failure", "RESULT_FILES"]

RESULT_FILES = ("runs.csv", "timeseries.csv", "manifest.json")
_ASIDE = (".runs.csv.tmp", ".timeseries.csv.tmp", ".manifest.json.tmp")


class StoreError(ValueError):
    """An output folder that cannot be used (one line, user-facing; exit status 2)."""


class StoreWriteError(RuntimeError):
    """A write to an output folder failed midway (one line, user-facing; exit status 3).

    The folder is left resumable: its manifest says ``complete: false`` and its tables
    hold only whole, committed runs.
    """


_CAUSES = {
    errno.ENOSPC: ("no space left on the device holding {dir}", "free space"),
    errno.EDQUOT: ("the disk quota is exceeded on the device holding {dir}", "free space"),
    errno.EACCES: ("permission to write in {dir} was lost", "restore it"),
    errno.EPERM: ("permission to write in {dir} was lost", "restore it"),
    errno.EROFS: ("the device holding {dir} is read-only", "remount it read-write"),
    errno.EIO: ("an input/output error occurred on the device holding {dir}",
                "check the device"),
}


def write_failure(exc: OSError, folder: str | Path, committed: int | None = None,
                  total: int | None = None, resumable: bool = True,
                  state: str | None = None) -> StoreWriteError:
    """The one-line error for a write to ``folder`` that failed with ``exc``.

    Parameters
    ----------
    exc
        The error raised by the write.
    folder
        The output folder.
    committed, total
        Runs committed so far and runs planned (either may be None when not known).
    resumable
        Whether ``--resume`` can complete the folder (False when not even its manifest
        could be written, so that a plain rerun is the way on).
    state
        What is left, said instead of the committed runs (e.g. "a.csv was not written").

    Examples
    --------
    >>> import errno
    >>> error = write_failure(OSError(errno.ENOSPC, "No space left on device"), "out", 3, 8)
    >>> print(*str(error).split("; "), sep="\\n")
    no space left on the device holding out
    3 of 8 runs are committed
    free space and rerun with --resume
    """
    what, remedy = _CAUSES.get(exc.errno, (
        f"cannot write to {{dir}} ({exc.strerror or exc})", "fix the cause"))
    parts = [what.format(dir=folder)]
    if state is not None:
        parts.append(state)
    elif committed is not None:
        parts.append(f"{committed} of {total} runs are committed" if total is not None
                     else f"{committed} runs are committed")
    parts.append(f"{remedy} and rerun" + (" with --resume" if resumable else ""))
    return StoreWriteError("; ".join(parts))


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


def _records(path: Path, width: int) -> list[tuple[str, int, int]]:
    """Blocks of a journal file after its header: (run_id, byte offset, byte length) of
    consecutive complete records sharing their first field. A torn last record (no final
    newline, as a kill may leave, or cut inside a quoted field such as a traceback, or
    with fewer than ``width`` fields) ends the journal."""
    raw = path.read_bytes()
    text = raw.decode(errors="replace")
    stream = io.StringIO(text, newline="")
    stream.readline()  # header
    reader = csv.reader(stream, strict=True)
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
        if not chunk.endswith("\n") or len(row) != width:
            break
        rid = row[0]
        if rid != current:
            if current is not None:
                blocks.append((current, start, pos - start))
            current, start = rid, pos
        pos += len(chunk.encode())
    if current is not None:
        blocks.append((current, start, pos - start))
    return blocks


def _fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (a no-op where folders cannot be synced)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError as exc:
        if exc.errno not in (errno.EINVAL, errno.EBADF, errno.EACCES):
            raise
    finally:
        os.close(fd)


def _replace_atomically(path: Path, write) -> None:
    """Write ``path`` aside with ``write(fh)``, sync it, then rename it over ``path``:
    readers see the old file or the whole new one, never a part."""
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise
    _fsync_folder(path.parent)


@contextmanager
def hold_folder(folder: str | Path, resume: bool = False, force: bool = False
                ) -> Iterator[Path]:
    """Hold an output folder for the whole of a command that writes it.

    Checks the folder as :meth:`ResultStore.check_folder` does, then locks it (see
    :mod:`govsim.experiment.lock`) and checks it again under the lock, before the block
    writes anything. Every verb that writes a folder runs inside this.

    Raises
    ------
    StoreError
        For an unusable or occupied folder, or one that another process is writing.
    """
    folder = Path(folder)
    ResultStore.check_folder(folder, resume, force)
    _acquire(folder)
    try:
        ResultStore.check_folder(folder, resume, force)
        yield folder
    finally:
        release(folder)


def _acquire(folder: Path) -> None:
    try:
        acquire(folder)
    except FolderLocked as exc:
        raise StoreError(str(exc)) from None
    except OSError as exc:
        raise StoreError(f"cannot write to {folder}: {exc.strerror or exc}") from None


class ResultStore:
    """One output folder of a compare or a sweep.

    :meth:`open` locks the folder and :meth:`close` unlocks it (also as a context
    manager: ``with ResultStore(...) as store: store.open(...)``).
    """

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
        self._locked = False

    def __enter__(self) -> ResultStore:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # -- opening -----------------------------------------------------------------------
    @staticmethod
    def check_folder(folder: str | Path, resume: bool, force: bool) -> None:
        """Refuse an occupied folder (unless resume/force), one another process is
        writing, or an unusable path. Reads only."""
        folder = Path(folder)
        if folder.exists() and not folder.is_dir():
            raise StoreError(f"{folder} exists and is not a folder")
        ancestor = folder
        while not ancestor.exists() and ancestor != ancestor.parent:
            ancestor = ancestor.parent
        if not ancestor.is_dir():
            raise StoreError(f"cannot create {folder}: {ancestor} is not a folder")
        if folder.is_dir():
            pid = holder(folder)
            if pid is not None and pid != os.getpid():
                raise StoreError(str(refusal(folder, pid)))
        if not os.access(ancestor, os.W_OK):
            raise StoreError(f"cannot write to {folder}: {ancestor} is not writable")
        occupied = folder.is_dir() and any((folder / f).exists() for f in RESULT_FILES)
        if occupied and not (resume or force):
            raise StoreError(f"{folder} already holds results (use --resume to complete "
                             "them or --force to replace them)")
        if resume and not occupied:
            raise StoreError(f"nothing to resume in {folder}")

    def open(self, spec: dict[str, Any], resume: bool, force: bool,
             runs_total: int | None = None) -> None:
        """Lock the folder, create or reopen it; on resume keep exactly the committed runs.

        Raises
        ------
        StoreError
            For a folder that cannot be used (nothing is written then).
        StoreWriteError
            For a write that fails (the folder is left resumable).
        """
        self.check_folder(self.folder, resume, force)
        _acquire(self.folder)
        self._locked = True
        try:
            self.check_folder(self.folder, resume, force)
            if resume:
                old = self._read_manifest()
                if old.get("spec") != spec:
                    raise StoreError(f"{self.folder} holds results of a different "
                                     "specification; use --force to replace them")
                torn = self._check_headers()
                self.manifest = old
                if runs_total is not None:
                    self.manifest["runs_total"] = runs_total
                with self._writes():
                    self._recover(torn)
                    self.write_manifest()
            else:
                self.manifest = _environment() | {
                    "spec": spec, "master_seed": spec.get("seed"),
                    "started": _now(), "finished": None, "runs_total": runs_total,
                    "runs_done": 0, "runs_failed": 0, "complete": False}
                with self._writes():
                    if force:
                        for name in (*RESULT_FILES, *_ASIDE):
                            (self.folder / name).unlink(missing_ok=True)
                    # the manifest first: a folder with any table has one, so it resumes
                    self.write_manifest()
                    self._write_header(self.runs_path, self.runs_header)
                    if self.ts_header is not None:
                        self._write_header(self.ts_path, self.ts_header)
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        """Unlock the folder (the kernel does it too if the process dies)."""
        if self._locked:
            self._locked = False
            release(self.folder)

    def _read_manifest(self) -> dict[str, Any]:
        try:
            return json.loads(self.manifest_path.read_text())
        except FileNotFoundError:
            raise StoreError(f"{self.folder} has tables but no manifest.json; use --force "
                             "to run again") from None
        except (OSError, ValueError) as exc:
            raise StoreError(f"cannot read {self.manifest_path}: "
                             f"{getattr(exc, 'strerror', None) or exc}") from None

    def _check_headers(self) -> set[Path]:
        """Refuse to resume tables whose columns differ from this run's (results of
        another govsim version or another set of measures): appending would misalign them.
        Returns the tables that are missing or whose header is torn (a write that failed
        before any row): those are started afresh."""
        tables = [(self.runs_path, self.runs_header)]
        if self.ts_header is not None:
            tables.append((self.ts_path, self.ts_header))
        torn = set()
        for path, header in tables:
            try:
                with open(path, "rb") as fh:
                    first = fh.readline()
            except FileNotFoundError:
                torn.add(path)
                continue
            except OSError as exc:
                raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from None
            if not first.endswith(b"\n"):
                torn.add(path)
                continue
            found = next(csv.reader([first.decode(errors="replace")]), [])
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
        return torn

    def _write_header(self, path: Path, header: list[str]) -> None:
        _replace_atomically(path, lambda fh: fh.write(_line(header).encode()))

    def _recover(self, torn: set[Path]) -> None:
        if self.runs_path in torn:
            self._write_header(self.runs_path, self.runs_header)
        runs = _records(self.runs_path, len(self.runs_header))
        self.committed = {rid for rid, _, _ in runs}
        self.failed = 0
        status = self.runs_header.index("status")
        raw = self.runs_path.read_bytes()
        for _, offset, length in runs:
            record = raw[offset:offset + length].decode(errors="replace")
            if next(csv.reader(io.StringIO(record, newline="")))[status] == "failed":
                self.failed += 1
        self._rewrite(self.runs_path, self.runs_header, runs, order=None)
        if self.ts_header is not None:
            if self.ts_path in torn:
                self._write_header(self.ts_path, self.ts_header)
            blocks = [b for b in _records(self.ts_path, len(self.ts_header))
                      if b[0] in self.committed]
            self._rewrite(self.ts_path, self.ts_header, blocks, order=None)

    def _rewrite(self, path: Path, header: list[str], blocks, order: dict[str, int] | None
                 ) -> None:
        """Copy the given blocks (optionally sorted by ``order``) to ``path`` atomically."""
        if order is not None:
            blocks = sorted(blocks, key=lambda b: order[b[0]])

        def copy(dst) -> None:
            dst.write(_line(header).encode())
            with open(path, "rb") as src:
                for _, offset, length in blocks:
                    src.seek(offset)
                    remaining = length
                    while remaining:
                        chunk = src.read(min(remaining, 1 << 20))
                        dst.write(chunk)
                        remaining -= len(chunk)

        _replace_atomically(path, copy)

    @contextmanager
    def _writes(self) -> Iterator[None]:
        """Turn a failed write into the one-line :class:`StoreWriteError`."""
        try:
            yield
        except OSError as exc:
            raise write_failure(exc, self.folder, len(self.committed),
                                self.manifest.get("runs_total"),
                                resumable=self.manifest_path.exists()) from exc

    # -- appending ---------------------------------------------------------------------
    def append(self, run_id: str, run_row: dict[str, Any], ts_rows: list[list[Any]] | None
               ) -> None:
        """Write a run's time series, then its commit record.

        Raises
        ------
        StoreWriteError
            When a write fails; the run is then not committed and leaves no bytes.
        """
        with self._writes():
            if self.ts_header is not None and ts_rows:
                block = "".join(_line([run_id, *r]) for r in ts_rows)
                self._append(self.ts_path, block)
            self._append(self.runs_path, _line(run_row.get(c, "") for c in self.runs_header))
        self.committed.add(run_id)
        if run_row.get("status") == "failed":
            self.failed += 1

    @staticmethod
    def _append(path: Path, text: str) -> None:
        data = memoryview(text.encode())
        with open(path, "ab", buffering=0) as fh:
            end = fh.seek(0, os.SEEK_END)
            try:
                while data:
                    data = data[fh.write(data):]
                os.fsync(fh.fileno())
            except OSError:
                # cut the part that went in, so no partial record remains for a resume
                try:
                    os.truncate(path, end)
                except OSError:
                    pass  # then recovery drops it as a torn record
                raise

    # -- closing -----------------------------------------------------------------------
    def keep(self, run_ids: set[str]) -> None:
        """Drop every committed run not in ``run_ids`` from both tables (atomically).

        Adaptive replication may run a batch past the replicate at which its stopping
        rule holds; dropping the surplus keeps the tables independent of the batch width.
        """
        runs = [b for b in _records(self.runs_path, len(self.runs_header))
                if b[0] in run_ids]
        dropped = self.committed - run_ids
        if not dropped:
            return
        with self._writes():
            self._rewrite(self.runs_path, self.runs_header, runs, order=None)
            if self.ts_header is not None:
                blocks = [b for b in _records(self.ts_path, len(self.ts_header))
                          if b[0] in run_ids]
                self._rewrite(self.ts_path, self.ts_header, blocks, order=None)
        self.committed &= run_ids
        self.failed = 0
        with open(self.runs_path, newline="") as fh:
            for row in csv.DictReader(fh):
                if row.get("status") == "failed":
                    self.failed += 1

    def finalize(self, order: dict[str, int]) -> None:
        """Rewrite both tables in canonical run order and complete the manifest.

        Raises
        ------
        StoreWriteError
            When a write fails; the tables keep every committed run.
        """
        with self._writes():
            self._rewrite(self.runs_path, self.runs_header,
                          _records(self.runs_path, len(self.runs_header)), order)
            if self.ts_header is not None:
                self._rewrite(self.ts_path, self.ts_header,
                              _records(self.ts_path, len(self.ts_header)), order)
            done = dict(finished=_now(), runs_done=len(self.committed) - self.failed,
                        runs_failed=self.failed, complete=True)
            self.write_manifest({**self.manifest, **done})
            self.manifest.update(done)

    def write_manifest(self, manifest: dict[str, Any] | None = None) -> None:
        """Replace manifest.json atomically (with ``manifest``, default the store's)."""
        text = json.dumps(self.manifest if manifest is None else manifest, indent=2,
                          sort_keys=True) + "\n"
        with self._writes():
            _replace_atomically(self.manifest_path, lambda fh: fh.write(text.encode()))


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
