"""The node's sender as a service of `kezek serve`: on an enrolled node, one background thread ships the outbox."""
from __future__ import annotations

import threading

from flask import Flask
from sqlalchemy.exc import SQLAlchemyError

from kezek.clock import app_now
from kezek.extensions import db
from kezek.models import CentreLink
from kezek.nodes.sender import Sender

EXTENSION = "kezek.node_sender"


def start_sender(app: Flask) -> bool:
    """Start shipping on a thread when this installation is an enrolled, unrevoked node (once); whether it runs."""
    if EXTENSION in app.extensions or not app.config["DATABASE_URL"].startswith("sqlite"):
        return EXTENSION in app.extensions
    try:
        with app.extensions["kezek.db"]() as session:
            link = session.get(CentreLink, 1)
    except SQLAlchemyError:  # a database not yet upgraded (`kezek init-db`) has no link: not a node yet
        return False
    if link is None or link.revoked_at is not None:
        return False
    stop = threading.Event()
    with app.app_context():
        write_lock = db.write_lock
    sender = Sender(app.extensions["kezek.db"], lambda: app_now(app), write_lock=write_lock)
    thread = threading.Thread(target=sender.run, args=(stop,), name="kezek-node-sender", daemon=True)
    app.extensions[EXTENSION] = (thread, stop)
    thread.start()
    return True


def stop_sender(app: Flask, seconds: float = 30) -> None:
    """Stop the sender thread, if it runs, after the batch in flight."""
    running = app.extensions.pop(EXTENSION, None)
    if running is not None:
        thread, stop = running
        stop.set()
        thread.join(seconds)
