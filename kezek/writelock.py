"""One writer at a time on an SQLite database, across threads and server processes, each waiting a bounded time."""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

# How long a writer waits for its turn by default before giving up (the visitor is asked to tap again).
WAIT_SECONDS = 5.0


@contextmanager
def writer_turn(session, lock) -> Iterator[None]:
    """Hold `lock` (the writer's turn) once `session` holds its database connection.

    The connection comes first: under a rush the pool's connections are all held by threads waiting for
    the writer's turn, so the thread whose turn it is must already have its own, or nothing moves until
    the waits run out. (Taking a connection begins no transaction: SQLite's reads and writes start theirs
    at their first statement.)
    """
    session.connection()
    with lock:
        yield


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


class _FileWaiter:
    """Waits, blocking, for the file lock on a descriptor of its own in a thread of its own, for one writer
    at a time, so that writer gets its turn the moment the holder lets go (polling would leave it asleep
    for milliseconds after every release: under several busy processes that was a tenth of the taps);
    the writer itself waits only as long as it chose.

    A turn the writer gave up on before the lock came is let go at once. The descriptor is not the
    writers' own: a flock is held by an open file, and one shared with a writer that took the lock without
    waiting would be granted to this thread too, which would then let go of the writer's lock.
    """

    def __init__(self, path: str):
        self.fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        self._changed = threading.Condition()
        self._wanted: threading.Event | None = None  # the waiting writer's turn, set when it has the lock
        threading.Thread(target=self._run, name="kezek-write-turns", daemon=True).start()

    def take(self, seconds: float) -> bool:
        """Whether the file lock is held (on `fd`) within `seconds`; if not, nothing is held."""
        turn = threading.Event()
        with self._changed:
            self._wanted = turn
            self._changed.notify()
        if turn.wait(seconds):
            return True
        with self._changed:
            if self._wanted is turn:  # not granted: the thread lets go of the lock if it comes now
                self._wanted = None
                return False
        turn.wait()  # granted as the wait ended: the thread is just saying so
        return True

    def _run(self) -> None:
        while True:
            with self._changed:
                while self._wanted is None:
                    self._changed.wait()
            fcntl.flock(self.fd, fcntl.LOCK_EX)
            with self._changed:
                turn, self._wanted = self._wanted, None
            if turn is None:  # its writer gave up
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            else:
                turn.set()


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
        self._waiter: _FileWaiter | None = None
        self._pid = 0
        self._held: int | None = None  # the descriptor holding the file lock now
        self.timeout = timeout

    def _file(self) -> int | None:
        if self._path is None or fcntl is None:
            return None
        if self._fd is None or self._pid != os.getpid():  # a forked worker opens its own descriptor and waiter
            self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            self._waiter = None
            self._pid = os.getpid()
        return self._fd

    def _lock_file(self, fd: int, deadline: float) -> int:
        """The descriptor that took the file lock: `fd` at once, or the waiter's once the holder lets go."""
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return fd
        except BlockingIOError:
            pass
        if self._waiter is None:
            self._waiter = _FileWaiter(self._path)  # type: ignore[arg-type]
        if not self._waiter.take(max(0.0, deadline - time.monotonic())):
            raise WriteBusy(f"another process held {self._path} for over {self.timeout:g} s")
        return self._waiter.fd

    def __enter__(self) -> SQLiteWriteLock:
        deadline = time.monotonic() + self.timeout
        if not self._thread_lock.acquire(timeout=self.timeout):
            raise WriteBusy(f"another writer of this process held the database for over {self.timeout:g} s")
        try:
            fd = self._file()
            if fd is not None:
                self._held = self._lock_file(fd, deadline)
        except BaseException:
            self._thread_lock.release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._held is not None and self._pid == os.getpid():
                fcntl.flock(self._held, fcntl.LOCK_UN)
        finally:
            self._held = None
            self._thread_lock.release()
