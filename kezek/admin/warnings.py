"""Changes that are allowed but almost surely a mistake: the administration says why and asks once more."""
from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import Session

from kezek.models import Cabinet, Office, Service, VisitKind, cabinet_visit_kind
from kezek.seed_data import SERVICES


def legal_limit(service: Service, kind: str) -> int | None:
    """The longest wait the law (resolution N 120 of 2008, annex 1) sets for this service's visit, if it sets one."""
    for seeded in SERVICES:
        if seeded["code"] == service.code:
            for visit in seeded["visit_kinds"]:
                if visit["kind"] == kind:
                    return visit["wait_limit_minutes"]
    return None


def visit_kind_warnings(service: Service, values: dict) -> list[str]:
    """A wait limit above the law's."""
    legal, limit = legal_limit(service, values.get("kind") or ""), values.get("wait_limit_minutes")
    if legal is not None and isinstance(limit, int) and limit > legal:
        law = ngettext("The law sets at most %(num)d minute of waiting for this visit;",
                       "The law sets at most %(num)d minutes of waiting for this visit;", legal)
        reports = ngettext("with %(num)d minute the reports would count late visitors as served in time.",
                           "with %(num)d minutes the reports would count late visitors as served in time.", limit)
        return [f"{law} {reports}"]
    return []


def _kinds_served(session: Session, office_id: int, without: int | None = None) -> set[int]:
    query = (select(cabinet_visit_kind.c.visit_kind_id).join(Cabinet, Cabinet.id == cabinet_visit_kind.c.cabinet_id)
             .where(Cabinet.office_id == office_id, Cabinet.active))
    if without is not None:
        query = query.where(Cabinet.id != without)
    return set(session.scalars(query))


def cabinet_warnings(session: Session, office: Office, cabinet: Cabinet | None, values: dict) -> list[str]:
    """A cabinet in use that serves no visit, or a change that leaves the office serving nothing."""
    found = []
    kinds = [kind for kind in values.get("visit_kinds") or [] if isinstance(kind, VisitKind)]
    if values.get("active") and not kinds:
        found.append(_("This cabinet serves no visit kind, so nobody will ever be called to it. Tick the visits it "
                       "takes."))
    others = _kinds_served(session, office.id, without=cabinet.id if cabinet is not None else None)
    if office.enabled and not others and not (values.get("active") and kinds):
        found.append(_("After this change no cabinet of the office serves any visit: its kiosk would ask what the "
                       "visitor came for and offer no answer."))
    return found


def office_warnings(session: Session, office: Office, values: dict) -> list[str]:
    """An office in use whose kiosk would offer no service."""
    if values.get("enabled", office.enabled) and not office.is_regional and not _kinds_served(session, office.id):
        return [_("No cabinet of this office serves any visit yet: its kiosk would ask what the visitor came for and "
                  "offer no answer. Add a cabinet and tick the visits it takes, or leave the office out of use.")]
    return []
