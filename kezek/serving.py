"""What a serving process does once its application is made, before the first request."""
from __future__ import annotations

import gc
import os

from flask import Flask


def settle_for_serving() -> None:
    """Keep the objects made at start-up (modules, the app, its caches) out of the garbage collector's reach.

    A serving process holds a few hundred thousand such objects, and the collector's full pass walks
    them all: 60-70 ms during which the process answers nobody (a kiosk tap waits behind it). They
    live as long as the process, so frozen they are never walked again; only what requests make is.
    """
    gc.collect()
    gc.freeze()


def serve_in_forked_workers(app: Flask) -> None:
    """Keep `app` serving in every process forked from this one (gunicorn's `--preload`: the workers are
    forks of the process that made the app).

    A fork inherits none of the running threads, only their objects, and shares the parent's database
    connections. So before the first fork this process stops its threads (a master serves no request),
    and each forked process makes its own services (engine, print worker, publishers, alert checker)
    and starts them. A server that makes the app in each worker (gunicorn without `--preload`) never
    forks after this, so nothing here runs.
    """
    from kezek.services import services, start_serving, stop_serving
    from kezek.wiring import make_services

    parent = os.getpid()

    def before_fork() -> None:
        if os.getpid() == parent:
            stop_serving(app)  # once is enough: stopping again finds nothing running

    def in_the_fork() -> None:
        services(app).engine.dispose(close=False)  # the parent's connections stay the parent's
        make_services(app)
        start_serving(app)

    os.register_at_fork(before=before_fork, after_in_child=in_the_fork)
