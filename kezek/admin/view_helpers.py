"""Helpers shared by the administration views: access, refusals in words, saving a form, telling screens."""
from __future__ import annotations

from collections.abc import Callable

from flask import abort, current_app, flash, g, redirect, request
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from kezek.clock import app_now
from kezek.admin.rules import Refused
from kezek.admin.users import is_regional_admin
from kezek.access import require_office
from kezek.extensions import db
from kezek.home import current_lang
from kezek.models import Office
from kezek.queue.changes import changed
from kezek.realtime import publish


def describe(refusal: Refused) -> str:
    """What a refusal means, in the page's language."""
    p = refusal.params
    texts = {
        "wait_limit": lambda: _("The wait limit must be a whole number of minutes from 1 to %(maximum)s.", **p),
        "service_minutes": lambda: _("The usual time at the cabinet must be a positive number of minutes."),
        "prefix_format": lambda: _("The ticket prefix must be one to three Latin capital letters."),
        "prefix_clash": lambda: _("The prefix %(prefix)s is already used by “%(other)s”: numbers would clash.",
                                  prefix=p["prefix"], other=p.get(f"other_{current_lang()}") or p.get("other_kk", "")),
        "kind_has_waiting": lambda: ngettext(
            "%(num)d visitor with a ticket of %(prefix)s is still in the queue. Close it for new tickets instead; "
            "it can be deleted once nobody waits.",
            "%(num)d visitors with tickets of %(prefix)s are still in the queue. Close it for new tickets instead; "
            "it can be deleted once nobody waits.", p["count"], prefix=p["prefix"]),
        "kind_taken": lambda: _("This service already has this kind of visit."),
        "kind_in_log": lambda: _("Tickets of %(prefix)s are in the wait-time log, so it stays. Close it for new "
                                 "tickets instead.", **p),
        "cabinet_serving": lambda: _("Cabinet %(number)s is serving %(ticket)s right now. Finish that visit first; "
                                     "then deactivate the cabinet.", **p),
        "cabinet_in_log": lambda: _("Cabinet %(number)s is named in the wait-time log, so it stays. Deactivate it "
                                    "instead.", **p),
        "cabinet_number": lambda: _("Give the cabinet a number (up to 20 characters)."),
        "cabinet_number_taken": lambda: _("This office already has a cabinet %(number)s.", **p),
        "slug_format": lambda: _("The short name may use Latin small letters, digits and hyphens (2-40)."),
        "slug_taken": lambda: _("The short name %(slug)s is already taken.", **p),
        "names_required": lambda: _("Give the name in Kazakh, Russian and English."),
        "call_policy": lambda: _("Choose how the next visitor is picked."),
        "recalls": lambda: _("Recalls before a no-show must be between 0 and 10."),
        "hours_order": lambda: _("%(day)s: the office must open before it closes.", day=_weekday(p)),
        "lunch_both": lambda: _("%(day)s: give both the start and the end of lunch, or neither.", day=_weekday(p)),
        "lunch_inside": lambda: _("%(day)s: lunch must be within the receiving hours.", day=_weekday(p)),
        "printer_url": lambda: _("The printer address must start with one of: %(schemes)s.", **p),
        "printer_local": lambda: _("A file, folder or serial device is a printer only when the server's "
                                   "configuration lists it (KEZEK_LOCAL_PRINTERS); ask whoever runs the server."),
        "printer_port": lambda: _("A network printer takes tickets on port %(ports)s; other ports must be listed "
                                  "in the server's configuration (KEZEK_PRINTER_PORTS).", **p),
        "printer_profile": lambda: _("Unknown printer model “%(profile)s”.", **p),
        "paper_width": lambda: _("The paper is 58 or 80 mm wide."),
        "username_format": lambda: _("A username is 2-80 Latin letters, digits, dots, hyphens or underscores."),
        "username_taken": lambda: _("The username %(username)s is already taken.", **p),
        "password_short": lambda: ngettext("The password must have at least %(num)d character.",
                                           "The password must have at least %(num)d characters.", int(p["minimum"])),
        "password_weak": lambda: password_weakness(p.get("why")),
        "role_not_allowed": lambda: _("You may not give this role."),
        "office_unknown": lambda: _("There is no such office."),
        "needs_office": lambda: _("Clerks and managers belong to an office: choose one."),
        "not_your_staff": lambda: _("This account belongs to another office."),
        "own_account": lambda: _("You cannot change your own role or office, or lock yourself out."),
        "already_set_up": lambda: _("This installation is already set up: sign in instead."),
        "offices_required": lambda: _("Choose at least one office of the list."),
        "service_code": lambda: _("The code may use Latin small letters, digits and underscores, and must be new."),
        "service_term": lambda: _("The service term must be a positive number of days."),
        "documents_lines": lambda: _("Each document needs its Kazakh line; Russian and English lines follow it."),
    }
    return texts.get(refusal.reason, lambda: _("This change cannot be made."))()


