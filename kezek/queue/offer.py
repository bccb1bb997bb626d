"""What an office offers a visitor right now: its services, visit kinds and their outlook."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache

from sqlalchemy import and_, bindparam, func, select
from sqlalchemy.orm import Session, aliased, contains_eager

from kezek.models import Cabinet, Kiosk, Office, Service, VisitKind, cabinet_visit_kind
from kezek.queue.errors import NotFound
from kezek.queue.estimate import WaitEstimate
from kezek.queue.forecast import newcomer_outlook
from kezek.queue.hours import Opening, finish_after, next_opening, opening_state


@dataclass(frozen=True)
class Outlook:
    """Whether a ticket of one visit kind can be taken now, and the wait it would bring."""

    visit_kind: VisitKind
    estimate: WaitEstimate
    available: bool
    reason: str | None  # None, "closed", "too_late_today", "not_accepting"
    # When the visitor would be called, local time, if that is only after the lunch break (None otherwise)
    after_lunch_at: datetime | None = None


def _served_here(office_id):
    """Ids of the visit kinds at least one active cabinet of the office serves (`office_id` a value or a column)."""
    return (
        select(cabinet_visit_kind.c.visit_kind_id)
        .join(Cabinet, Cabinet.id == cabinet_visit_kind.c.cabinet_id)
        .where(Cabinet.office_id == office_id, Cabinet.active)
    )


def offered_visit_kinds(session: Session, office: Office) -> list[VisitKind]:
    """Visit kinds that at least one active cabinet of the office serves, in service order."""
    query = (
        select(VisitKind)
        .join(Service)
        .options(contains_eager(VisitKind.service))
        .where(VisitKind.id.in_(_served_here(office.id)))
    )
    kinds = session.scalars(query).all()
    return sorted(kinds, key=lambda kind: (kind.service.position, kind.service_id, kind.position))


def offered_services(session: Session, office: Office) -> list[Service]:
    """Services with at least one offered visit kind at the office."""
    services: dict[int, Service] = {}
    for kind in offered_visit_kinds(session, office):
        services.setdefault(kind.service_id, kind.service)
    return list(services.values())


def find_offered_kind(session: Session, office: Office, visit_kind_id: int) -> VisitKind:
    """The visit kind with this id if the office offers it, else NotFound."""
    kind = session.scalar(
        select(VisitKind).where(VisitKind.id == visit_kind_id, VisitKind.id.in_(_served_here(office.id)))
    )
    if kind is None:
        raise NotFound(what="visit_kind")
    return kind


@dataclass(frozen=True)
class TappedOffice:
    """What issuing a ticket needs of an office, read as plain values (the hours and estimate read these names)."""

    id: int
    slug: str
    timezone: str
    call_policy: str
    observes_public_holidays: bool


@dataclass(frozen=True)
class TappedKind:
    """What issuing a ticket needs of a visit kind."""

    id: int
    prefix: str
    wait_limit_minutes: int
    default_service_minutes: int
    accepting: bool


@dataclass(frozen=True)
class TappedKiosk:
    """The kiosk a ticket was taken at."""

    id: int
    slug: str
    printer_url: str | None


_OFFICE_COLUMNS = (Office.id, Office.slug, Office.timezone, Office.call_policy, Office.observes_public_holidays)
_KIND_COLUMNS = (
    VisitKind.id,
    VisitKind.prefix,
    VisitKind.wait_limit_minutes,
    VisitKind.default_service_minutes,
    VisitKind.accepting,
)


@lru_cache(maxsize=2)
def _tap_statement(named_kiosk: bool):
    """The query of `find_tap`, built once (parameters: slug, kind, kiosk); plain columns, no ORM objects."""
    offered = VisitKind.id.in_(_served_here(Office.id).correlate(Office))
    if named_kiosk:
        which = Kiosk.slug == bindparam("kiosk")
    else:
        any_kiosk = aliased(Kiosk)
        first = (
            select(func.min(any_kiosk.id))
            .where(any_kiosk.office_id == Office.id, any_kiosk.active)
            .correlate(Office)
            .scalar_subquery()
        )
        which = Kiosk.id == first
    return (
        select(*_OFFICE_COLUMNS, *_KIND_COLUMNS, Kiosk.id, Kiosk.slug, Kiosk.printer_url)
        .select_from(Office)
        .join(VisitKind, VisitKind.id == bindparam("kind"))
        .outerjoin(Kiosk, and_(Kiosk.office_id == Office.id, Kiosk.active, which))
        .where(Office.slug == bindparam("slug"), Office.enabled, offered)
    )


def find_tap(
    session: Session, office_slug: str, visit_kind_id: int, kiosk_slug: str | None
) -> tuple[TappedOffice, TappedKind, TappedKiosk | None]:
    """A kiosk tap's office, the visit kind tapped (if the office offers it) and the kiosk, in one query.

    The kiosk is the office's active one called `kiosk_slug` (its first one without a name, None if
    unknown). NotFound names the office or the visit kind when either is missing.
    """
    values = {"slug": office_slug, "kind": visit_kind_id}
    if kiosk_slug:
        values["kiosk"] = kiosk_slug
    row = session.connection().execute(_tap_statement(bool(kiosk_slug)), values).first()
    if row is None:
        known = session.scalar(select(Office.id).where(Office.slug == office_slug, Office.enabled))
        raise NotFound(what="visit_kind" if known else "office")
    office, kind, kiosk = row[:5], row[5:10], row[10:]
    return TappedOffice(*office), TappedKind(*kind), (TappedKiosk(*kiosk) if kiosk[0] is not None else None)


def fits_today(opening: Opening, estimate: WaitEstimate) -> bool:
    """Whether a visitor arriving now would be served before closing time."""
    if not opening.is_open or opening.today is None:
        return False
    done_by = finish_after(opening.today, opening.now_local, estimate.expected + estimate.service_minutes)
    return done_by <= opening.today.closes


def outlooks(session: Session, office: Office, kinds: list[VisitKind], now: datetime) -> tuple[Opening, list[Outlook]]:
    """The office's opening state and, for each visit kind, the outlook of a ticket taken now."""
    opening = opening_state(session, office, now)
    result = []
    for kind in kinds:
        estimate = newcomer_outlook(session, office, kind, now, opening.today).estimate
        if not kind.accepting:
            result.append(Outlook(kind, estimate, False, "not_accepting"))
        elif not opening.is_open:
            result.append(Outlook(kind, estimate, False, "closed"))
        elif not fits_today(opening, estimate):
            result.append(Outlook(kind, estimate, False, "too_late_today"))
        else:
            result.append(Outlook(kind, estimate, True, None, called_after_lunch(opening, estimate)))
    return opening, result


def called_after_lunch(opening: Opening, estimate: WaitEstimate) -> datetime | None:
    """When a visitor taking a ticket now would be called (local time), if not before the lunch break: the
    estimate already counts the break, so the kiosk can say the ticket is served after it, as it does near closing."""
    today = opening.today
    if not opening.is_open or today is None or not (today.lunch_start and today.lunch_end):
        return None
    if opening.now_local >= today.lunch_start:
        return None
    called = opening.now_local + timedelta(minutes=estimate.expected)
    return called if called >= today.lunch_end else None


def tomorrow_opening(session: Session, office: Office, opening: Opening) -> datetime | None:
    """When the office opens after today's closing (for 'come back' messages)."""
    if opening.today is None:
        return opening.opens_at
    return next_opening(session, office, opening.today.closes)
