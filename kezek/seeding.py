"""Loading the seed's offices and services, the demo office and staff accounts (idempotent)."""
from __future__ import annotations

from datetime import datetime, time, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from kezek.models import BOARD, TABLET, Cabinet, Device, Kiosk, Office, OfficeHours, Service, User, VisitKind
from kezek.queue.hours import SEED_WEEK
from kezek.seed_data import DEPARTMENTS, REGIONAL, SERVICES, department_names

DEMO_SLUG = "demo"


def _set_week(office: Office, week: dict[int, tuple]) -> None:
    office.hours = [
        OfficeHours(weekday=day, opens=opens, closes=closes, lunch_start=lunch_start, lunch_end=lunch_end)
        for day, (opens, closes, lunch_start, lunch_end) in sorted(week.items())
    ]


def load_services(session: Session) -> list[Service]:
    """Create the seed's two services and four visit kinds where missing; keep edited ones."""
    services = []
    for position, data in enumerate(SERVICES):
        service = session.scalar(select(Service).where(Service.code == data["code"]))
        if service is None:
            fields = {k: v for k, v in data.items() if k != "visit_kinds"}
            service = Service(position=position, **fields)
            service.visit_kinds = [VisitKind(position=i, **kind) for i, kind in enumerate(data["visit_kinds"])]
            session.add(service)
        services.append(service)
    session.flush()
    return services


def _all_visit_kinds(session: Session) -> list[VisitKind]:
    return list(session.scalars(select(VisitKind).order_by(VisitKind.id)))


def load_offices(session: Session) -> list[Office]:
    """Create the 11 district departments and the regional department where missing."""
    offices = []
    kinds = _all_visit_kinds(session)
    for slug, district_kk, cabinet, district_ru, district_en in DEPARTMENTS:
        office = session.scalar(select(Office).where(Office.slug == slug))
        if office is None:
            office = Office(slug=slug, district=slug, **department_names(district_kk, district_ru, district_en))
            _set_week(office, SEED_WEEK)
            session.add(office)
            session.flush()
            session.add(Cabinet(office_id=office.id, number=cabinet, visit_kinds=list(kinds)))
            session.add(Kiosk(office_id=office.id, slug="main", name="1"))  # a name in no one language
        offices.append(office)
    if session.scalar(select(Office).where(Office.slug == REGIONAL["slug"])) is None:
        regional = Office(is_regional=True, **REGIONAL)
        _set_week(regional, {day: (time(9), time(19), time(13), time(15)) for day in range(5)})
        session.add(regional)
    session.flush()
    return offices


def zone_at_hour(hour: int, now: datetime | None = None) -> str:
    """A fixed-offset time zone in which it is about `hour` o'clock at `now` (UTC; default: the present).

    For a trial office that must receive visitors whatever the time of day (test servers, benchmarks):
    the demo office is open 00:00-23:59 in Asia/Almaty, so in the Almaty evening its closing time refuses
    tickets that could not be served before midnight.
    """
    offset = (hour - (now or datetime.now(timezone.utc)).hour + 12) % 24 - 12  # UTC+offset, -12..+11
    return "Etc/GMT" if offset == 0 else f"Etc/GMT{-offset:+d}"  # POSIX signs: Etc/GMT-5 is UTC+5


def create_demo_office(session: Session) -> Office:
    """A demo office open every day round the clock, with three cabinets, a kiosk, a board and a feedback tablet.

    It keeps an open web kiosk, so that its kiosk page issues tickets in any browser without enrolling it
    first; its board and cabinet 101's tablet are devices waiting to be enrolled (`kezek demo` prints their links).
    """
    office = session.scalar(select(Office).where(Office.slug == DEMO_SLUG))
    if office is not None:
        return office
    office = Office(
        slug=DEMO_SLUG, district="taraz", observes_public_holidays=False,
        name_kk="Демо бөлім (сынақ үшін)", name_ru="Демо-отдел (для пробы)", name_en="Demo office (for trying out)",
        open_web_kiosk=True,
    )
    _set_week(office, {day: (time(0), time(23, 59), None, None) for day in range(7)})
    session.add(office)
    session.flush()
    by_prefix = {kind.prefix: kind for kind in _all_visit_kinds(session)}
    cabinets = [Cabinet(office_id=office.id, number=number, visit_kinds=[by_prefix[p] for p in prefixes])
                for number, prefixes in (("101", "AB"), ("102", "AC"), ("103", "BCD"))]
    session.add_all(cabinets)
    session.add(Kiosk(office_id=office.id, slug="main", name="1"))
    session.flush()
    now = datetime.now(timezone.utc)
    session.add_all([
        Device(office_id=office.id, kind=BOARD, name="1", created_at=now),
        Device(office_id=office.id, kind=TABLET, name="1", cabinet_id=cabinets[0].id, created_at=now),
    ])
    session.flush()
    return office


def create_user(
    session: Session, username: str, password: str, role: str, office: Office | None, display_name: str = ""
) -> User:
    """Create a staff account (or reset its password and role if it exists)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        user = User(username=username)
        session.add(user)
    user.password_hash = generate_password_hash(password)
    user.end_sessions()
    user.role = role
    user.office_id = office.id if office else None
    user.display_name = display_name or username
    session.flush()
    return user
