"""The console's newer clerk rules: why a visitor was called, calling a chosen number, cancel with a reason
and its undo, the outcome note."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from kezek.models import CALLED, CANCELLED, SERVED, WAITING, TicketEvent
from kezek.queue import cancelling, clerk
from kezek.queue.call_number import call_number, parse_number
from kezek.queue.errors import NotFound
from tests.queue.test_clerk import demo, events, take  # noqa: F401  (the shared fixture)


def called_detail(db, ticket):
    return db.scalar(select(TicketEvent.detail).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "called"))


def test_the_call_log_says_why_the_visitor_was_called(db, demo, clock):
    office, cabinets, user = demo
    older = take(db, office, "A", clock())                            # 30-minute limit, taken first
    hurried = take(db, office, "B", clock() + timedelta(minutes=1))   # 10-minute limit
    first = clerk.call_next(db, cabinets["101"], user, clock() + timedelta(minutes=6))
    db.commit()
    assert first.ticket.id == hurried.id
    assert called_detail(db, hurried) == {"reason": "limit_soon", "limit": 10, "over": False}
    clerk.finish(db, cabinets["101"], user, hurried.id, clock() + timedelta(minutes=8))
    clerk.call_next(db, cabinets["101"], user, clock() + timedelta(minutes=8))
    db.commit()
    assert called_detail(db, older) == {"reason": "earliest_ticket", "limit": 30, "over": False}


def test_the_oldest_visitor_past_their_limit_is_called_as_such(db, demo, clock):
    office, cabinets, user = demo
    late = take(db, office, "B", clock())
    clerk.call_next(db, cabinets["101"], user, clock() + timedelta(minutes=12))
    db.commit()
    assert called_detail(db, late) == {"reason": "earliest_ticket", "limit": 10, "over": True}


@pytest.mark.parametrize("typed, parsed", [
    ("B-007", ("B", 7)), ("b7", ("B", 7)), (" 7 ", (None, 7)), ("В-007", ("B", 7)), ("д 12", ("D", 12)),
    ("A–001", ("A", 1)), ("", None), ("B-", None), ("DROP TABLE", None), ("7" * 9, None),
])
def test_a_typed_number_is_read_whatever_the_keyboard_layout(typed, parsed):
    assert parse_number(typed) == parsed


def test_a_clerk_calls_the_number_the_visitor_holds_out_of_turn(db, demo, clock):
    office, cabinets, user = demo
    first = take(db, office, "A", clock())
    chosen = take(db, office, "B", clock() + timedelta(minutes=1))
    outcome = call_number(db, cabinets["101"], user, clock() + timedelta(minutes=2), "в-1")
    db.commit()
    assert outcome.ticket.id == chosen.id and chosen.status == CALLED and first.status == WAITING
    assert called_detail(db, chosen)["reason"] == "chosen"
    with pytest.raises(clerk.NotAllowed) as busy:
        call_number(db, cabinets["101"], user, clock(), "A-1")
    assert busy.value.details == {"reason": "still_serving", "label": "B-001"}


def test_a_number_that_is_not_waiting_here_or_is_ambiguous_is_refused(db, demo, clock):
    office, cabinets, user = demo
    take(db, office, "A", clock())
    take(db, office, "B", clock())
    take(db, office, "D", clock())  # cabinet 101 does not serve D
    with pytest.raises(NotFound):
        call_number(db, cabinets["101"], user, clock(), "D-1")
    with pytest.raises(clerk.NotAllowed) as ambiguous:
        call_number(db, cabinets["101"], user, clock(), "1")
    assert ambiguous.value.details["labels"] == ["A-001", "B-001"]
    with pytest.raises(clerk.NotAllowed):
        call_number(db, cabinets["101"], user, clock(), "no number")


def test_a_cancellation_keeps_its_reason_and_can_be_undone_within_a_minute(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "A", clock())
    clerk.call_next(db, cabinets["101"], user, clock())
    cancelling.cancel(db, cabinets["101"], user, ticket.id, clock(), reason="mistake", note="  pressed   twice ")
    db.commit()
    assert ticket.status == CANCELLED and ticket.outcome_note == "pressed twice"
    found = cancelling.undoable_cancel(db, cabinets["101"], clock() + timedelta(seconds=30))
    assert found is not None and found[0].id == ticket.id
    undone = cancelling.uncancel(db, cabinets["101"], user, ticket.id, clock() + timedelta(seconds=50))
    db.commit()
    assert undone.change is not None and ticket.status == CALLED and ticket.finished_at is None
    assert ticket.outcome_note is None
    assert events(db, ticket) == ["issued", "called", "cancelled", "uncancelled"]
    cancelled = db.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "cancelled"))
    assert cancelled.detail == {"reason": "mistake", "note": "pressed twice", "before": "called"}


def test_a_cancellation_cannot_be_undone_after_a_minute_or_by_another_cabinet(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "A", clock())
    clerk.call_next(db, cabinets["101"], user, clock())
    cancelling.cancel(db, cabinets["101"], user, ticket.id, clock(), reason="left")
    db.commit()
    with pytest.raises(clerk.NotAllowed) as other:
        cancelling.uncancel(db, cabinets["102"], user, ticket.id, clock())
    assert other.value.details["reason"] == "not_cancelled_here"
    later = clock() + timedelta(seconds=cancelling.UNDO_SECONDS + 1)
    assert cancelling.undoable_cancel(db, cabinets["101"], later) is None
    with pytest.raises(clerk.NotAllowed) as late:
        cancelling.uncancel(db, cabinets["101"], user, ticket.id, later)
    assert late.value.details["reason"] == "too_late_to_undo"
    assert ticket.status == CANCELLED
    with pytest.raises(clerk.NotAllowed):
        cancelling.cancel(db, cabinets["101"], user, ticket.id, clock(), reason="no such reason")


def test_an_undone_cancellation_goes_back_to_the_queue_if_the_cabinet_called_someone_else(db, demo, clock):
    office, cabinets, user = demo
    first, second = take(db, office, "A", clock()), take(db, office, "A", clock() + timedelta(minutes=1))
    clerk.call_next(db, cabinets["101"], user, clock())
    cancelling.cancel(db, cabinets["101"], user, first.id, clock(), reason="left")
    clerk.call_next(db, cabinets["101"], user, clock())
    cancelling.uncancel(db, cabinets["101"], user, first.id, clock() + timedelta(seconds=20))
    db.commit()
    assert second.status == CALLED
    assert first.status == WAITING and first.cabinet_id is None and first.queue_since == clock()


def test_the_outcome_note_is_kept_on_the_ticket_and_in_the_log(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "A", clock())
    clerk.call_next(db, cabinets["101"], user, clock())
    clerk.finish(db, cabinets["101"], user, ticket.id, clock(), documents_correct=False, note="x" * 300)
    db.commit()
    assert ticket.status == SERVED and ticket.outcome_note == "x" * clerk.NOTE_MAX
    finished = db.scalar(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "finished"))
    assert finished.detail == {"documents_correct": False, "note": "x" * clerk.NOTE_MAX}
