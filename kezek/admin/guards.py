"""Rules that protect the running queue: limits, prefixes, and what may be removed while visitors wait."""
from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kezek.admin.rules import Refused, removed, save
from kezek.models import CALLED, OPEN_STATES, SERVING, Cabinet, Service, Ticket, User, VisitKind

PREFIX = re.compile(r"^[A-Z]{1,3}$")
# A wait limit longer than a working day is a typo, not a rule of the standards.
MAX_WAIT_LIMIT = 24 * 60
KIND_FIELDS = ["service_id", "kind", "name_kk", "name_ru", "name_en", "prefix", "wait_limit_minutes",
               "default_service_minutes", "documents", "accepting"]
CABINET_FIELDS = ["number", "visit_kinds", "active"]


def _minutes_ok(minutes: object) -> bool:
    return isinstance(minutes, int) and not isinstance(minutes, bool) and 0 < minutes <= MAX_WAIT_LIMIT


def check_wait_limit(minutes: object) -> int:
    """A wait limit as a positive whole number of minutes, or Refused('wait_limit')."""
    if not _minutes_ok(minutes):
        raise Refused("wait_limit", 400, maximum=MAX_WAIT_LIMIT)
    return minutes


def check_prefix(session: Session, prefix: str, visit_kind_id: int | None = None) -> str:
    """A ticket prefix (1-3 Latin capitals) no other visit kind uses, or Refused."""
    prefix = (prefix or "").strip().upper()
    if not PREFIX.match(prefix):
        raise Refused("prefix_format", 400)
    # Visit kinds are shared by every office, so a prefix used anywhere would clash in some office's queue.
    other = session.scalar(select(VisitKind).where(VisitKind.prefix == prefix, VisitKind.id != (visit_kind_id or 0)))
    if other is not None:
        raise Refused("prefix_clash", 409, prefix=prefix, other_kk=other.name_kk, other_ru=other.name_ru,
                      other_en=other.name_en)
    return prefix


def save_visit_kind(session: Session, user: User, kind: VisitKind, values: dict) -> dict:
    """Check and apply a visit kind's new values; a new limit applies to tickets issued from now on."""
    values = dict(values)
    values["wait_limit_minutes"] = check_wait_limit(values.get("wait_limit_minutes"))
    values["prefix"] = check_prefix(session, values.get("prefix", ""), kind.id)
    if not _minutes_ok(values.get("default_service_minutes")):
        raise Refused("service_minutes", 400)
    twin = session.scalar(select(VisitKind.id).where(VisitKind.service_id == values.get("service_id"),
                                                     VisitKind.kind == values.get("kind"),
                                                     VisitKind.id != (kind.id or 0)))
    if twin is not None:
        raise Refused("kind_taken", 409)
    return save(session, user, kind, values, KIND_FIELDS, "visit_kind", None, {"visit_kind": values["prefix"]})


def open_tickets(session: Session, kind: VisitKind) -> int:
    """How many tickets of the visit kind wait, are called or are being served, in any office."""
    return session.scalar(
        select(func.count()).select_from(Ticket).where(Ticket.visit_kind_id == kind.id, Ticket.status.in_(OPEN_STATES))
    ) or 0


def delete_visit_kind(session: Session, user: User, kind: VisitKind) -> None:
    """Delete a visit kind nobody ever took a ticket for; otherwise refuse and say to close it instead."""
    waiting = open_tickets(session, kind)
    if waiting:
        raise Refused("kind_has_waiting", 409, count=waiting, prefix=kind.prefix)
    if session.scalar(select(Ticket.id).where(Ticket.visit_kind_id == kind.id).limit(1)) is not None:
        raise Refused("kind_in_log", 409, prefix=kind.prefix)
    removed(session, user, kind, KIND_FIELDS, "admin.visit_kind.delete", None, {"visit_kind": kind.prefix})


def serving_ticket(session: Session, cabinet: Cabinet) -> Ticket | None:
    """The ticket the cabinet has called or is serving now, if any."""
    return session.scalar(
        select(Ticket).where(Ticket.cabinet_id == cabinet.id, Ticket.status.in_((CALLED, SERVING))).limit(1)
    )


def _refuse_if_serving(session: Session, cabinet: Cabinet) -> None:
    ticket = serving_ticket(session, cabinet)
    if ticket is not None:
        raise Refused("cabinet_serving", 409, number=cabinet.number, ticket=ticket.label)


def save_cabinet(session: Session, user: User, cabinet: Cabinet, values: dict) -> dict:
    """Apply a cabinet's number, visit kinds and active flag; it cannot be deactivated mid-visit."""
    number = (values.get("number") or "").strip()
    if not number or len(number) > 20:
        raise Refused("cabinet_number", 400)
    clash = session.scalar(select(Cabinet.id).where(
        Cabinet.office_id == cabinet.office_id, Cabinet.number == number, Cabinet.id != (cabinet.id or 0)))
    if clash is not None:
        raise Refused("cabinet_number_taken", 409, number=number)
    values = {**values, "number": number}
    if cabinet.id is not None and cabinet.active and not values.get("active", True):
        _refuse_if_serving(session, cabinet)
    return save(session, user, cabinet, values, CABINET_FIELDS, "cabinet", cabinet.office_id, {"cabinet": number})


def delete_cabinet(session: Session, user: User, cabinet: Cabinet) -> None:
    """Remove a cabinet that serves nobody now and appears in no ticket's log; otherwise refuse."""
    _refuse_if_serving(session, cabinet)
    if session.scalar(select(Ticket.id).where(Ticket.cabinet_id == cabinet.id).limit(1)) is not None:
        raise Refused("cabinet_in_log", 409, number=cabinet.number)
    removed(session, user, cabinet, CABINET_FIELDS, "admin.cabinet.delete", cabinet.office_id,
            {"cabinet": cabinet.number})


SERVICE_CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
SERVICE_FIELDS = ["code", "name_kk", "name_ru", "name_en", "service_term_days"]


def save_service(session: Session, user: User, service: Service, values: dict) -> dict:
    """Check and apply a service's code, names and service term (days)."""
    code = (values.get("code") or "").strip()
    taken = session.scalar(select(Service.id).where(Service.code == code, Service.id != (service.id or 0)))
    if not SERVICE_CODE.match(code) or taken is not None:
        raise Refused("service_code", 400 if taken is None else 409)
    if not _minutes_ok(values.get("service_term_days")):
        raise Refused("service_term", 400)
    if service.id is None:
        service.position = (session.scalar(select(func.max(Service.position))) or 0) + 1
    return save(session, user, service, {**values, "code": code}, SERVICE_FIELDS, "service", None, {"service": code})


def documents_from_lines(kk: str, ru: str, en: str) -> list[dict[str, str]]:
    """Documents to bring from one line each per language; every document needs its Kazakh line."""
    columns = [[line.strip() for line in (text or "").splitlines() if line.strip()] for text in (kk, ru, en)]
    if len(columns[1]) > len(columns[0]) or len(columns[2]) > len(columns[0]):
        raise Refused("documents_lines", 400)
    return [{"kk": name, "ru": _at(columns[1], i), "en": _at(columns[2], i)} for i, name in enumerate(columns[0])]


def _at(items: list[str], index: int) -> str:
    return items[index] if index < len(items) else ""


def documents_as_lines(documents: list[dict[str, str]], lang: str) -> str:
    """A visit kind's documents in one language, one a line, for its form."""
    return "\n".join(doc.get(lang, "") for doc in documents or [])
