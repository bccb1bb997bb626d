"""Office rules: creating an office, its settings, its weekly hours, its own calendar and the public holidays."""
from __future__ import annotations

import re
from datetime import date, time

import holidays
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.admin.rules import Refused, created, plain, removed, save, update
from kezek.audit import record
from kezek.models import CalendarDay, Kiosk, Office, OfficeHours, User
from kezek.queue.hours import SEED_WEEK
from printer.policy import PrinterPolicy

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,39}$")
OFFICE_FIELDS = ["slug", "district", "name_kk", "name_ru", "name_en", "call_policy", "recalls_before_no_show",
                 "observes_public_holidays", "enabled"]
CALL_POLICIES = ("deadline", "balanced", "fifo")
DAY_FIELDS = ["day", "closed", "opens", "closes", "note"]
KIOSK_FIELDS = ["slug", "name", "printer_url", "printer_profile", "paper_width_mm", "active"]
PRINTER_SCHEMES = ("dummy", "tcp", "usb", "serial", "cups", "file", "agent")
PAPER_WIDTHS = {58: 384, 80: 576}


def _check_names(values: dict) -> None:
    if not all((values.get(f"name_{lang}") or "").strip() for lang in ("kk", "ru", "en")):
        raise Refused("names_required", 400)


def create_office(session: Session, user: User, values: dict) -> Office:
    """A new office with the standards' week (Mon-Fri 09-18, lunch 13-14), or Refused."""
    slug = (values.get("slug") or "").strip().lower()
    if not SLUG.match(slug):
        raise Refused("slug_format", 400)
    if session.scalar(select(Office.id).where(Office.slug == slug)) is not None:
        raise Refused("slug_taken", 409, slug=slug)
    _check_names(values)
    office = Office(**{**values, "slug": slug, "district": (values.get("district") or slug).strip()})
    office.hours = [OfficeHours(weekday=day, opens=o, closes=c, lunch_start=ls, lunch_end=le)
                    for day, (o, c, ls, le) in sorted(SEED_WEEK.items())]
    entry = created(session, user, office, OFFICE_FIELDS, "admin.office.create", None, {"office": slug})
    entry.office_id = office.id
    return office


def save_office(session: Session, user: User, office: Office, values: dict) -> dict:
    """Apply an office's names and queue settings."""
    _check_names(values)
    if values.get("call_policy", office.call_policy) not in CALL_POLICIES:
        raise Refused("call_policy", 400)
    recalls = values.get("recalls_before_no_show", office.recalls_before_no_show)
    if not isinstance(recalls, int) or not 0 <= recalls <= 10:
        raise Refused("recalls", 400)
    return update(session, user, office, values, "admin.office.update", office.id, {"office": office.slug})


def _hours_text(row: OfficeHours | None) -> str | None:
    if row is None:
        return None
    text = f"{plain(row.opens)}-{plain(row.closes)}"
    return text + (f" ({plain(row.lunch_start)}-{plain(row.lunch_end)})" if row.lunch_start else "")


def _check_day(weekday: int, opens: time, closes: time, lunch_start: time | None, lunch_end: time | None) -> None:
    if not opens or not closes or opens >= closes:
        raise Refused("hours_order", 400, weekday=weekday)
    if (lunch_start is None) != (lunch_end is None):
        raise Refused("lunch_both", 400, weekday=weekday)
    if lunch_start and not opens < lunch_start < lunch_end < closes:
        raise Refused("lunch_inside", 400, weekday=weekday)


def set_week(session: Session, user: User, office: Office, week: dict[int, tuple | None]) -> dict:
    """Replace the office's weekly hours: weekday -> (opens, closes, lunch_start, lunch_end), None = closed."""
    for weekday, hours in week.items():
        if hours is not None:
            _check_day(weekday, *hours)
    rows = {row.weekday: row for row in office.hours}
    changes = {}
    for weekday in range(7):
        before, hours = _hours_text(rows.get(weekday)), week.get(weekday)
        if hours is None:
            if weekday in rows:
                office.hours.remove(rows[weekday])
        elif weekday in rows:
            row = rows[weekday]
            row.opens, row.closes, row.lunch_start, row.lunch_end = hours
        else:
            office.hours.append(OfficeHours(weekday=weekday, opens=hours[0], closes=hours[1],
                                            lunch_start=hours[2], lunch_end=hours[3]))
        after = None if hours is None else _hours_text(OfficeHours(
            weekday=weekday, opens=hours[0], closes=hours[1], lunch_start=hours[2], lunch_end=hours[3]))
        if before != after:
            changes[str(weekday)] = [before, after]
    if changes:
        record(session, user, "admin.hours.update", {"office": office.slug, "changes": changes}, office_id=office.id)
    session.flush()
    return changes


