"""The node's sender as a service of `kezek serve`: on an enrolled node, one background thread ships the outbox."""
from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from kezek.clock import app_now
from kezek.models import CentreLink
from kezek.nodes.sender import Sender
from kezek.services import services


def start_sender(app: Flask) -> bool:
    """Start shipping on a thread when this installation is an enrolled, unrevoked node (once); whether it runs."""
    found = services(app)
    if found.node_sender is not None or not app.config["DATABASE_URL"].startswith("sqlite"):
        return found.node_sender is not None
    try:
        with found.sessions() as session:
            link = session.get(CentreLink, 1)
    except SQLAlchemyError:  # a database not yet upgraded (`kezek init-db`) has no link: not a node yet
        return False
    if link is None or link.revoked_at is not None:
        return False
    stop = threading.Event()
    sender = Sender(found.sessions, lambda: app_now(app), write_lock=found.write_lock)
    thread = threading.Thread(target=sender.run, args=(stop,), name="kezek-node-sender", daemon=True)
    found.node_sender = (thread, stop)
    thread.start()
    return True


def stop_sender(app: Flask, seconds: float = 30) -> None:
    """Stop the sender thread, if it runs, after the batch in flight."""
    found = services(app)
    running, found.node_sender = found.node_sender, None
    if running is not None:
        thread, stop = running
        stop.set()
        thread.join(seconds)
