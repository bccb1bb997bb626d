"""The server `kezek serve` and `kezek demo` run: gunicorn's threaded worker, or waitress on Windows.

gunicorn with one gthread worker is what Flask-SocketIO documents for its threading mode (with
simple-websocket), and what the regional setup runs (docs/deployment.md): pages and the live channel
over WebSocket, in one process. gunicorn does not run on Windows; there waitress serves the same app,
and Socket.IO stays on HTTP long-polling (waitress hands no socket over for a WebSocket), which the
pages' Socket.IO client uses by itself.
"""
from __future__ import annotations

import importlib.util
import os
import signal
from collections.abc import Callable
from typing import Any

from kezek.serving import settle_for_serving
from kezek.services import services

SERVERS = ("auto", "gunicorn", "waitress")
# Threads of the one serving process by default (KEZEK_SERVER_THREADS): every open board, console, live
# floor and phone page holds one while it is open, so an office with more screens and phones needs more.
THREADS = 100
# Seconds a stop waits for requests in flight; a board's socket never finishes, so do not wait long.
GRACEFUL_SECONDS = 3


class ServerUnavailable(RuntimeError):
    """The chosen server cannot run here (not installed, or gunicorn on Windows)."""


def choose(name: str = "auto") -> str:
    """The server to run: `name`, or for "auto" gunicorn where it runs and waitress on Windows."""
    if name not in SERVERS:
        raise ServerUnavailable(f"unknown server {name!r}: choose one of {', '.join(SERVERS)}")
    if name == "auto":
        name = "waitress" if os.name == "nt" else "gunicorn"
    if name == "gunicorn" and os.name == "nt":
        raise ServerUnavailable("gunicorn does not run on Windows: use --server waitress")
    if importlib.util.find_spec(name) is None:
        raise ServerUnavailable(f"{name} is not installed: pip install {name}")
    return name


def run(app: Any, host: str, port: int, on_start: Callable[[], None], server: str = "auto",
        certfile: str | None = None, keyfile: str | None = None,
        on_stop: Callable[[], None] = lambda: None) -> None:
    """Serve `app` on host:port until stopped (HTTPS with `certfile` and `keyfile`, gunicorn only);
    `on_start` runs once in the process that serves, before its first request, and `on_stop` there
    when it stops."""
    if choose(server) == "gunicorn":
        _run_gunicorn(app, host, port, on_start, on_stop, certfile, keyfile)
    else:
        _run_waitress(app, host, port, on_start, on_stop)


def threads(app: Any) -> int:
    """The serving process's threads: KEZEK_SERVER_THREADS, or 100."""
    return int(app.config.get("SERVER_THREADS", THREADS))


def _bind(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def _run_gunicorn(app: Any, host: str, port: int, on_start: Callable[[], None], on_stop: Callable[[], None],
                  certfile: str | None = None, keyfile: str | None = None) -> None:
    from gunicorn.app.base import BaseApplication

    class EmbeddedServer(BaseApplication):
        """gunicorn serving the app this command already made, with one threaded worker."""

        def load_config(self) -> None:
            settings = {
                "bind": [_bind(host, port)],
                "worker_class": "gthread",
                # One process: Socket.IO keeps its clients in the process, and SQLite has one writer.
                "workers": 1,
                "threads": threads(app),
                "graceful_timeout": GRACEFUL_SECONDS,
                # No access log: /t/<code> paths hold a ticket's secret code; kezek.logs records the
                # route pattern of every request instead.
                "accesslog": None,
                "loglevel": "warning",
                "post_fork": lambda server, worker: _die_with(server.pid),
                "post_worker_init": lambda worker: on_start(),
                "worker_exit": lambda server, worker: on_stop(),
            }
            if certfile:
                settings.update(certfile=certfile, keyfile=keyfile)
            # gunicorn 26 and newer listen on a control socket in the home folder, one path for every
            # server of the user: several Kezek servers (an office's test copy, the tests) would collide.
            if "control_socket_disable" in self.cfg.settings:
                settings["control_socket_disable"] = True
            for key, value in settings.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            return app

    # The worker is a fork of this process: connections this process opened (migrations, the demo's
    # setup) must not be shared with it.
    services(app).engine.dispose()
    # Frozen before the fork, the start-up objects are never walked by this process's collector, nor
    # by the worker's (and stay shared with it, untouched); this also keeps the collection Python makes
    # at exit short, which took seconds on a busy machine when the server was stopped.
    settle_for_serving()
    EmbeddedServer().run()


def _die_with(parent: int) -> None:
    """Make this worker die when the gunicorn process above it dies, even by SIGKILL (Linux).

    The command is the server: an operator or a supervisor that kills it expects no worker to go on
    answering (and writing) from the inherited socket, as gunicorn's own check would let it for a while.
    """
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):  # not Linux: gunicorn's own check of its parent stops the worker
        return
    if os.getppid() != parent:  # the parent died before the request above took effect
        os._exit(1)


def _run_waitress(app: Any, host: str, port: int, on_start: Callable[[], None], on_stop: Callable[[], None]) -> None:
    import waitress

    from kezek.extensions import socketio

    # waitress cannot hand a connection over to a WebSocket, so the handshake offers no upgrade and
    # every page stays on long-polling (one thread per waiting poll, hence the thread count).
    socketio.server.eio.allow_upgrades = False
    on_start()
    # create_server rather than serve(): serve() would add a root log handler beside kezek.logs' own,
    # and every line would be written twice.
    count = threads(app)
    server = waitress.create_server(app, host=host, port=port, threads=count, connection_limit=4 * count,
                                    ident="kezek")
    try:
        server.run()
    finally:
        on_stop()
