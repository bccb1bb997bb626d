"""The forms of the directory: a visitor's search and an administrator's edit (CSRF and length only)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.validators import Length

# Generous outer limits; the rules in directory.editing check each field properly.
_TEXT = [Length(max=2000)]


class EditEntryForm(FlaskForm):
    """Every editable text field of a directory entry (days and resolved reasons are checkbox lists)."""

    name_kk = StringField(_l("Name in Kazakh"), validators=_TEXT)
    name_ru = StringField(_l("Name in Russian"), validators=_TEXT)
    name_en = StringField(_l("Name in English"), validators=_TEXT)
    head = StringField(_l("Head"), validators=_TEXT)
    settlement = StringField(_l("Settlement"), validators=_TEXT)
    street = StringField(_l("Street"), validators=_TEXT)
    house = StringField(_l("House"), validators=_TEXT)
    floor = StringField(_l("Floor"), validators=_TEXT)
    cabinet = StringField(_l("Cabinet"), validators=_TEXT)
    phones = TextAreaField(_l("Phones, one a line"), validators=_TEXT)
    emails = TextAreaField(_l("E-mail addresses, one a line"), validators=_TEXT)
    web_sites = TextAreaField(_l("Web sites, one a line"), validators=_TEXT)
    hours_opens = StringField(_l("Opens"), validators=[Length(max=20)])
    hours_closes = StringField(_l("Closes"), validators=[Length(max=20)])
    hours_lunch_start = StringField(_l("Lunch from"), validators=[Length(max=20)])
    hours_lunch_end = StringField(_l("Lunch until"), validators=[Length(max=20)])