def public_holidays(years: list[int]) -> list[tuple[date, str, str]]:
    """Kazakhstan's public holidays in `years` as (day, English name, Kazakh name), in date order; the names as the
    holidays library gives them, with its markers ("(observed)", "(estimated)") for the page to put in words."""
    english = holidays.country_holidays("KZ", years=years, language="en_US")
    kazakh = holidays.country_holidays("KZ", years=years, language="kk")
    return sorted((day, name, kazakh.get(day, name)) for day, name in english.items())


def calendar(session: Session, office: Office, since: date) -> list[CalendarDay]:
    """The office's own exceptions from `since` on."""
    return list(session.scalars(
        select(CalendarDay).where(CalendarDay.office_id == office.id, CalendarDay.day >= since).order_by(CalendarDay.day)
    ))


def save_day(session: Session, user: User, office: Office, values: dict) -> CalendarDay:
    """Add or change the office's exception for one date: closed, or open with its own hours."""
    if not values.get("closed"):
        _check_day(values["day"].weekday(), values.get("opens"), values.get("closes"), None, None)
    else:
        values = {**values, "opens": None, "closes": None}
    row = session.scalar(select(CalendarDay).where(CalendarDay.office_id == office.id,
                                                   CalendarDay.day == values["day"]))
    row = row or CalendarDay(office_id=office.id)
    save(session, user, row, values, DAY_FIELDS, "calendar", office.id, {"office": office.slug, "day": plain(values["day"])})
    return row


def delete_day(session: Session, user: User, row: CalendarDay) -> None:
    """Drop an exception: the day follows the week and the public holidays again."""
    removed(session, user, row, DAY_FIELDS, "admin.calendar.delete", row.office_id,
            {"day": plain(row.day)})


def check_printer(url: str, profile: str, paper_width_mm: int, policy: PrinterPolicy | None = None) -> None:
    """A printer URL the policy allows, a known printer profile and a 58 or 80 mm paper width.

    Without a policy only printers are allowed: no file, folder or serial device, network printers on 9100.
    """
    from printer.profiles import get_profile

    policy = policy or PrinterPolicy()
    refusal = policy.refusal(url or "")
    if refusal == "scheme":
        raise Refused("printer_url", 400, schemes=", ".join(PRINTER_SCHEMES))
    if refusal == "local":
        raise Refused("printer_local", 400)
    if refusal == "port":
        raise Refused("printer_port", 400, ports=", ".join(str(port) for port in sorted(policy.ports)))
    try:
        get_profile(profile)
    except ValueError:
        raise Refused("printer_profile", 400, profile=profile) from None
    if paper_width_mm not in PAPER_WIDTHS:
        raise Refused("paper_width", 400)


def save_kiosk(session: Session, user: User, kiosk: Kiosk, values: dict, policy: PrinterPolicy | None = None) -> dict:
    """Check and apply a kiosk's name, printer URL (within `policy`), printer profile and paper width."""
    slug = (values.get("slug") or "").strip().lower()
    if not SLUG.match(slug):
        raise Refused("slug_format", 400)
    clash = session.scalar(select(Kiosk.id).where(Kiosk.office_id == kiosk.office_id, Kiosk.slug == slug,
                                                  Kiosk.id != (kiosk.id or 0)))
    if clash is not None:
        raise Refused("slug_taken", 409, slug=slug)
    check_printer(values.get("printer_url", ""), values.get("printer_profile", ""), values.get("paper_width_mm"),
                  policy)
    values = {**values, "slug": slug, "printer_url": values.get("printer_url", "").strip()}
    return save(session, user, kiosk, values, KIOSK_FIELDS, "kiosk", kiosk.office_id, {"kiosk": slug})
