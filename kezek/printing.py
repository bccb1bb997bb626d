"""The print journal: every ticket's print jobs, sent off the request path and retried until printed."""
from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
from concurrent.futures import ThreadPoolExecutor
from contextlib import nullcontext
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from kezek.models.base import utcnow
from kezek.models.cabinet import Kiosk
from kezek.models.printing import FAILED, QUEUED, SENT, SUPERSEDED, UNSENT, PrintJob
from kezek.models.rows import insert_row
from kezek.models.ticket import OPEN_STATES, Ticket
from kezek.writelock import is_busy

log = logging.getLogger(__name__)

# Kiosks whose printer hangs off the kiosk PC: a print agent there fetches their jobs (printer/agent.py).
AGENT_URL = "agent://"
# A job is retried while its ticket is open and for this long after it was queued; later, paper helps no one.
RETRY_WINDOW = timedelta(hours=2)
# A job that failed for a reason of its own (not the printer's) is not retried: it would fail again.
JOB_ERROR = "error"

__all__ = [
    "AGENT_URL", "FAILED", "QUEUED", "SENT", "SUPERSEDED", "PrintWorker", "agent_jobs", "agent_token_matches",
    "is_agent", "job_bytes", "new_agent_token", "pending_jobs", "printer_states", "queue_print",
    "record_outcome", "reprint", "ticket_print",
]


def ticket_print(ticket: Ticket, status_url: str):
    """What the paper ticket shows, as the printer package's TicketPrint."""
    from printer import TicketPrint

    kind, office = ticket.visit_kind, ticket.office
    langs = ("kk", "ru", "en")
    return TicketPrint(
        office={lang: office.name(lang) for lang in langs},
        number=ticket.label,
        service={lang: kind.service.name(lang) for lang in langs},
        visit_kind={lang: kind.name(lang) for lang in langs},
        lang=ticket.lang,
        issued_local=ticket.issued_at.astimezone(ZoneInfo(office.timezone)),
        people_ahead=ticket.people_ahead,
        estimate_min=(ticket.estimate_low_minutes, ticket.estimate_high_minutes),
        wait_limit_min=ticket.wait_limit_minutes,
        documents={lang: kind.document_names(lang) for lang in langs},
        status_url=status_url,
        cabinet=None,
    )


def job_bytes(job: PrintJob) -> bytes:
    """The ESC/POS bytes of one job, laid out for its kiosk's printer profile."""
    from printer import build_ticket_bytes

    profile = job.kiosk.printer_profile if job.kiosk else "TM-T20II"
    return build_ticket_bytes(ticket_print(job.ticket, job.status_url), profile=profile, width_dots=None)


def is_agent(url: str) -> bool:
    """Whether a printer URL means "a print agent on the kiosk PC takes these jobs"."""
    return url.strip().lower().startswith(AGENT_URL)


def queue_print(session: Session, ticket: Ticket, kiosk: Kiosk | None, status_url: str, now: datetime) -> PrintJob:
    """Add a print job for `ticket` to the journal; the caller commits."""
    return insert_row(session, PrintJob, {"ticket_id": ticket.id, "kiosk_id": kiosk.id if kiosk else None,
                                          "state": QUEUED, "created_at": now, "status_url": status_url})


def reprint(session: Session, ticket_id: int, now: datetime, status_url: str | None = None) -> PrintJob:
    """Queue a ticket again for a clerk; its earlier unsent jobs are superseded so it prints once.

    The caller commits, then hands the job to the print worker (`submit(job.id)`). The kiosk and the
    QR address are those of the ticket's last job (or the ticket's kiosk and `status_url`).
    """
    ticket = session.get(Ticket, ticket_id)
    if ticket is None:
        raise LookupError(f"no ticket {ticket_id}")
    last = session.scalar(select(PrintJob).where(PrintJob.ticket_id == ticket_id).order_by(PrintJob.id.desc()))
    address = status_url or (last.status_url if last else "")
    if not address:
        raise ValueError(f"ticket {ticket_id} was never printed: give its status_url")
    kiosk = last.kiosk if last else (session.get(Kiosk, ticket.kiosk_id) if ticket.kiosk_id else None)
    session.execute(
        update(PrintJob).where(PrintJob.ticket_id == ticket_id, PrintJob.state.in_(UNSENT)).values(state=SUPERSEDED)
    )
    return queue_print(session, ticket, kiosk, address, now)


