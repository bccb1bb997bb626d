"""A printed ticket's outcome is written however long the database writer is busy: it never prints twice."""
from __future__ import annotations

from sqlalchemy import select

from kezek.models import PrintJob
from kezek.printing import PrintWorker
from kezek.writelock import WriteBusy
from kezek.services import services
from printing_helpers import find_kiosk, jobs_of, set_printer, ticket_code


class BusyOnce:
    """A write lock whose `busy`-th turn is not given in time (WriteBusy), as when another process holds it."""

    def __init__(self, busy: int):
        self.busy, self.turns = busy, 0

    def __enter__(self):
        self.turns += 1
        if self.turns == self.busy:
            raise WriteBusy("held by another process")
        return self

    def __exit__(self, *exc):
        return None


def test_the_outcome_of_a_printed_ticket_waits_for_a_busy_writer(app, db, kiosk, tmp_path):
    set_printer(app, "agent://")  # the app's own worker leaves the job alone; this worker sends it
    code = ticket_code(kiosk.take("A"))
    job_id = db.scalar(select(PrintJob.id))
    find_kiosk(db, "taraz").printer_url = ""
    db.commit()
    worker = PrintWorker(services(app).sessions, f"dummy://{tmp_path / 'direct'}")
    worker.write_lock = BusyOnce(busy=2)  # the first turn picks the job up; the second, its outcome, is busy
    try:
        assert worker.send(job_id) is None
        assert worker.send(job_id) is None  # asked again (a lane's next round): nothing left to send
    finally:
        worker.shutdown()
    assert jobs_of(app, code)[0][0] == "sent"
    assert len(list((tmp_path / "direct").glob("*.bin"))) == 1
