"""The audit log as sentences in the reader's language, with names instead of ids (the codes stay in the export)."""
from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.home import localized
from kezek.models import AuditEntry, Cabinet, Office, Service, User, VisitKind


@dataclass
class Names:
    """What ids in the log stand for: offices, services, visit kinds, cabinets and users by id."""

    offices: dict[int, Office]
    services: dict[int, Service]
    kinds: dict[int, VisitKind]
    cabinets: dict[int, Cabinet]
    users: dict[int, User]

    @classmethod
    def load(cls, session: Session) -> "Names":
        """Every name the log may need (a few hundred rows at most)."""
        return cls({o.id: o for o in session.scalars(select(Office))}, {s.id: s for s in session.scalars(select(Service))},
                   {k.id: k for k in session.scalars(select(VisitKind))}, {c.id: c for c in session.scalars(select(Cabinet))},
                   {u.id: u for u in session.scalars(select(User))})

    def kind(self, kind_id) -> str:
        """A visit kind as "A · service · visit kind"."""
        kind = self.kinds.get(kind_id) if isinstance(kind_id, int) else None
        if kind is None:
            return _("a deleted visit kind") if kind_id is not None else "—"
        return f"{kind.prefix} · {localized(kind.service)} · {localized(kind)}"

    def cabinet(self, cabinet_id) -> str:
        """A cabinet by its number."""
        cabinet = self.cabinets.get(cabinet_id) if isinstance(cabinet_id, int) else None
        return cabinet.number if cabinet is not None else "—"


def _admin_sentences() -> dict[tuple[str, str], str]:
    return {
        ("office", "create"): _("Created the office %(subject)s."),
        ("office", "update"): _("Changed the office %(subject)s."),
        ("hours", "update"): _("Changed the office hours of %(subject)s."),
        ("calendar", "create"): _("Added the calendar day %(subject)s."),
        ("calendar", "update"): _("Changed the calendar day %(subject)s."),
        ("calendar", "delete"): _("Removed the calendar day %(subject)s."),
        ("cabinet", "create"): _("Added cabinet %(subject)s."),
        ("cabinet", "update"): _("Changed cabinet %(subject)s."),
        ("cabinet", "delete"): _("Deleted cabinet %(subject)s."),
        ("visit_kind", "create"): _("Added the visit kind %(subject)s."),
        ("visit_kind", "update"): _("Changed the visit kind %(subject)s."),
        ("visit_kind", "delete"): _("Deleted the visit kind %(subject)s."),
        ("service", "create"): _("Added the service %(subject)s."),
        ("service", "update"): _("Changed the service %(subject)s."),
        ("kiosk", "create"): _("Added kiosk %(subject)s."),
        ("kiosk", "update"): _("Changed kiosk %(subject)s."),
        ("user", "create"): _("Created the staff account %(subject)s."),
        ("user", "update"): _("Changed the staff account %(subject)s."),
    }


def field_names() -> dict[str, str]:
    """Each logged field's name as the forms call it."""
    return {
        "slug": _("Address in links"), "district": _("District"), "name_kk": _("Name in Kazakh"),
        "name_ru": _("Name in Russian"), "name_en": _("Name in English"), "call_policy": _("Call order"),
        "recalls_before_no_show": _("Recalls before a no-show"), "observes_public_holidays": _("Closed on public holidays"),
        "enabled": _("In use"), "active": _("In use"), "number": _("Number"), "visit_kinds": _("Visit kinds"),
        "service_id": _("Service"), "kind": _("Visit"), "prefix": _("Letter"), "wait_limit_minutes": _("Wait limit, min"),
        "default_service_minutes": _("Usual visit length, min"), "documents": _("Documents"), "accepting": _("Taking tickets"),
        "code": _("Code"), "service_term_days": _("Service term, days"), "day": _("Day"), "closed": _("Closed"),
        "opens": _("Opens"), "closes": _("Closes"), "note": _("Note"), "name": _("Name"), "printer_url": _("Printer"),
        "printer_profile": _("Printer model"), "paper_width_mm": _("Paper width, mm"), "username": _("User name"),
        "display_name": _("Full name"), "role": _("Role"), "office_id": _("Office"), "hours": _("Hours"),
        "timezone": _("Time zone"),
    }


def _value(field: str, value, names: Names) -> str:
    from kezek.admin.words import role_name

    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if field == "hours" and isinstance(value, list):  # a week as down-sync keeps it: [weekday, opens, closes, ...]
        return "; ".join(f"{row[0] + 1}: {row[1]}–{row[2]}" for row in value if isinstance(row, list) and len(row) > 2)
    if field.startswith("calendar ") and isinstance(value, list) and len(value) == 5:  # [date, closed, opens, ...]
        hours = _("closed") if value[1] else f"{value[2]}–{value[3]}"
        return f"{hours} ({value[4]})" if value[4] else hours
    if field == "office_id":
        office = names.offices.get(value)
        return localized(office) if office else "—"
    if field == "service_id":
        service = names.services.get(value)
        return localized(service) if service else "—"
    if field == "visit_kinds" and isinstance(value, list):
        return ", ".join(str(item) for item in value)
    if field == "role":
        return role_name(str(value))
    if field == "call_policy":
        return {"deadline": _("First come, first served, but a visitor about to pass their wait limit goes first"),
                "balanced": _("As above, but the first in line is not passed once they have waited longer than the "
                              "queue's pace"),
                "fifo": _("Strictly first come, first served")}.get(value, str(value))
    if field == "kind":
        return {"hand_in": _("hand in documents"), "collect": _("collect the result")}.get(value, str(value))
    return str(value)


