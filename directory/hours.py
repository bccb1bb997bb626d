"""Read the seed's opening and reception hours ("сағат 9-00 ден 18-00 ге дейін, түскі үзіліс ...")."""

from __future__ import annotations

import re

from directory.records import Hours

WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_WORDS = {
    "дүйсенбі": "mon",
    "сейсенбі": "tue",
    "сәрсенбі": "wed",
    "бейсенбі": "thu",
    "жұма": "fri",
    "сенбі": "sat",
    "жексенбі": "sun",
}
_TIME = re.compile(r"(?<![0-9])([0-9]{1,2})[-:.]([0-9]{2})(?![0-9])")


def _weekdays(text: str) -> tuple[str, ...]:
    lowered = text.lower()
    if "сенбі және жексенбіні қоспағанда" in lowered:
        return WEEK[:5]
    words = re.findall(r"[^\W\d_]+", lowered)
    named = {_DAY_WORDS[w] for w in words if w in _DAY_WORDS}
    if named:
        return tuple(d for d in WEEK if d in named)
    if "күн сайын" in lowered:
        return WEEK
    return ()


def _hhmm(match: re.Match) -> str:
    return f"{int(match.group(1)):02d}:{match.group(2)}"


def parse_hours(text: str) -> Hours | None:
    """Return the hours a text states (days, open, close, lunch), or None when it states no times."""
    head, _, lunch = (text or "").partition("үзіліс")
    times = list(_TIME.finditer(head))
    if len(times) < 2:
        return None
    lunch_times = list(_TIME.finditer(lunch))
    start, end = (_hhmm(lunch_times[0]), _hhmm(lunch_times[1])) if len(lunch_times) >= 2 else (None, None)
    return Hours(_weekdays(head), _hhmm(times[0]), _hhmm(times[1]), start, end, text.strip())
