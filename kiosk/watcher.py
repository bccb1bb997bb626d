"""The kiosks' clock watcher: while a kiosk page is connected, it looks every few seconds whether time alone
changed an office's kiosk state (opening, lunch, closing, a visit kind too late for today).

It knows neither the app nor the sockets: the factory (kezek.wiring) gives it how to find the watched
offices and how to check them (kiosk.events), so it can live on the app's services (kezek.services).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable


class Watcher:
    """Checks the offices with a kiosk page connected to this process every `seconds()`, by `check(office_ids)`;
    the thread ends when the last page leaves and starts again with the next."""

    def __init__(
        self,
        offices: Callable[[], list[int]],
        check: Callable[[list[int]], None],
        seconds: Callable[[], float],
        logger: logging.Logger,
    ):
        self.offices = offices
        self.check = check
        self.seconds = seconds
        self.logger = logger
        self.last: dict[int, dict[str, str]] = {}
        self.thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def sent(self, office_id: int, state: dict) -> None:
        """Remember the keys last sent to an office's kiosk pages."""
        self.last[office_id] = state["keys"]

    def start(self) -> None:
        """Start watching, unless already watching."""
        with self._lock:
            if self.thread is None or not self.thread.is_alive():
                self.thread = threading.Thread(target=self.run, name="kezek-kiosk-watcher", daemon=True)
                self.thread.start()

    def run(self) -> None:
        """Check each watched office until no kiosk page is left."""
        while True:
            time.sleep(self.seconds())
            watched = self.offices()
            if not watched:
                with self._lock:
                    self.thread = None
                return
            try:
                self.check(watched)
            except Exception:  # the next round tries again; a kiosk page also re-reads on reconnect
                self.logger.exception("checking the kiosks' state failed")
