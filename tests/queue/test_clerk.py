"""Clerk commands on the queue: call, recall, start, finish, no-show, transfer, cancel, replay safety."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from kezek.models import CALLED, NO_SHOW, SERVED, SERVING, WAITING, Cabinet, Office, Ticket, TicketEvent
from kezek.queue import clerk
from kezek.queue.issuing import issue_ticket
from kezek.seeding import create_user
from kezek.sessions import session_factory
from tests.conftest import kind_by_prefix, office_by_slug


@pytest.fixture
def demo(db):
    office = office_by_slug(db, "demo")
    cabinets = {c.number: c for c in db.scalars(select(Cabinet).where(Cabinet.office_id == office.id))}
    user = create_user(db, "clerk", "pw", "clerk", office)
    for cabinet in cabinets.values():
        clerk.set_cabinet_state(db, cabinet, user, "open")
    db.commit()
    return office, cabinets, user


def take(db, office, prefix, at):
    ticket = issue_ticket(db, office, kind_by_prefix(db, prefix), at).ticket
    db.commit()
    return ticket


def events(db, ticket):
    return [e.kind for e in db.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id))]


def test_a_full_visit_is_logged_with_clerk_and_cabinet(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "A", clock())
    now = clock() + timedelta(minutes=4)
    called = clerk.call_next(db, cabinets["101"], user, now)
    assert called.ticket.id == ticket.id and called.ticket.status == CALLED
    clerk.start(db, cabinets["101"], user, ticket.id, now + timedelta(minutes=1))
    clerk.finish(db, cabinets["101"], user, ticket.id, now + timedelta(minutes=9), documents_correct=True)
    db.commit()
    db.refresh(ticket)
    assert ticket.status == SERVED and ticket.documents_correct is True
    assert (ticket.called_at - ticket.issued_at) == timedelta(minutes=4)
    assert events(db, ticket) == ["issued", "called", "started", "finished"]
    logged = db.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind != "issued")).all()
    assert {(e.user_id, e.cabinet_id) for e in logged} == {(user.id, cabinets["101"].id)}


def test_a_double_tap_or_replayed_call_calls_one_visitor(db, demo, clock):
    office, cabinets, user = demo
    first, second = take(db, office, "A", clock()), take(db, office, "A", clock())
    a = clerk.call_next(db, cabinets["101"], user, clock(), command_id="tap-1")
    db.commit()
    again = clerk.call_next(db, cabinets["101"], user, clock(), command_id="tap-1")
    busy = clerk.call_next(db, cabinets["101"], user, clock(), command_id="tap-2")
    db.commit()
    assert a.ticket.id == again.ticket.id == busy.ticket.id == first.id
    assert again.change is None and busy.change is None
    db.refresh(second)
    assert second.status == WAITING


def test_replay_after_finishing_does_not_call_the_next_visitor(db, demo, clock):
    office, cabinets, user = demo
    first, second = take(db, office, "A", clock()), take(db, office, "A", clock())
    clerk.call_next(db, cabinets["101"], user, clock(), command_id="c1")
    clerk.finish(db, cabinets["101"], user, first.id, clock())
    db.commit()
    replay = clerk.call_next(db, cabinets["101"], user, clock(), command_id="c1")
    assert replay.ticket.id == first.id and replay.change is None
    db.refresh(second)
    assert second.status == WAITING


def test_two_cabinets_never_call_the_same_visitor(db, demo, clock):
    office, cabinets, user = demo
    only = take(db, office, "A", clock())
    a = clerk.call_next(db, cabinets["101"], user, clock())
    b = clerk.call_next(db, cabinets["102"], user, clock())
    assert a.ticket.id == only.id and b.ticket is None


def test_a_cabinet_calls_only_its_visit_kinds(db, demo, clock):
    office, cabinets, user = demo
    take(db, office, "D", clock())  # only cabinet 103 serves D
    assert clerk.call_next(db, cabinets["101"], user, clock()).ticket is None
    assert clerk.call_next(db, cabinets["103"], user, clock()).ticket.prefix == "D"


def test_a_paused_cabinet_calls_nobody(db, demo, clock):
    office, cabinets, user = demo
    take(db, office, "A", clock())
    clerk.set_cabinet_state(db, cabinets["101"], user, "paused")
    with pytest.raises(clerk.NotAllowed):
        clerk.call_next(db, cabinets["101"], user, clock())


def test_no_show_needs_the_offices_recalls_first(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "B", clock())
    clerk.call_next(db, cabinets["101"], user, clock())
    with pytest.raises(clerk.NotAllowed):
        clerk.no_show(db, cabinets["101"], user, ticket.id, clock())
    clerk.recall(db, cabinets["101"], user, ticket.id, clock())
    clerk.no_show(db, cabinets["101"], user, ticket.id, clock())
    db.commit()
    assert ticket.status == NO_SHOW and ticket.recalls == 1
    assert events(db, ticket) == ["issued", "called", "recalled", "no_show"]


def test_a_transferred_visitor_keeps_their_place_by_original_time(db, demo, clock):
    office, cabinets, user = demo
    early = take(db, office, "A", clock())
    later = take(db, office, "C", clock() + timedelta(minutes=10))
    clerk.call_next(db, cabinets["101"], user, clock() + timedelta(minutes=12))
    clerk.transfer(db, cabinets["101"], user, early.id, clock() + timedelta(minutes=15),
                   visit_kind_id=kind_by_prefix(db, "C").id)
    db.commit()
    assert early.status == WAITING and early.queue_since == clock() and early.transfers == 1
    # Cabinet 102 serves A and C: the transferred visitor is ahead of the later C ticket.
    nxt = clerk.call_next(db, cabinets["102"], user, clock() + timedelta(minutes=16), policy=__import__("kezek.queue.policy", fromlist=["fifo"]).fifo)
    assert nxt.ticket.id == early.id
    assert later.status == WAITING


def test_transfer_to_a_cabinet_pins_the_ticket_there(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "A", clock())
    clerk.call_next(db, cabinets["101"], user, clock())
    clerk.transfer(db, cabinets["101"], user, ticket.id, clock(), to_cabinet_id=cabinets["103"].id)
    db.commit()
    assert clerk.call_next(db, cabinets["102"], user, clock()).ticket is None
    assert clerk.call_next(db, cabinets["103"], user, clock()).ticket.id == ticket.id


def test_a_clerk_cannot_act_on_another_cabinets_visitor(db, demo, clock):
    office, cabinets, user = demo
    ticket = take(db, office, "A", clock())
    clerk.call_next(db, cabinets["101"], user, clock())
    with pytest.raises(clerk.NotAllowed):
        clerk.finish(db, cabinets["102"], user, ticket.id, clock())


def test_every_change_bumps_the_office_version_by_one(db, demo, clock):
    office, cabinets, user = demo
    before = db.scalar(select(Office.version).where(Office.id == office.id))
    issued = issue_ticket(db, office, kind_by_prefix(db, "A"), clock())
    called = clerk.call_next(db, cabinets["101"], user, clock())
    started = clerk.start(db, cabinets["101"], user, issued.ticket.id, clock())
    db.commit()
    assert [issued.change.version, called.change.version, started.change.version] == [before + 1, before + 2, before + 3]
    assert issued.ticket.status == SERVING


def test_a_clerk_who_loses_the_race_for_several_visitors_in_a_row_still_calls_the_next_one(db, demo, clock):
    # Many cabinets of a busy office call at the same moment and all pick the same visitor; each
    # time another cabinet wins, this clerk must go on to the next visitor, not get "busy".
    office, cabinets, user = demo
    tickets = [take(db, office, "A", clock() + timedelta(seconds=n)) for n in range(9)]
    other = cabinets["102"]
    picks = []

    def crowded(context):
        chosen = min(context.candidates, key=lambda t: (t.queue_since, t.id))
        picks.append(chosen.id)
        if len(picks) <= 7:  # another cabinet calls the same visitor just before this one
            db.execute(update(Ticket).where(Ticket.id == chosen.id)
                       .values(status=CALLED, cabinet_id=other.id, called_at=clock()))
        return chosen

    called = clerk.call_next(db, cabinets["101"], user, clock() + timedelta(minutes=1), policy=crowded)
    db.commit()
    assert called.ticket.id == tickets[7].id and called.ticket.cabinet_id == cabinets["101"].id
    assert picks == [ticket.id for ticket in tickets[:8]]
    assert events(db, tickets[7]) == ["issued", "called"]


def test_a_clerk_command_waiting_for_another_holds_no_visitors_ticket_meanwhile(db, demo, clock):
    """Clerks' commands of one office take the office first. Before, a call took its visitor's ticket
    and then waited for the office's version while another command held the office and could be
    waiting for that ticket: PostgreSQL then failed one of them as deadlocked (seen under the
    regional benchmark)."""
    import threading
    import time

    from sqlalchemy import text

    from kezek.models import User

    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("row locks are PostgreSQL's: SQLite has one writer at a time")
    office, cabinets, user = demo
    visitor = take(db, office, "A", clock())
    first, second = sorted(cabinets)[:2]
    engine = db.get_bind()
    called = threading.Event()

    def call() -> None:
        with session_factory(engine)() as session:
            clerk.call_next(session, session.get(Cabinet, cabinets[first].id), session.get(User, user.id), clock())
            session.commit()
            called.set()

    with session_factory(engine)() as holding:  # another clerk's command, not committed yet
        clerk.set_cabinet_state(holding, holding.get(Cabinet, cabinets[second].id), holding.get(User, user.id),
                                "paused")
        caller = threading.Thread(target=call)
        caller.start()
        time.sleep(0.5)
        assert not called.is_set()  # the call waits for the other command
        with engine.connect() as probe:
            probe.execute(text("SET lock_timeout = '300ms'"))
            # fails (lock timeout) if the waiting call holds the visitor's ticket
            probe.execute(select(Ticket.id).where(Ticket.id == visitor.id).with_for_update(key_share=True))
            probe.rollback()
        holding.commit()
    caller.join(10)
    assert called.is_set()
    db.expire_all()
    assert db.get(Ticket, visitor.id).status == CALLED
