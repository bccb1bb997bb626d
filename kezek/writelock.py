"""One writer at a time on an SQLite database, across threads and server processes, queued fairly."""
from __future__ import annotations

import os
import threading

try:
    import fcntl
except ImportError:  # Windows: one serving process (waitress), so the thread lock alone queues writers
    fcntl = None  # type: ignore[assignment]


class SQLiteWriteLock:
    """A thread lock plus an advisory file lock beside the database file.

    SQLite has one writer at a time; its own busy handler makes waiting writers sleep in growing
    steps, so under many kiosks the slowest answers take seconds. Queueing here instead is quick:
    threads of one process wait on the thread lock, processes (several gunicorn workers) on the file.
    """

    def __init__(self, database_path: str | None):
        self._thread_lock = threading.Lock()
        self._path = f"{database_path}.writelock" if database_path and database_path != ":memory:" else None
        self._fd: int | None = None
        self._pid = 0

    def _file(self) -> int | None:
        if self._path is None or fcntl is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own descriptor
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._pid = os.getpid()
        return self._fd

    def __enter__(self) -> "SQLiteWriteLock":
        self._thread_lock.acquire()
        try:
            fd = self._file()
            if fd is not None:
                fcntl.flock(fd, fcntl.LOCK_EX)
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
