"""One writer at a time on an SQLite database, across threads and server processes, each waiting a bounded time."""
from __future__ import annotations

import os
import threading
import time

# How long a writer waits for its turn by default before giving up (the visitor is asked to tap again).
WAIT_SECONDS = 5.0


class WriteBusy(Exception):
    """The database's writer did not get its turn in time; nothing was written."""


def is_busy(error: BaseException) -> bool:
    """Whether `error` is a writer giving up its wait: ours (WriteBusy) or SQLite's ("database is locked")."""
    if isinstance(error, WriteBusy):
        return True
    original = getattr(error, "orig", error)
    return type(original).__name__ == "OperationalError" and "locked" in str(original).lower()

try:
    import fcntl
except ImportError:  # Windows: one serving process (waitress), so the thread lock alone queues writers
    fcntl = None  # type: ignore[assignment]


class SQLiteWriteLock:
    """A thread lock plus an advisory file lock beside the database file, each waited for at most `timeout`.

    SQLite has one writer at a time; its own busy handler makes waiting writers sleep in growing
    steps, so under many kiosks the slowest answers take seconds. Queueing here instead is quick:
    threads of one process wait on the thread lock, processes (several gunicorn workers) on the file.
    A writer that has not had its turn within `timeout` raises WriteBusy and writes nothing, so a
    lock held too long (a stuck process, a backup) gives visitors an answer instead of a hung tap,
    and no ticket is made after the answer.
    """

    def __init__(self, database_path: str | None, timeout: float = WAIT_SECONDS):
        self._thread_lock = threading.Lock()
        self._path = f"{database_path}.writelock" if database_path and database_path != ":memory:" else None
        self._fd: int | None = None
        self._pid = 0
        self.timeout = timeout

    def _file(self) -> int | None:
        if self._path is None or fcntl is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own descriptor
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def _lock_file(self, fd: int, deadline: float) -> None:
        pause = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return
            except BlockingIOError:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise WriteBusy(f"another process held {self._path} for over {self.timeout:g} s") from None
                time.sleep(min(pause, left))
                pause = min(pause * 2, 0.005)

    def __enter__(self) -> "SQLiteWriteLock":
        deadline = time.monotonic() + self.timeout
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise WriteBusy(f"another writer of this process held the database for over {self.timeout:g} s")
        try:
            fd = self._file()
            if fd is not None:
                self._lock_file(fd, deadline)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._fd is not None and self._pid == os.getpid():
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._thread_lock.release()