def pending_jobs(session: Session, now: datetime, kiosk: Kiosk | None = None) -> list[PrintJob]:
    """Jobs still to print, oldest first: unsent, recent, not broken, and for a ticket still open."""
    query = (
        select(PrintJob).join(Ticket, PrintJob.ticket_id == Ticket.id)
        .where(PrintJob.state.in_(UNSENT), PrintJob.error != JOB_ERROR,
               PrintJob.created_at >= now - RETRY_WINDOW, Ticket.status.in_(OPEN_STATES))
        .order_by(PrintJob.id)
    )
    if kiosk is not None:
        query = query.where(PrintJob.kiosk_id == kiosk.id)
    return list(session.scalars(query))


def record_outcome(session: Session, job_id: int, reason: str | None, now: datetime) -> None:
    """Record one attempt at a job: sent (`reason` None) or failed with `reason`; the caller commits.

    A ticket on paper needs no other copy: its other unsent jobs (a reprint queued while this one
    was being sent) are superseded. A failure never revives a job that was superseded meanwhile.
    """
    if reason is None:
        session.execute(update(PrintJob).where(PrintJob.id == job_id).values(state=SENT, error="", sent_at=now))
        ticket_id = session.scalar(select(PrintJob.ticket_id).where(PrintJob.id == job_id))
        session.execute(
            update(PrintJob)
            .where(PrintJob.ticket_id == ticket_id, PrintJob.id != job_id, PrintJob.state.in_(UNSENT))
            .values(state=SUPERSEDED)
        )
    else:
        session.execute(
            update(PrintJob).where(PrintJob.id == job_id, PrintJob.state.in_(UNSENT))
            .values(state=FAILED, error=reason[:40])
        )


def fail_queued(session: Session, job_ids: list[int], reason: str) -> None:
    """Mark jobs not yet tried as failed with the printer's reason, so their screens say so at once."""
    if job_ids:
        session.execute(
            update(PrintJob).where(PrintJob.id.in_(job_ids), PrintJob.state == QUEUED).values(state=FAILED, error=reason)
        )


def agent_jobs(session: Session, kiosk: Kiosk, now: datetime, limit: int = 10) -> list[PrintJob]:
    """The jobs a kiosk's print agent should print now, oldest first."""
    return pending_jobs(session, now, kiosk)[:limit]


def token_hash(token: str) -> str:
    """The stored form of an agent token.

    SHA-256, not a slow password hash: the token is 256 random bits (nothing to guess) and the agent
    presents it every two seconds.
    """
    return hashlib.sha256(token.encode()).hexdigest()


def new_agent_token(kiosk: Kiosk) -> str:
    """Give `kiosk` a new print agent token (the old one stops working); returns it, the caller commits."""
    token = secrets.token_urlsafe(32)
    kiosk.agent_token_hash = token_hash(token)
    return token


def agent_token_matches(kiosk: Kiosk, token: str) -> bool:
    """Whether `token` is the kiosk's agent token (a kiosk without one accepts none)."""
    stored = kiosk.agent_token_hash or ""
    return bool(stored and token) and hmac.compare_digest(stored, token_hash(token))


def printer_url(kiosk: Kiosk | None, default_url: str) -> str:
    """The printer URL of a kiosk, or the installation's default."""
    return _or_default(kiosk.printer_url if kiosk else None, default_url)


def _or_default(url: str | None, default_url: str) -> str:
    return (url or "").strip() or default_url