def password_weakness(why: str | None) -> str:
    """Why a password is refused as too easy to guess, and what to choose instead."""
    reasons = {
        "common": _("This is one of the passwords people choose most often."),
        "personal": _("The password is built on the username or the person's name."),
        "repeat": _("Repeated characters such as “aaaa” are easy to guess."),
        "sequence": _("Sequences such as “1234” or “abcd” are easy to guess."),
        "keyboard": _("Rows of keys such as “qwerty” are easy to guess."),
        "date": _("Dates and years are easy to guess."),
    }
    return " ".join([_("This password is too easy to guess."), reasons.get(why or "", ""),
                     _("Choose a longer one, for example three or four unrelated words.")]).replace("  ", " ")


def _weekday(params: dict) -> str:
    from babel.dates import get_day_names

    from kezek.home import current_lang

    return get_day_names("wide", locale=current_lang())[params.get("weekday", 0)]


def require_regional() -> None:
    """Refuse (403) an office's administrator a page for the whole region."""
    if not is_regional_admin(current_user):
        abort(403)


def office_or_404(slug: str) -> Office:
    """The office called `slug` if the administrator may manage it."""
    office = db.session.scalar(select(Office).where(Office.slug == slug))
    if office is None:
        abort(404)
    require_office(office.id)
    return office


def managed_offices() -> list[Office]:
    """The offices the signed-in administrator manages."""
    query = select(Office).order_by(Office.is_regional, Office.id)
    if not is_regional_admin(current_user):
        query = query.where(Office.id == current_user.office_id)
    return list(db.session.scalars(query))


def submit(form, apply: Callable, page: Callable, done: Callable, office_id: int | None = None,
           warnings: Callable[[], list[str]] | None = None):
    """Validate `form`, apply the rule and commit; on a refusal show `page(error)` again, having changed nothing.

    `warnings` names what is allowed but likely a mistake: the form comes back with the reasons and a
    "save anyway" tick, and is saved only when sent again with it ticked.
    """
    if not form.validate_on_submit():
        return page(_("Nothing was saved: please correct the marked fields.")), 400
    try:
        with db.write_lock:
            result = apply()
            # Asked once the rules have accepted the values: a refusal says more than a warning.
            found = warnings() if warnings else []
            if found and request.form.get("confirmed") != "1":
                db.session.rollback()
                g.admin_warnings = found
                return page(None), 200
            change = changed(db.session, office_id, "cabinet") if office_id else None
            db.session.commit()
    except Refused as refusal:
        db.session.rollback()
        return page(describe(refusal)), refusal.status
    publish(change)
    flash(_("Saved."), "ok")
    return redirect(done(result), 303)


def refused_page(refusal: Refused, back: str):
    """The page that says why a button's change was refused, with a way back."""
    from flask import render_template

    db.session.rollback()
    return render_template("admin/refused.html", message=describe(refusal), back=back), refusal.status
