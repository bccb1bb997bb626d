"""The print worker: the journal's jobs sent to printers on background threads, one per printer URL."""

from __future__ import annotations

import logging
import threading
from contextlib import nullcontext

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models.base import utcnow
from kezek.models.cabinet import Kiosk
from kezek.models.printing import UNSENT, PrintJob
from kezek.printing.agents import is_agent
from kezek.printing.journal import JOB_ERROR, fail_queued, pending_jobs, record_outcome
from kezek.printing.sender_lock import SenderLocks
from kezek.printing.statuses import or_default, printer_url
from kezek.printing.tickets import job_bytes
from kezek.writelock import is_busy, writer_turn

log = logging.getLogger(__name__)


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


class PrintWorker:
    """Sends the journal's jobs to printers on background threads (one per printer URL) and records each outcome."""

    def __init__(self, session_factory, default_url: str, timeout: float = 5.0, settings=None, sender_locks=None):
        self.session_factory = session_factory
        # held around a printer's sending, so that two processes never print one ticket (kezek.printing.sender_lock)
        self.sender_locks = sender_locks or SenderLocks(None)
        # settings() gives the app's settings (start's keywords) when the worker starts (kezek/services.py)
        self.settings = settings
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

    def start(
        self,
        clock=None,
        timeout: float | None = None,
        retry_seconds: tuple[float, float] | None = None,
        write_lock=None,
        idle_seconds: float | None = None,
        policy=None,
    ) -> bool:
        """Take the settings and pick up the journal's unsent jobs (those left by a restart); once.

        Settings not given come from `settings()` when the worker has it. The journal is read on the
        worker's own thread, so whoever starts it does not wait. True when this call started it.
        """
        with self._lock:
            if self.started:
                return False
            self.started = True
            found = self.settings() if self.settings is not None else {}
            clock = clock or found.get("clock")
            timeout = timeout if timeout is not None else found.get("timeout")
            retry_seconds = retry_seconds or found.get("retry_seconds")
            write_lock = write_lock if write_lock is not None else found.get("write_lock")
            policy = policy if policy is not None else found.get("policy")
            self.clock = clock or self.clock
            self.timeout = timeout if timeout is not None else self.timeout
            self.retry_seconds = tuple(retry_seconds) if retry_seconds else self.retry_seconds
            self.write_lock = write_lock if write_lock is not None else self.write_lock
            self.idle_seconds = idle_seconds if idle_seconds is not None else self.idle_seconds
            self.policy = policy if policy is not None else self.policy
        self.dispatcher = threading.Thread(target=self.dispatch, name="print dispatch", daemon=True)
        self.dispatcher.start()
        return True

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
                    urls = {
                        or_default(url, self.default_url)
                        for url in session.scalars(
                            select(Kiosk.printer_url)
                            .select_from(PrintJob)
                            .outerjoin(Kiosk, Kiosk.id == PrintJob.kiosk_id)
                            .where(PrintJob.id.in_(job_ids))
                            .distinct()
                        )
                    }
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

        A worker not started yet leaves the job in the journal, where its start finds it (the server
        starts it: kezek.services.start_serving). `printer_url` (`self.printer_url(kiosk)`), when the
        caller knows it, spares the dispatcher reading it: a job for a kiosk's print agent then needs
        nothing at all, the agent collects it."""
        if not self.started or self.stopping.is_set():
            return
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
        with self.sender_locks.held(url):
            with self.session_factory() as session:
                job_ids = [job.id for job in pending_jobs(session, self.clock()) if self.url_of(job) == url]
            for index, job_id in enumerate(job_ids):
                reason = self.send(job_id, url)
                if reason is not None and reason != JOB_ERROR:
                    # the printer is the trouble: the jobs behind would fail the same way, so say so now
                    with self.session_factory() as session, writer_turn(session, self.write_lock):
                        fail_queued(session, job_ids[index + 1 :], reason)
                        session.commit()
                    return reason
        return None

    def send(self, job_id: int, url: str | None = None) -> str | None:
        """Build and send one job now; returns the failure reason, or None when printed or not to print."""
        from printer import PrinterError

        with self.session_factory() as session:
            sqlite = session.bind.dialect.name == "sqlite"
            with writer_turn(session, self.write_lock):
                # On PostgreSQL the row stays locked until the outcome is written, so two server processes
                # never send one job; SQLite installations run one process, where one lane per printer suffices.
                job = session.scalar(
                    select(PrintJob)
                    .where(PrintJob.id == job_id, PrintJob.state.in_(UNSENT))
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
            if data is not None and url is not None:  # both are, once the job is laid out
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
                with writer_turn(session, self.write_lock):
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
