"""The node's sender (no Flask): ships the outbox to the centre in batches over HTTP(S), retrying with backoff.

Each round reads the next batch after the last acknowledged sequence number, posts it with the
node's credential, and stores the centre's acknowledgement. Nothing is deleted from the outbox: a
node killed between the centre's commit and its own simply sends the batch again, and the centre
skips what it already has. A centre that answers "revoked" stops the sender for good, until the
node is enrolled again.
"""

from __future__ import annotations

import json
import logging
import random
import ssl
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from kezek.models import CentreLink, Office, utcnow
from kezek.nodes import down, outbox
from kezek.writelock import WriteBusy, writer_turn

log = logging.getLogger("kezek.nodes")

BATCH = 500
KEEP_DAYS = 30  # acknowledged outbox entries older than this are deleted (an hour apart at most, while idle)
PRUNE_EVERY = 3600.0
FIRST_DELAY, MAX_DELAY = 1.0, 60.0
UP_PATH, DOWN_PATH, ENROL_PATH = "/nodes/up", "/nodes/down", "/nodes/enrol"


class LinkDown(Exception):
    """The centre could not be reached, or answered with an error worth retrying."""


@dataclass
class Answer:
    """The centre's HTTP status and JSON body."""

    status: int
    body: dict


def post_json(
    url: str, payload: dict, credential: str | None = None, timeout: float = 30, ca_file: str | None = None
) -> Answer:
    """POST `payload` as JSON to `url` (with the node's credential as a bearer token); LinkDown when unreachable."""
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    if credential:
        headers["Authorization"] = f"Bearer {credential}"
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=headers, method="POST")
    context = ssl.create_default_context(cafile=ca_file) if url.startswith("https:") else None
    try:
        with urllib.request.urlopen(request, timeout=timeout, context=context) as answer:
            return Answer(answer.status, json.loads(answer.read() or b"{}"))
    except urllib.error.HTTPError as error:
        try:
            body = json.loads(error.read() or b"{}")
        except ValueError:
            body = {}
        return Answer(error.code, body if isinstance(body, dict) else {})
    except (OSError, ValueError) as error:
        raise LinkDown(str(error)) from error


def bearer(link: CentreLink) -> str:
    """The Authorization token of the node: its id and credential."""
    return f"{link.node_id}.{link.credential}"