def printer_states(session: Session, kiosks: list[Kiosk], default_url: str = "", timeout: float = 1.0,
                   ask=None) -> list[dict]:
    """For administrators: each kiosk's last print job, how many wait, and what its printer says now.

    `ask(urls, timeout)` gives the printers' statuses (default `live_statuses`, which asks every one).
    """
    urls = [printer_url(kiosk, default_url) for kiosk in kiosks]
    statuses = (ask or live_statuses)([url for url in urls if not is_agent(url)], timeout)
    states = []
    for kiosk, url in zip(kiosks, urls):
        last = session.scalar(select(PrintJob).where(PrintJob.kiosk_id == kiosk.id).order_by(PrintJob.id.desc()))
        waiting = session.scalar(
            select(func.count()).select_from(PrintJob)
            .where(PrintJob.kiosk_id == kiosk.id, PrintJob.state.in_(UNSENT))
        )
        states.append({
            "kiosk": kiosk.slug,
            "name": kiosk.name,
            "printer_url": url,
            "agent": is_agent(url),
            "last_job": None if last is None else {
                "id": last.id, "state": last.state, "error": last.error, "attempts": last.attempts,
                "created_at": last.created_at.isoformat(),
                "sent_at": last.sent_at.isoformat() if last.sent_at else None,
            },
            "unsent_jobs": waiting or 0,
            "status": None if is_agent(url) else statuses[url],
        })
    return states


def live_statuses(urls: list[str], timeout: float, policy=None) -> dict[str, dict]:
    """Ask several printers how they are, all at once, so hanging ones cost one timeout in total.

    With a `policy` (printer.policy.PrinterPolicy), a printer it does not let the server open is not asked.
    """
    from printer import PrinterError, open_printer

    opener = policy.open if policy is not None else open_printer

    def ask(url: str) -> dict:
        try:
            status = opener(url, timeout=timeout).status()
        except PrinterError as error:
            return {"online": False, "paper": "unknown", "cover_open": None, "detail": error.reason,
                    "state": "offline"}
        return {"online": status.online, "paper": status.paper, "cover_open": status.cover_open,
                "detail": status.detail, "state": status.state}

    unique = sorted(set(urls))
    if not unique:
        return {}
    with ThreadPoolExecutor(max_workers=min(8, len(unique)), thread_name_prefix="printer-status") as pool:
        return dict(zip(unique, pool.map(ask, unique)))


class PrinterLane:
    """One printer URL's jobs: sent one at a time, oldest first, retried with backoff while it is down."""

    def __init__(self, worker: PrintWorker, url: str):
        self.worker, self.url = worker, url
        self.wake = threading.Event()
        self.wake.set()
        self.thread = threading.Thread(target=self.run, name=f"print {url}", daemon=True)
        self.thread.start()

    def run(self) -> None:
        """Send, and after a failure wait, ask the printer's status, and retry once it is ready."""
        worker, backoff = self.worker, None
        while not worker.stopping.is_set():
            # idle lanes look again now and then for jobs queued by other server processes
            woken = self.wake.wait(backoff if backoff is not None else worker.idle_seconds)
            self.wake.clear()
            if worker.stopping.is_set():
                return
            try:
                if backoff is not None and not woken and not worker.printer_ready(self.url):
                    backoff = min(backoff * 2, worker.retry_seconds[1])
                    continue
                reason = worker.send_pending(self.url)
            except Exception:  # a database hiccup must not end the lane; try again later
                log.exception("print lane %s", self.url)
                reason = JOB_ERROR
            if reason is None:
                backoff = None
            else:
                backoff = worker.retry_seconds[0] if backoff is None else min(backoff * 2, worker.retry_seconds[1])


def start_printing(app) -> None:
    """Start `app`'s print worker with the app's settings (once): it prints the journal's unsent jobs.

    Called when a server starts serving, and again (doing nothing then) on the first request or board
    connection, for servers started another way.
    """
    config = app.config
    app.extensions["kezek.print_worker"].start(
        clock=config["CLOCK"],
        timeout=float(config.get("PRINTER_TIMEOUT", 5.0)),
        retry_seconds=config.get("PRINT_RETRY_SECONDS", (2.0, 60.0)),
        write_lock=app.extensions.get("kezek.write_lock"),
        policy=printer_policy(config),
    )


