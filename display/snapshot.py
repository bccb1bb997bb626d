"""What a display board shows, built from the database without Flask: calls, waiting counts, version."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from display.speech import call_sounds
from kezek.models import CALLED, WAITING, Cabinet, Office, Ticket
from kezek.queue.hours import local_now
from kezek.queue.offer import offered_visit_kinds

CURRENT_MAX = 4
RECENT_MAX = 6


def _names(obj) -> dict[str, str]:
    return {lang: obj.name(lang) for lang in ("kk", "ru", "en")}


def _call(label: str, cabinet: str, called_at: datetime, recalls: int) -> dict:
    stamp = called_at.isoformat()
    # The key changes with each recall, so a board announces a recall again.
    return {"label": label, "cabinet": cabinet, "called_at": stamp, "recalls": recalls,
            "key": f"{label}@{stamp}#{recalls}"}


def calls(session: Session, office: Office, now: datetime) -> tuple[list[dict], list[dict]]:
    """Today's calls of the office, newest first: those still waiting for the visitor, and the ones before."""
    today = local_now(office, now).date()
    rows = session.execute(
        select(Ticket.prefix, Ticket.number, Ticket.status, Ticket.called_at, Ticket.recalls, Cabinet.number)
        .join(Cabinet, Cabinet.id == Ticket.cabinet_id)
        .where(Ticket.office_id == office.id, Ticket.service_day == today, Ticket.called_at.is_not(None))
        .order_by(Ticket.called_at.desc(), Ticket.id.desc())
        .limit(CURRENT_MAX + RECENT_MAX + 20)
    ).all()
    current, recent = [], []
    for prefix, number, status, called_at, recalls, cabinet in rows:
        call = _call(f"{prefix}-{number:03d}", cabinet, called_at, recalls)
        if status == CALLED and len(current) < CURRENT_MAX:
            current.append(call)
        elif len(recent) < RECENT_MAX:
            recent.append(call)
    return current, recent


def waiting(session: Session, office: Office) -> list[dict]:
    """How many visitors wait for each service the office offers, with the count per visit kind."""
    counts = dict(session.execute(
        select(Ticket.visit_kind_id, func.count(Ticket.id))
        .where(Ticket.office_id == office.id, Ticket.status == WAITING)
        .group_by(Ticket.visit_kind_id)
    ).all())
    services: dict[int, dict] = {}
    for kind in offered_visit_kinds(session, office):
        entry = services.setdefault(kind.service_id, {"service": _names(kind.service), "count": 0, "kinds": []})
        count = counts.get(kind.id, 0)
        entry["count"] += count
        entry["kinds"].append({"prefix": kind.prefix, "name": _names(kind), "count": count})
    return list(services.values())


def board_state(session: Session, office: Office, now: datetime, sounds_url: str) -> dict:
    """The whole board of `office` at its current version; current calls carry the sounds announcing them."""
    version = session.scalar(select(Office.version).where(Office.id == office.id))
    current, recent = calls(session, office, now)
    for call in current:
        call["sounds"] = call_sounds(call["label"], call["cabinet"], sounds_url)
    return {
        "office": office.slug,
        "version": version,
        "now": now.isoformat(),
        "current": current,
        "recent": recent,
        "waiting": waiting(session, office),
    }