class Sender:
    """Ships one node's outbox; `ship_once` is one round, `run` loops with backoff until stopped or revoked."""

    def __init__(
        self,
        sessions: sessionmaker,
        clock: Callable[[], datetime],
        post: Callable[..., Answer] = post_json,
        batch: int = BATCH,
        ca_file: str | None = None,
        max_delay: float = MAX_DELAY,
        write_lock: AbstractContextManager | None = None,
        keep_days: float = KEEP_DAYS,
    ):
        self.sessions, self.clock, self.post, self.batch, self.ca_file = sessions, clock, post, batch, ca_file
        # The app's SQLite writer lock: the sender's few writes take their turn with the kiosks' and clerks'.
        self.max_delay, self.write_lock = max_delay, write_lock or nullcontext()
        self.keep_days, self.pruned_at = keep_days, -PRUNE_EVERY

    def prune(self, days: float | None = None) -> int:
        """Delete the acknowledged outbox entries older than `days` (the sender's own) at the database's clock; how
        many."""
        before = utcnow() - timedelta(days=self.keep_days if days is None else days)
        with self.sessions() as session:
            link = session.get(CentreLink, 1)
            if link is None:
                return 0
            with writer_turn(session, self.write_lock):
                count = outbox.prune(session, link.acked_seq, before)
                session.commit()
        self.pruned_at = time.monotonic()
        return count

    def _note(
        self, session: Session, link: CentreLink, error: str = "", acked: int | None = None, revoked: bool = False
    ) -> None:
        now = self.clock()
        link.last_attempt_at = now
        link.last_error = error[:1000]
        if acked is not None:
            link.acked_seq, link.last_success_at = acked, now
        if revoked:
            link.revoked_at = now
        with writer_turn(session, self.write_lock):
            session.commit()

    def ship_once(self) -> str:
        """Send one batch: 'sent', 'idle' (nothing to send), 'revoked' or 'unenrolled'; LinkDown to retry later."""
        with self.sessions() as session:
            link = session.get(CentreLink, 1)
            if link is None:
                return "unenrolled"
            if link.revoked_at is not None:
                return "revoked"
            if outbox.installed(session.connection()) < len(outbox.trigger_statements()):
                with writer_turn(session, self.write_lock):  # a migration rebuilt a table and dropped its trigger
                    outbox.install(session.connection())
                    session.commit()
            office_id = session.scalar(select(Office.id).where(Office.slug == link.office_slug))
            payload = outbox.batch(session, office_id, link.acked_seq, self.batch)
            url, token = link.centre_url.rstrip("/") + UP_PATH, bearer(link)
            session.rollback()  # no read transaction held open while waiting for the centre
            if not payload["entries"]:
                if self.take_settings() == "revoked":
                    return "revoked"
                if time.monotonic() - self.pruned_at >= PRUNE_EVERY:
                    self.prune()
                return "idle"
            try:
                answer = self.post(url, payload, credential=token, ca_file=self.ca_file)
            except LinkDown as error:
                self._note(session, link, f"the centre cannot be reached: {error}")
                raise
            acked = answer.body.get("acked")
            if answer.status == 200 and isinstance(acked, int):
                self._note(session, link, acked=acked)
                return "sent"
            if answer.status == 409 and answer.body.get("error") == "gap" and isinstance(acked, int):
                self._note(session, link, f"the centre has up to {acked}: sending again from there", acked=acked)
                raise LinkDown("the centre is behind this node; sending again from its number")
            if answer.status == 403 and answer.body.get("error") == "revoked":
                self._note(session, link, answer.body.get("message", "revoked at the centre"), revoked=True)
                log.error("this node was revoked at the centre: it stops sending (enrol it again to resume)")
                return "revoked"
            message = f"the centre answered {answer.status}: {answer.body.get('message') or answer.body}"
            self._note(session, link, message)
            raise LinkDown(message)

    def take_settings(self) -> str:
        """Ask the centre for the office's data (settings, services, directory, staff) and apply a new version in one
        transaction: 'taken', 'same' or 'revoked'; LinkDown to try again later (nothing applied)."""
        with self.sessions() as session:
            link = session.get(CentreLink, 1)
            if link is None or link.revoked_at is not None:
                return "revoked"
            url, token, have = link.centre_url.rstrip("/") + DOWN_PATH, bearer(link), link.down_version
            session.rollback()
            try:
                answer = self.post(url, {"version": have}, credential=token, ca_file=self.ca_file)
            except LinkDown as error:
                self._note(session, link, f"the centre cannot be reached: {error}")
                raise
            if answer.status == 403 and answer.body.get("error") == "revoked":
                self._note(session, link, answer.body.get("message", "revoked at the centre"), revoked=True)
                return "revoked"
            if answer.status != 200 or not isinstance(answer.body.get("version"), str):
                raise LinkDown(f"the centre answered {answer.status} when asked for the office's settings")
            if "data" not in answer.body:
                return "same"
            with writer_turn(session, self.write_lock):
                link = session.get(CentreLink, 1)
                office = session.scalar(select(Office).where(Office.slug == link.office_slug))
                try:
                    conflicts = down.take_all(
                        session, link, office, answer.body["version"], answer.body["data"], self.clock()
                    )
                except (ValueError, TypeError, KeyError, SQLAlchemyError) as error:
                    session.rollback()  # nothing of the new version: the old one stays whole
                    raise LinkDown(f"the centre's office data could not be applied: {error}") from error
                session.commit()
            if conflicts:
                log.warning(
                    "office node: the centre's data replaced settings changed here too: %s", ", ".join(conflicts)
                )
            return "taken"

    def run(self, stop: threading.Event, idle_seconds: float = 2.0) -> str:
        """Ship until `stop` is set or the node is revoked: at once while there is more, with backoff after failures."""
        delay = FIRST_DELAY
        while not stop.is_set():
            try:
                state = self.ship_once()
            except (LinkDown, OperationalError, WriteBusy) as error:  # the link down, or the node's database busy
                log.warning("office node: %s; next try in %.0f s", error, delay)
                stop.wait(delay * random.uniform(0.8, 1.2))
                delay = min(delay * 2, self.max_delay)
                continue
            delay = FIRST_DELAY
            if state in ("revoked", "unenrolled"):
                return state
            if state == "idle":
                stop.wait(idle_seconds)
        return "stopped"
