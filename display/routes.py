"""The board page: the frame, the first state and the texts in the office's two languages."""
from __future__ import annotations

from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from display import bp
from display.events import snapshot
from kezek.extensions import db
from kezek.home import current_lang
from kezek.queue.issuing import find_office

# Headings shown in both of the office's languages, so every visitor can read the board.
TEXTS = {
    "calling": _l("Now calling"),
    "ticket": _l("Ticket"),
    "cabinet": _l("Cabinet"),
    "recent": _l("Last calls"),
    "waiting": _l("Waiting"),
    "nobody": _l("Please wait for your number"),
    "hours": _l("Office hours"),
    "sound": _l("Sound is off: tap here to turn it on"),
    "offline": _l("Connection lost: reconnecting…"),
}


def board_languages() -> list[str]:
    """The page's language first, then the other of Kazakh and Russian."""
    first = current_lang()
    return [first, "ru" if first == "kk" else "kk"]


def bilingual(languages: list[str]) -> dict[str, list[str]]:
    """Each board text in each language (once when both read the same)."""
    texts: dict[str, list[str]] = {}
    for key, message in TEXTS.items():
        for lang in languages:
            with force_locale(lang):
                text = str(message)
            if text not in texts.setdefault(key, []):
                texts[key].append(text)
    return texts


def calendar_names(lang: str) -> dict:
    """Weekday (Monday first) and month names in `lang`, for the board's date line."""
    from babel.dates import get_day_names, get_month_names

    return {
        "weekdays": [get_day_names("wide", locale=lang)[day] for day in range(7)],
        "months": [get_month_names("wide", context="format", locale=lang)[month] for month in range(1, 13)],
        # Translators: the board's date line; keep the three names in braces.
        "pattern": _("{weekday}, {day} {month}"),
    }


@bp.get("/<office_slug>")
def board(office_slug: str):
    """The office's board for a TV; the script keeps it live."""
    office = find_office(db.session, office_slug)
    languages = board_languages()
    return render_template(
        "display/board.html", office=office, state=snapshot(db.session, office),
        texts=bilingual(languages), languages=languages, calendar=calendar_names(languages[0]),
    )