def changes(entry: AuditEntry, names: Names) -> list[tuple[str, str, str]]:
    """The entry's changed fields as (field name, before, after) in words."""
    found = entry.detail.get("changes") if isinstance(entry.detail, dict) else None
    if not isinstance(found, dict):
        return []
    labels = field_names()
    for field in found:
        if isinstance(field, str) and field.startswith("calendar "):  # a date of the office's calendar (down-sync)
            labels[field] = _("Own calendar, %(day)s", day=field.removeprefix("calendar "))
    return [(labels.get(field, field), _value(field, pair[0], names), _value(field, pair[1], names))
            for field, pair in found.items() if isinstance(pair, (list, tuple)) and len(pair) == 2]


def _subject(what: str, detail: dict, names: Names) -> str:
    if what == "visit_kind" and isinstance(detail.get("id"), int) and detail["id"] in names.kinds:
        return names.kind(detail["id"])
    if what == "service" and isinstance(detail.get("id"), int) and detail["id"] in names.services:
        return localized(names.services[detail["id"]])
    value = detail.get({"hours": "office", "calendar": "day"}.get(what, what))
    if what in ("office", "hours"):
        office = next((o for o in names.offices.values() if o.slug == value), None)
        return localized(office) if office else str(value or "—")
    return str(value or "—")


def sentence(entry: AuditEntry, names: Names) -> str:
    """What happened, as one sentence (the user is shown beside it)."""
    detail = entry.detail if isinstance(entry.detail, dict) else {}
    action = entry.action
    ticket, cabinet = detail.get("ticket") or "—", detail.get("cabinet") or "—"
    console = {
        "console.call": _("Called %(ticket)s to cabinet %(cabinet)s."),
        "console.recall": _("Called %(ticket)s again to cabinet %(cabinet)s."),
        "console.start": _("Started serving %(ticket)s in cabinet %(cabinet)s."),
        "console.finish": _("Finished serving %(ticket)s in cabinet %(cabinet)s."),
        "console.no-show": _("Marked %(ticket)s as a no-show in cabinet %(cabinet)s."),
        "console.uncancel": _("Took back the cancellation of %(ticket)s in cabinet %(cabinet)s."),
        "console.reprint": _("Printed %(ticket)s again for cabinet %(cabinet)s."),
        "console.open": _("Opened cabinet %(cabinet)s."),
        "console.pause": _("Paused cabinet %(cabinet)s."),
        "console.close": _("Closed cabinet %(cabinet)s."),
    }
    if action in console:
        return console[action] % {"ticket": ticket, "cabinet": cabinet}
    if action == "console.cancel":
        from kezek.console.messages import cancel_reasons

        reason = cancel_reasons().get(detail.get("reason") or "other", "")
        return _("Cancelled %(ticket)s in cabinet %(cabinet)s: %(reason)s.", ticket=ticket, cabinet=cabinet,
                 reason=reason.lower() if reason else "—")
    if action == "console.transfer":
        where = []
        if detail.get("to_visit_kind"):
            where.append(_("to %(kind)s", kind=names.kind(detail["to_visit_kind"])))
        if detail.get("to_cabinet"):
            where.append(_("to cabinet %(cabinet)s", cabinet=names.cabinet(detail["to_cabinet"])))
        return _("Sent %(ticket)s from cabinet %(cabinet)s %(where)s.", ticket=ticket, cabinet=cabinet,
                 where=" ".join(where) or "—")
    if action == "login":
        return _("Signed in.")
    if action == "logout":
        return _("Signed out.")
    if action == "admin.setup":
        return _("Set up the installation with the first administrator.")
    if action == "admin.user.password_reset":
        return _("Set a new password for %(user)s.", user=detail.get("user") or "—")
    if action == "admin.kiosk.test_page":
        return _("Printed a test page on kiosk %(kiosk)s.", kiosk=detail.get("kiosk") or "—")
    if action.startswith("reports.export."):
        report, _dot, form = action.removeprefix("reports.export.").partition(".")
        name = {"log": _("the wait-time log"), "annex2": _("the annex 2 table")}.get(report, _("a report"))
        return _("Downloaded %(report)s (%(format)s).", report=name, format=form.upper() or "—")
    if action == "reports.annex2.save":
        return _("Saved values of the annex 2 table.")
    if action == "reports.decision":
        return _("Recorded the date of a decision on a visitor's case.")
    if action == "node.settings_conflict":
        return _("The centre's office settings replaced a setting also changed at this office: the centre's "
                 "change is kept.")
    if action == "node.cabinet_added":
        return _("The office's node named cabinet %(number)s, which the centre did not have: it was added, serving "
                 "no visit kind until an administrator gives it some.", number=detail.get("cabinet", "—"))
    if action == "node.kiosk_added":
        return _("The office's node named kiosk %(name)s, which the centre did not have: it was added.",
                 name=detail.get("kiosk", "—"))
    if action == "directory_edit":
        return _("Edited a directory entry.")
    parts = action.split(".")
    if len(parts) == 3 and parts[0] == "admin" and (parts[1], parts[2]) in _admin_sentences():
        return _admin_sentences()[parts[1], parts[2]] % {"subject": _subject(parts[1], detail, names)}
    return _("Another action (its code is in the export).")
