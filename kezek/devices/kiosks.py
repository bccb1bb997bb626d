"""Which kiosk a request may act as: an enrolled kiosk device, or the office's open web kiosk, else refused."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app, render_template, request
from flask_babel import gettext as _
from sqlalchemy import bindparam, select

from kezek.devices.credential import reading_device
from kezek.known_devices import KnownDevice
from kezek.extensions import db
from kezek.models import KIOSK, TABLET, Device, Kiosk, Office
from printer.status import CANNOT_PRINT


@dataclass(frozen=True)
class TappedOffice:
    """What deciding who may tap needs of an office, read as plain values on the ticket's hot path."""

    id: int
    open_web_kiosk: bool


# Built once and run on the session's connection (no ORM statement to compile: this is each tap's first query).
_TAPPED = select(Office.id, Office.open_web_kiosk).where(Office.slug == bindparam("slug"), Office.enabled)


def tapped_office(session, slug: str) -> TappedOffice:
    """The enabled office called `slug` as a TappedOffice, or NotFound."""
    from kezek.queue.errors import NotFound

    row = session.connection().execute(_TAPPED, {"slug": slug}).first()
    if row is None:
        raise NotFound(what="office")
    return TappedOffice(*row)


class KioskRefused(Exception):
    """This browser may not act as a kiosk of the office; `code` says why and `status` is the HTTP status."""

    def __init__(self, code: str, status: int, asked: str = "", enrolled_as: str = ""):
        super().__init__(code)
        self.code, self.status, self.asked, self.enrolled_as = code, status, asked, enrolled_as


@dataclass(frozen=True)
class KioskAccess:
    """A kiosk request let through: the enrolled device (None for the open web kiosk) and the kiosk's name."""

    device: Device | KnownDevice | None
    kiosk_slug: str | None  # None: the office's first kiosk prints (the open web kiosk without a name)


def kiosk_access(office: Office | TappedOffice, asked: str | None) -> KioskAccess:
    """Let an enrolled kiosk of `office` through, or any browser when the office keeps an open web kiosk.

    `asked` is the kiosk name in the URL or form (`?kiosk=`): a name the office has no active kiosk for is
    refused (404) even for an open web kiosk, and an enrolled device may not act as another kiosk (403).
    """
    asked = (asked or "").strip()
    device = reading_device()
    if device is not None and device.kind == KIOSK and device.office_id == office.id and device.kiosk is not None:
        if not device.kiosk.active:
            raise KioskRefused("kiosk_inactive", 403, asked, device.kiosk.slug)
        if not asked or asked == device.kiosk.slug:
            return KioskAccess(device, device.kiosk.slug)
    if asked and db.session.scalar(select(Kiosk.id).where(Kiosk.office_id == office.id, Kiosk.slug == asked,
                                                           Kiosk.active)) is None:
        raise KioskRefused("unknown_kiosk", 404, asked)
    if device is not None and device.kind == KIOSK and device.office_id == office.id:
        raise KioskRefused("other_kiosk", 403, asked, device.kiosk.slug)
    if office.open_web_kiosk:
        return KioskAccess(None, asked or None)
    raise KioskRefused("not_enrolled", 403, asked)


def refusal_message(refusal: KioskRefused) -> str:
    """What the kiosk screen says when it is refused, in the page's language."""
    messages = {
        "unknown_kiosk": _("This office has no kiosk called “%(name)s”. No ticket was issued. Please take your "
                           "ticket at another kiosk or ask a member of staff.", name=refusal.asked),
        "not_enrolled": _("This screen is not a registered kiosk of this office, so it cannot issue tickets. "
                          "Please take your ticket at another kiosk or ask a member of staff. An administrator "
                          "can enrol this screen under Devices."),
        "other_kiosk": _("This screen is enrolled as the kiosk “%(name)s”, not “%(asked)s”. No ticket was issued.",
                         name=refusal.enrolled_as, asked=refusal.asked),
        "kiosk_inactive": _("This kiosk is switched off in the administration. No ticket was issued. Please ask "
                            "a member of staff."),
    }
    return messages.get(refusal.code, messages["not_enrolled"])


def refused_page(office: Office, refusal: KioskRefused):
    """The kiosk-styled page that says why this screen cannot issue tickets, with its HTTP status."""
    from kezek.errors import wants_json

    message = refusal_message(refusal)
    if wants_json():
        return {"error": refusal.code, "message": message}, refusal.status
    return render_template("devices/kiosk_refused.html", office=office, message=message, kiosk_slug="",
                           lang=request.args.get("lang", "kk")), refusal.status


def printer_notice(access: KioskAccess | None) -> str | None:
    """The printer's state when the kiosk's printer cannot print now (known from its last check), else None."""
    device = access.device if access else None
    if device is None or device.printer_state not in CANNOT_PRINT:
        return None
    return device.printer_state


def tablet_allowed(cabinet_id: int) -> bool:
    """Whether this browser is an enrolled feedback tablet of the cabinet."""
    device = reading_device()
    return device is not None and device.kind == TABLET and device.cabinet_id == cabinet_id


def tablet_refused():
    """The page an unenrolled feedback tablet shows: nothing about any visit, no answers taken."""
    from kezek.errors import error_response

    return error_response(403, _("This tablet is not enrolled for this cabinet, so it shows no visit and takes "
                                 "no answers. An administrator can enrol it under Devices."), "not_enrolled")


def open_kiosk_limit() -> str:
    """The limit of the office's open web kiosk (all browsers that are not enrolled devices together)."""
    return current_app.config["OPEN_KIOSK_LIMIT"]
