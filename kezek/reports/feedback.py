"""Visitor feedback (no Flask): three one-tap questions after a finished visit, one answer each per ticket."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import SERVED, Cabinet, Ticket
from kezek.models.reports import FeedbackAnswer
from kezek.models.rows import insert_row
from kezek.queue.errors import NotFound, QueueError

QUESTIONS = ("process", "information", "politeness")
# How long after finishing a visit the cabinet's feedback tablet still asks about it.
TABLET_WINDOW = timedelta(minutes=10)


class AlreadyAnswered(QueueError):
    """This ticket has already answered this question."""

    code = "already_answered"


class NotFinished(QueueError):
    """Only a finished (served) visit can be rated."""

    code = "not_finished"


def ticket_by_code(session: Session, code: str) -> Ticket | None:
    """The ticket with this unguessable code, if the code is a plausible one."""
    if not code or len(code) > 64:
        return None
    return session.scalar(select(Ticket).where(Ticket.code == code))


def answers_of(session: Session, ticket: Ticket) -> dict[str, bool | None]:
    """The ticket's answers so far, by question."""
    row = session.scalar(select(FeedbackAnswer).where(FeedbackAnswer.ticket_id == ticket.id))
    return {question: getattr(row, question) if row else None for question in QUESTIONS}


def answer(session: Session, ticket: Ticket, question: str, satisfied: bool, now: datetime) -> FeedbackAnswer:
    """Store one tap; a second answer to the same question is refused, nothing about the visitor is kept."""
    return answer_all(session, ticket, {question: satisfied}, now)


def answer_all(session: Session, ticket: Ticket, taps: dict[str, bool], now: datetime) -> FeedbackAnswer:
    """Store the taps of one visitor, question by question as `answer` would, in one row write."""
    if any(question not in QUESTIONS for question in taps):
        raise NotFound(what="question")
    if ticket.status != SERVED:
        raise NotFinished(status=ticket.status)
    row = session.scalar(select(FeedbackAnswer).where(FeedbackAnswer.ticket_id == ticket.id))
    if row is None:  # the first taps: one plain insert, nothing left to flush
        first = {
            "ticket_id": ticket.id,
            "office_id": ticket.office_id,
            "service_id": ticket.visit_kind.service_id,
            "service_day": ticket.service_day,
            "answered_at": now,
        }
        return insert_row(session, FeedbackAnswer, {**first, **taps})
    for question in taps:
        if getattr(row, question) is not None:
            raise AlreadyAnswered(question=question)
    for question, satisfied in taps.items():
        setattr(row, question, satisfied)
    row.answered_at = now
    return row


def tablet_ticket(session: Session, cabinet: Cabinet, now: datetime) -> Ticket | None:
    """The visit this cabinet finished last, if within the last minutes and not fully answered yet."""
    ticket = session.scalar(
        select(Ticket)
        .where(Ticket.cabinet_id == cabinet.id, Ticket.status == SERVED, Ticket.finished_at >= now - TABLET_WINDOW)
        .order_by(Ticket.finished_at.desc())
        .limit(1)
    )
    if ticket is None or all(value is not None for value in answers_of(session, ticket).values()):
        return None
    return ticket