def printer_policy(config):
    """The installation's printer policy (printer.policy.PrinterPolicy) from its settings."""
    from printer.policy import PrinterPolicy

    return PrinterPolicy.from_settings(config.get("LOCAL_PRINTERS", ()), config.get("PRINTER_PORTS", ()),
                                       config.get("PRINTER_URL", ""))


class PrintWorker:
    """Sends the journal's jobs to printers on background threads (one per printer URL) and records each outcome."""

    def __init__(self, session_factory, default_url: str, timeout: float = 5.0):
        self.session_factory = session_factory
        self.default_url = default_url
        self.timeout = timeout
        self.clock = utcnow
        self.write_lock = nullcontext()
        self.retry_seconds = (2.0, 60.0)
        self.idle_seconds = 30.0
        # Only the installation's default printer may be a file or folder until the app's policy is given.
        from printer.policy import PrinterPolicy

        self.policy = PrinterPolicy.from_settings((), (), default_url)
        self.stopping = threading.Event()
        self.started = False
        self.dispatcher: threading.Thread | None = None
        self.lanes: dict[str, PrinterLane] = {}
        self.submitted: list[int] = []
        self.arrived = threading.Event()
        self._lock = threading.Lock()

    def start(self, clock=None, timeout: float | None = None, retry_seconds: tuple[float, float] | None = None,
              write_lock=None, idle_seconds: float | None = None, policy=None) -> None:
        """Take the settings and pick up the journal's unsent jobs (those left by a restart); once.

        The journal is read on the worker's own thread, so the request that starts it does not wait.
        """
        with self._lock:
            if self.started:
                return
            self.started = True
            self.clock = clock or self.clock
            self.timeout = timeout if timeout is not None else self.timeout
            self.retry_seconds = tuple(retry_seconds) if retry_seconds else self.retry_seconds
            self.write_lock = write_lock if write_lock is not None else self.write_lock
            self.idle_seconds = idle_seconds if idle_seconds is not None else self.idle_seconds
            self.policy = policy if policy is not None else self.policy
        self.dispatcher = threading.Thread(target=self.dispatch, name="print dispatch", daemon=True)
        self.dispatcher.start()

    def dispatch(self) -> None:
        """Resume the journal's unsent jobs, then hand each submitted job to its printer's lane."""
        try:
            with self.session_factory() as session:
                urls = {self.url_of(job) for job in pending_jobs(session, self.clock())}
        except Exception:  # no schema yet (a fresh install before init-db): nothing to resume
            log.warning("print journal not readable; unsent jobs are picked up later", exc_info=True)
            urls = set()
        for url in urls:
            self.lane(url)
        while not self.stopping.is_set():
            self.arrived.wait()
            self.arrived.clear()
            with self._lock:
                job_ids, self.submitted = self.submitted, []
            if not job_ids or self.stopping.is_set():
                continue
            try:
                with self.session_factory() as session:
                    urls = {_or_default(url, self.default_url) for url in session.scalars(
                        select(Kiosk.printer_url).select_from(PrintJob)
                        .outerjoin(Kiosk, Kiosk.id == PrintJob.kiosk_id).where(PrintJob.id.in_(job_ids)).distinct()
                    )}
            except Exception:  # the lanes' own rounds pick these jobs up later
                log.exception("print jobs %s not dispatched", job_ids)
                continue
            for url in urls:
                self.lane(url)

    def url_of(self, job: PrintJob) -> str:
        """The printer URL a job goes to."""
        return printer_url(job.kiosk, self.default_url)

    def lane(self, url: str) -> PrinterLane | None:
        """The lane of a printer URL, started on first use; none for agent kiosks (their agent prints)."""
        if is_agent(url) or self.stopping.is_set():
            return None
        with self._lock:
            lane = self.lanes.get(url)
            if lane is None:
                lane = self.lanes[url] = PrinterLane(self, url)
                return lane
        lane.wake.set()
        return lane

    def submit(self, job_id: int, printer_url: str | None = None) -> None:
        """Send job `job_id` soon (call after the commit); returns at once, without reading the database.

        `printer_url` (`self.printer_url(kiosk)`), when the caller knows it, spares the dispatcher reading
        it: a job for a kiosk's print agent then needs nothing at all, the agent collects it."""
        self.start()
        if printer_url is not None:
            self.lane(printer_url)
            return
        with self._lock:
            self.submitted.append(job_id)
        self.arrived.set()

    def printer_url(self, kiosk: Kiosk | None) -> str:
        """The printer URL of a kiosk, or the installation's default."""
        return printer_url(kiosk, self.default_url)

    def printer_ready(self, url: str) -> bool:
        """Whether the printer says it could print now (a printer without status counts as ready)."""
        from printer import PrinterError

        try:
            status = self.policy.open(url, timeout=self.timeout).status()
        except PrinterError:
            return False
        return status.online and status.paper != "out" and not status.cover_open

    def send_pending(self, url: str) -> str | None:
        """Send a printer's unsent jobs oldest first; the printer's failure reason, or None if it printed."""
        with self.session_factory() as session:
            job_ids = [job.id for job in pending_jobs(session, self.clock()) if self.url_of(job) == url]
        for index, job_id in enumerate(job_ids):
            reason = self.send(job_id, url)
            if reason is not None and reason != JOB_ERROR:
                # the printer is the trouble: the jobs behind would fail the same way, so say so now
                with self.write_lock, self.session_factory() as session:
                    fail_queued(session, job_ids[index + 1:], reason)
                    session.commit()
                return reason
        return None

    def send(self, job_id: int, url: str | None = None) -> str | None:
        """Build and send one job now; returns the failure reason, or None when printed or not to print."""
        from printer import PrinterError

        with self.session_factory() as session:
            sqlite = session.bind.dialect.name == "sqlite"
            with self.write_lock:
                # On PostgreSQL the row stays locked until the outcome is written, so two server processes
                # never send one job; SQLite installations run one process, where one lane per printer suffices.
                job = session.scalar(
                    select(PrintJob).where(PrintJob.id == job_id, PrintJob.state.in_(UNSENT))
                    .with_for_update(skip_locked=True, of=PrintJob)
                )
                if job is None:
                    return None
                job.attempts += 1
                if sqlite:
                    session.commit()
                else:
                    session.flush()
            try:
                data, reason = job_bytes(job), None
                url = url or self.url_of(job)
            except Exception:
                log.exception("print job %s cannot be laid out", job_id)
                data, reason = None, JOB_ERROR
            if sqlite:
                session.commit()  # end the read so that no SQLite snapshot is held while the printer works
            if data is not None:
                try:
                    self.policy.open(url, timeout=self.timeout).send(data)
                except PrinterError as error:
                    reason = error.reason
                except Exception:  # a broken printer must never take the kiosk down
                    log.exception("print job %s failed", job_id)
                    reason = JOB_ERROR
            self._record(session, job_id, reason)
            return reason

    def _record(self, session: Session, job_id: int, reason: str | None) -> None:
        """Write a job's outcome, waiting for the writer's turn as long as it takes.

        The ticket may be on paper already: an outcome given up on would print it a second time.
        """
        while True:
            try:
                with self.write_lock:
                    record_outcome(session, job_id, reason, self.clock())
                    session.commit()
                return
            except Exception as error:
                if not is_busy(error) or self.stopping.is_set():
                    raise
                session.rollback()
                log.warning("print job %s: outcome waits for the database writer (%s)", job_id, error)

    def shutdown(self) -> None:
        """Stop the lanes, waiting briefly for a ticket being sent."""
        self.stopping.set()
        self.arrived.set()
        with self._lock:
            lanes = list(self.lanes.values())
        for lane in lanes:
            lane.wake.set()
        for lane in lanes:
            lane.thread.join(3 * self.timeout + 1)
        # The dispatcher may be reading the journal: its connection goes back to the pool before the
        # caller closes the engine (a connection left to the garbage collector is rolled back at random).
        if self.dispatcher is not None and self.dispatcher is not threading.current_thread():
            self.dispatcher.join(3 * self.timeout + 1)
