"""Bounds on what a URL may carry: database ids that fit their columns, dates a report can compute with."""
from __future__ import annotations

from datetime import date

from flask import Flask, abort, request
from flask_babel import lazy_gettext as _l
from werkzeug.routing import IntegerConverter
from wtforms import DateField
from wtforms.validators import ValidationError

# The largest id a database row can have: ids are INTEGER columns, 32-bit signed on PostgreSQL (which refuses
# to compare a larger number with them, aborting the transaction) and SQLite cannot even bind beyond 64 bits.
LARGEST_ID = 2**31 - 1
# Report ranges, decision dates and holidays stay within these: a day before 1900 or after 2199 is a typo
# or an attack, and at 0001-01-01 or 9999-12-31 the local-time and next-day arithmetic overflows.
EARLIEST_DAY = date(1900, 1, 1)
LATEST_DAY = date(2199, 12, 31)


class DatabaseIdConverter(IntegerConverter):
    """`<int:...>` in every route: a positive integer that fits an id column, anything larger is a 404."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002 (werkzeug's names)
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=LARGEST_ID if max is None else max,
                         signed=signed)


def init_app(app: Flask) -> None:
    """Make `<int:...>` route variables bounded to what an id column holds (before any blueprint adds routes),
    and refuse text no column can hold before any view reads it."""
    app.url_map.converters["int"] = DatabaseIdConverter
    app.before_request(refuse_nul_bytes)


# Query parameters never stored nor compared with a column: the sign-in's destination is checked by
# kezek.auth.redirects, which drops control characters and falls back to the start page.
_NOT_QUERIED = frozenset({"next"})


def refuse_nul_bytes() -> None:
    """400 for a NUL byte in a query parameter, before any page reads it: no text column can hold one, and
    PostgreSQL refuses it mid-query, which in a streamed export would cut the file short after a 200.
    (Forms and JSON bodies are read by their views, whose forms and error handler refuse such a value.)"""
    args = request.args
    if any("\x00" in key or any("\x00" in value for value in args.getlist(key))
           for key in args if key not in _NOT_QUERIED):
        abort(400)


def has_control_characters(text: str) -> bool:
    """Whether `text` holds a control character (NUL, newline, escape...): never part of a path or a version."""
    return any(ord(char) < 32 or ord(char) == 127 for char in text)


def is_database_id(value: int | None) -> bool:
    """Whether `value` can be the id of a row."""
    return value is not None and 0 < value <= LARGEST_ID


def query_id(name: str) -> int | None:
    """The row id in query parameter `name`: None when absent or empty, 400 when it cannot be an id."""
    text = request.args.get(name, "")
    if not text:
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 20 and is_database_id(int(text))):
        abort(400)
    return int(text)


def day_in_range(form, field) -> None:
    """WTForms validator: the date lies between EARLIEST_DAY and LATEST_DAY."""
    if field.data is not None and not EARLIEST_DAY <= field.data <= LATEST_DAY:
        raise ValidationError(_l("Pick a date between %(first)s and %(last)s.", first=EARLIEST_DAY.isoformat(),
                                 last=LATEST_DAY.isoformat()))


class DayField(DateField):
    """A date field that refuses days outside the range the application computes with."""

    def __init__(self, label=None, validators=None, **kwargs):
        super().__init__(label, [*(validators or []), day_in_range], **kwargs)
