"""Words the administration shows for codes: a printer's state, its print jobs' states, staff roles.

The printer code is Flask-free and reports in codes ("refused: connection refused while sending",
"dummy printer"); the page says what that means and keeps the technical rest as a code for a technician.
"""
from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape

from kezek.admin import bp


def _reasons() -> dict[str, str]:
    return {
        "offline": _("the printer cannot be reached"),
        "timeout": _("the printer does not answer"),
        "refused": _("the printer refuses the connection"),
        "paper_out": _("out of paper"),
        "cover_open": _("the cover is open"),
        "disconnected": _("the printer closed the connection"),
        "bad_url": _("the printer's address is wrong"),
    }


@bp.app_template_global()
def printer_detail(detail: str | None) -> Markup:
    """The printer's own remark in words, the technical part (if any) as code."""
    if not detail or detail == "ready":
        return Markup("")
    if detail == "dummy printer":
        return escape(_("test printer: nothing is printed"))
    if detail.endswith("no status channel"):
        return escape(_("this printer cannot report its state"))
    reason, _sep, rest = detail.partition(": ")
    words = _reasons().get(reason)
    if words is None:
        words, rest = _("the printer reports a problem"), detail
    return escape(words) + (Markup(" <code>%s</code>") % rest if rest else Markup(""))


@bp.app_template_global()
def print_job_state(state: str | None) -> str:
    """A print job's state in words."""
    return {"queued": _("waiting to print"), "sent": _("printed"), "failed": _("failed"),
            "superseded": _("replaced by a reprint")}.get(state or "", state or "")


def _per(granularity: str, amount: int) -> str | None:
    rates = {
        "second": lambda: ngettext("%(num)d ticket a second", "%(num)d tickets a second", amount),
        "minute": lambda: ngettext("%(num)d ticket a minute", "%(num)d tickets a minute", amount),
        "hour": lambda: ngettext("%(num)d ticket an hour", "%(num)d tickets an hour", amount),
        "day": lambda: ngettext("%(num)d ticket a day", "%(num)d tickets a day", amount),
    }
    return rates[granularity]() if granularity in rates else None


@bp.app_template_global()
def ticket_rate(limit: str) -> str:
    """A rate limit such as "6 per minute; 100 per hour" in the page's words ("6 талонов в минуту; ...");
    a limit it cannot word (several minutes at once, a month) stays as written."""
    from limits import parse_many

    try:
        items = parse_many(limit)
    except ValueError:
        return limit
    words = [_per(item.GRANULARITY.name, item.amount) if item.multiples == 1 else None for item in items]
    return "; ".join(words) if all(words) else limit  # type: ignore[arg-type]


@bp.app_template_global()
def role_name(role: str) -> str:
    """A staff role in words."""
    from kezek.admin.user_routes import role_names

    return role_names().get(role, role)


def _holiday_names() -> dict[str, str]:
    """Kazakhstan's public holidays by the holidays library's English name, in the page's language."""
    return {
        "New Year's Day": _("New Year's Day"), "Orthodox Christmas": _("Orthodox Christmas"),
        "International Women's Day": _("International Women's Day"), "Nowruz Holiday": _("Nowruz"),
        "Kazakhstan's People Solidarity Holiday": _("Unity Day of the people of Kazakhstan"),
        "Defender of the Fatherland Day": _("Defender of the Fatherland Day"), "Victory Day": _("Victory Day"),
        "Capital Day": _("Capital Day"), "Constitution Day": _("Constitution Day"), "Republic Day": _("Republic Day"),
        "Independence Day": _("Independence Day"), "Eid al-Adha": _("Kurban Ait"),
    }


def holiday_name(english: str, kazakh: str) -> str:
    """A public holiday's name in the page's language, saying when its day off was moved or its date is expected
    (Kurban Ait follows the lunar calendar); an unknown holiday keeps its Kazakh name."""
    moved = re.fullmatch(r"Day off \(substituted from (\d\d)/(\d\d)/(\d{4})\)", english)
    if moved:
        return _("Day off moved from %(date)s", date=f"{moved[2]}.{moved[1]}.{moved[3]}")
    marked = re.fullmatch(r"(.*) \((observed|estimated)\)", english)
    base, marker = (marked[1], marked[2]) if marked else (english, None)
    name = _holiday_names().get(base) or re.sub(r" \([^)]*\)$", "", kazakh)
    if marker == "observed":
        return _("%(name)s (day off moved)", name=name)
    if marker == "estimated":
        return _("%(name)s (expected date)", name=name)
    return name
