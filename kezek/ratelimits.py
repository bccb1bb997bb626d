"""Where Flask-Limiter keeps its counters in an embedded installation: this process's memory."""
from __future__ import annotations

import threading
import time

from limits.storage import MemoryStorage

SWEEP_SECONDS = 1.0


class SweptMemoryStorage(MemoryStorage):
    """limits' in-memory storage, its expired entries swept at most once a second.

    The stock storage starts a new timer thread on a hit whenever the previous one (10 ms) has
    finished, so during a burst of tickets almost every kiosk request waited for a thread to start.
    Expired counters are dropped on read either way (`MemoryStorage.get`); the sweep only frees memory.
    Selected with the storage URL `swept-memory://` (the default).
    """

    STORAGE_SCHEME = ["swept-memory"]

    def __init__(self, uri: str | None = None, wrap_exceptions: bool = False, **options: str):
        self._last_sweep = 0.0
        super().__init__(uri, wrap_exceptions=wrap_exceptions, **options)

    def _MemoryStorage__schedule_expiry(self) -> None:  # overrides the stock storage's per-hit timer
        now = time.monotonic()
        if now - self._last_sweep < SWEEP_SECONDS or self.timer.is_alive():
            return
        self._last_sweep = now
        self.timer = threading.Timer(0.01, self._MemoryStorage__expire_events)
        self.timer.daemon = True
        self.timer.start()
