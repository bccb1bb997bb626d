"""The kiosk's fixed phrases the speaker button reads (recorded by scripts/make_speech.py)."""
from flask_babel import lazy_gettext as _l

WHAT_FOR = _l("What have you come for?")
DIRECTORY = _l("Directory")
PEOPLE_AHEAD = _l("People ahead")
YOUR_NUMBER = _l("Your number")
WATCH_BOARD = _l("Take your ticket from the printer below. Watch the board: your number will be called to a cabinet.")
# The closed screens' headings, by the opening's reason (as macros.html closed_reason words them).
CLOSED = {
    "lunch": _l("Lunch break"),
    "holiday": _l("Public holiday: the office is closed"),
    "day_off": _l("Day off: the office is closed"),
    "before_opening": _l("The office has not opened yet"),
    "after_closing": _l("The office is closed for today"),
}
PHRASES = [WHAT_FOR, DIRECTORY, PEOPLE_AHEAD, YOUR_NUMBER, WATCH_BOARD, *CLOSED.values()]
