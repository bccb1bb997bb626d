"""What a serving process does once its application is made, before the first request."""
from __future__ import annotations

import gc


def settle_for_serving() -> None:
    """Keep the objects made at start-up (modules, the app, its caches) out of the garbage collector's reach.

    A serving process holds a few hundred thousand such objects, and the collector's full pass walks
    them all: 60-70 ms during which the process answers nobody (a kiosk tap waits behind it). They
    live as long as the process, so frozen they are never walked again; only what requests make is.
    """
    gc.collect()
    gc.freeze()
