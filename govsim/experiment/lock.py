"""One writer per output folder: an exclusive OS file lock held for the whole command.

Every verb that writes a folder holds :func:`folder_lock` on it from before its first
write to the end. The lock is ``flock(LOCK_EX)`` on the file ``.govsim.lock`` inside the
folder, so the kernel releases it when the holder exits or dies, however it dies: there
is no stale lock to clean up and no PID that a new process could reuse (the flaw of lock
files that hold only a PID). The holder writes its PID into the file so that a refused
writer can name it.

Within one process the lock is re-entrant, so that a verb can hold it around a call that
takes it again (``compare`` around the sweep it runs); another thread of the same process
is refused like another process.
"""

from __future__ import annotations

import errno
import fcntl
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

__all__ = ["LOCK_FILE", "FolderLocked", "acquire", "folder_lock", "holder", "refusal",
           "release"]

LOCK_FILE = ".govsim.lock"


class FolderLocked(ValueError):
    """The folder is being written by another process (one line, user-facing)."""


@dataclass
class _Held:
    fd: int
    count: int
    thread: int


_held: dict[str, _Held] = {}
_guard = threading.Lock()


def _key(folder: Path) -> str:
    return os.path.realpath(folder)


def holder(folder: str | Path) -> int | None:
    """The PID of the process that holds ``folder``, or None when it is free.

    Reads only: the lock file is opened read-only and never created.
    """
    path = Path(folder) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                return _pid(fd) or -1
            return None
        fcntl.flock(fd, fcntl.LOCK_UN)
        return None
    finally:
        os.close(fd)


def _pid(fd: int) -> int | None:
    try:
        text = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


def refusal(folder: str | Path, pid: int | None) -> FolderLocked:
    """The one-line refusal of a folder that the process ``pid`` holds."""
    who = f"another govsim process (PID {pid})" if pid and pid > 0 else \
        "another govsim process"
    return FolderLocked(f"{folder} is being written by {who}; wait for it to finish or "
                        "choose another --out")


def acquire(folder: str | Path) -> None:
    """Take the lock on ``folder`` (created if missing) or raise :class:`FolderLocked`.

    Raises
    ------
    FolderLocked
        When another process, or another thread of this one, holds the folder.
    OSError
        When the folder or its lock file cannot be created or opened for writing.
    """
    folder = Path(folder)
    key = _key(folder)
    with _guard:
        held = _held.get(key)
        if held is not None:
            if held.thread != threading.get_ident():
                raise refusal(folder, os.getpid())
            held.count += 1
            return
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(folder / LOCK_FILE, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            pid = _pid(fd)
            os.close(fd)
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN):
                raise refusal(folder, pid) from None
            raise
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:
            pass  # a full disk must not stop the lock; the PID is only for messages
        _held[key] = _Held(fd, 1, threading.get_ident())


def release(folder: str | Path) -> None:
    """Give back one hold on ``folder``; the last one unlocks it."""
    key = _key(Path(folder))
    with _guard:
        held = _held.get(key)
        if held is None:
            return
        held.count -= 1
        if held.count == 0:
            del _held[key]
            # the file stays: removing it would let a waiting writer lock a dead inode
            os.close(held.fd)


@contextmanager
def folder_lock(folder: str | Path) -> Iterator[Path]:
    """Hold ``folder`` for writing for the duration of the block.

    Example
    -------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d, folder_lock(d):
    ...     holder(d) == os.getpid()
    True
    """
    acquire(folder)
    try:
        yield Path(folder)
    finally:
        release(folder)


def _forget_in_child() -> None:
    # a forked child shares the parent's open file description; closing the child's copy
    # keeps the parent's lock and stops the child from holding it after the parent dies
    for held in _held.values():
        try:
            os.close(held.fd)
        except OSError:
            pass
    _held.clear()


os.register_at_fork(after_in_child=_forget_in_child)
