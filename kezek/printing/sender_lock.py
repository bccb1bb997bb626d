"""One sender per printer across the server processes of an SQLite installation.

Every process's lane of a printer reads the journal's unsent jobs of that printer and sends them. On
PostgreSQL the job's row stays locked while it is sent, so a second process skips it. SQLite has no
such lock: two processes (the kiosk instances of docs/deployment.md, gunicorn with two sync workers)
would both read a job as unsent and print the ticket twice. So on SQLite a lane holds this lock, a
file lock beside the database named after the printer, while it reads and sends: the other process's
lane waits, then reads the journal afresh and finds the ticket printed. A printer takes one ticket at a
time anyway.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from contextlib import contextmanager

try:
    import fcntl
except ImportError:  # Windows: one serving process (waitress), where one lane per printer suffices
    fcntl = None  # type: ignore[assignment]


class SenderLocks:
    """The per-printer locks of one SQLite database file (none for another database or on Windows)."""

    def __init__(self, database_path: str | None):
        usable = database_path and database_path != ":memory:" and fcntl is not None
        self._prefix = f"{database_path}.printer-" if usable else None

    @contextmanager
    def held(self, url: str) -> Iterator[None]:
        """Hold the printer `url`'s lock, waiting while another process sends to it."""
        if self._prefix is None:
            yield
            return
        name = hashlib.sha256(url.encode()).hexdigest()[:16]
        fd = os.open(f"{self._prefix}{name}.lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)  # the other process holds it one printer timeout at most per job
            yield
        finally:
            os.close(fd)  # closing the descriptor lets the lock go
