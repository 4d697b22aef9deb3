"""What every verb of the ``govsim`` command shares: options, typed arguments, the one-line
error, output checks and the exit statuses. The CLI layer only (:mod:`govsim.cli`,
:mod:`govsim.cli_experiment`) imports it.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import textwrap
from collections.abc import Sequence
from pathlib import Path

__all__ = ["EXIT_STATUS", "RUN_EXIT_STATUS", "UserError", "add_common", "at_least_two",
           "check_writable", "wrapped", "Parser", "nonneg_int", "parse_sets", "positive_int",
           "write_csv_atomic"]


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


class Parser(argparse.ArgumentParser):
    #: the command line being parsed (for hints)
    argv: Sequence[str] = ()

    def error(self, message: str) -> None:  # one line, exit 2
        if message.startswith("unrecognized arguments") and "--set" in Parser.argv:
            message += " (--set takes one KEY=VALUE, e.g. --set hall.threshold=0.5)"
        raise UserError(f"{self.prog}: {message}")


def add_common(p: argparse.ArgumentParser, out_help: str = "output file") -> None:
    """The options shared by every verb that runs a model."""
    p.add_argument("--steps", type=positive_int, default=None,
                   help="days to simulate (default: 365)")
    p.add_argument("--seed", type=nonneg_int, default=0, help="master seed (default 0)")
    p.add_argument("--residents", type=positive_int, default=None,
                   help="number of residents (overrides the scenario's size)")
    p.add_argument("--set", dest="sets", action="append", default=[], metavar="KEY=VALUE",
                   help="override a parameter by its dotted key, e.g. --set "
                   "hall.threshold=0.5 (repeatable; 'govsim show NAME' lists the keys)")
    p.add_argument("--out", default=None, help=out_help)
    p.add_argument("--force", action="store_true", help="overwrite existing output")


def wrapped(text: str) -> str:
    """A verb's description wrapped for ``--help`` (verbs with an exit-status epilog print
    their description as it is)."""
    return textwrap.fill(text, 79)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a positive integer, got {text!r}")
    return value


def at_least_two(text: str) -> int:
    """Replicates of a paired comparison: an interval needs at least two pairs."""
    value = positive_int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("a paired interval needs at least 2 replicates, "
                                         f"got {text!r}")
    return value


def nonneg_int(text: str) -> int:
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


