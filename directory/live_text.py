"""An office's live state (directory.live) in sentences of the page's language, for the pages and the feed."""
from __future__ import annotations

from datetime import datetime

from babel.dates import format_date, get_day_names
from flask import current_app
from flask_babel import force_locale, get_locale, ngettext
from flask_babel import gettext as _

from kezek.clock import app_now
from kezek.extensions import db
from kezek.services import services


def _locale() -> str:
    return str(get_locale() or "kk")


def _time(iso: str | None) -> str:
    return datetime.fromisoformat(iso).strftime("%H:%M") if iso else ""


def status_line(status: dict) -> str:
    """Open now or not, and the next change: 'Open now until 13:00, ...' or 'Closed now; opens Monday at 09:00'."""
    if status["open"]:
        if status["lunch_at"]:
            return _("Open now until %(time)s, then lunch until %(end)s; closes at %(closes)s.",
                     time=_time(status["lunch_at"]), end=status["today"]["lunch_end"],
                     closes=_time(status["closes_at"]))
        return _("Open now; closes at %(time)s.", time=_time(status["closes_at"]))
    opens = status["opens_at"]
    if not opens:
        return _("Closed now; no receiving day is set for the coming weeks.")
    if status["reason"] == "lunch":
        return _("Lunch break; opens again at %(time)s.", time=_time(opens))
    when = datetime.fromisoformat(opens)
    if status["reason"] == "before_opening":
        return _("Closed now; opens today at %(time)s.", time=_time(opens))
    day = format_date(when.date(), "EEEE d MMMM", locale=_locale())
    line = _("Closed now; opens %(day)s at %(time)s.", day=day, time=_time(opens))
    if status["holiday"]:
        line = _("Today is a public holiday (%(name)s).", name=status["holiday"]) + " " + line
    return line


def today_line(status: dict) -> str:
    """Today's real hours: 'Today 09:00–18:00, lunch 13:00–14:00' or 'Today: not receiving'."""
    today = status["today"]
    if today is None:
        return _("Today: not receiving visitors.")
    if today["lunch_start"]:
        return _("Today %(opens)s–%(closes)s, lunch %(start)s–%(end)s.", opens=today["opens"],
                 closes=today["closes"], start=today["lunch_start"], end=today["lunch_end"])
    return _("Today %(opens)s–%(closes)s.", opens=today["opens"], closes=today["closes"])


def kind_line(kind: dict, lang: str) -> str:
    """One visit kind: how many wait, and a newcomer's estimated wait while tickets can be taken."""
    name = kind["name"].get(lang) or kind["name"]["kk"]
    count = kind["waiting"]
    waiting = ngettext("%(num)d waiting", "%(num)d waiting", count) if count else _("no one waiting")
    estimate = kind["estimate_minutes"]
    if estimate is None or not kind["can_take_ticket"]:
        return _("%(kind)s: %(waiting)s.", kind=name, waiting=waiting)
    return _("%(kind)s: %(waiting)s; a newcomer waits about %(low)s–%(high)s min.", kind=name, waiting=waiting,
             low=estimate["low"], high=estimate["high"])


def quiet_lines(quiet: dict) -> list[str]:
    """'Monday: 10:00–11:00, 16:00–17:00' per weekday, or why the quietest hours are not shown yet."""
    if not quiet["days"]:
        return [ngettext("The usually quietest hours are shown once the office has %(num)d week of its own records "
                         "(it has %(have)s).", "The usually quietest hours are shown once the office has %(num)d weeks "
                         "of its own records (it has %(have)s).", quiet["weeks_needed"], have=quiet["weeks_of_data"])]
    names = get_day_names("wide", locale=_locale())
    return [f"{names[day['weekday']]}: " + ", ".join(f"{h:02d}:00–{h + 1:02d}:00" for h in day["hours"])
            for day in quiet["days"]]


def live_text(state: dict) -> dict:
    """The sentences a page shows for one office's live state, in the current language."""
    lang = _locale()
    return {
        "lang": lang,
        "open": state["status"]["open"],
        "status": status_line(state["status"]),
        "today": today_line(state["status"]),
        "services": [{"name": s["name"].get(lang) or s["name"]["kk"],
                      "lines": [kind_line(k, lang) for k in s["visit_kinds"]]} for s in state["services"]],
        "quiet_heading": _("Usually quietest hours"),
        "quiet": quiet_lines(state["quiet_hours"]),
    }


def office_live(office, lang: str) -> dict:
    """One office's live state now, with its sentences in `lang`."""
    state = services(current_app).directory_live.state(db.session, office, app_now())
    with force_locale(lang):
        return {**state, "text": live_text(state)}
