"""Administration forms (Flask-WTF, CSRF-protected); the rules in admin.guards/offices/users check meaning."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField, FieldList, Form, FormField, IntegerField, PasswordField, SelectField,
    SelectMultipleField, StringField, TextAreaField, TimeField,
)
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import CheckboxInput, ListWidget
from flask_wtf import FlaskForm

from kezek.inputs import DayField

REQUIRED = _l("Fill this in.")
NUMBER = _l("Enter a whole number.")


def required(maximum: int = 300):
    """Validators of a required text field of at most `maximum` characters."""
    return [DataRequired(REQUIRED), Length(max=maximum, message=_l("Too long."))]


def optional(maximum: int = 300):
    """Validators of an optional text field of at most `maximum` characters."""
    return [Optional(), Length(max=maximum, message=_l("Too long."))]


def minutes():
    """Validators of a number of minutes (the rules check the range and explain it)."""
    return [InputRequired(NUMBER), NumberRange(min=-10**6, max=10**6, message=NUMBER)]


def options(pairs) -> list[SelectChoice]:
    """Select choices from (value, label) pairs."""
    return [SelectChoice(value, label) for value, label in pairs]


class MultiCheckboxField(SelectMultipleField):
    """Several choices as checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class NamesForm(FlaskForm):
    """Names in Kazakh, Russian and English."""

    name_kk = StringField(_l("Name in Kazakh"), validators=required())
    name_ru = StringField(_l("Name in Russian"), validators=required())
    name_en = StringField(_l("Name in English"), validators=required())


class OfficeForm(NamesForm):
    """An office's names and how its queue works."""

    slug = StringField(_l("Short name in addresses (Latin letters, digits, hyphens)"), validators=required(40))
    district = StringField(_l("District (as in the directory)"), validators=optional(40))
    call_policy = SelectField(_l("Who is called next"), choices=options([
        ("deadline", _l("First come, first served, but a visitor about to pass their wait limit goes first")),
        ("balanced", _l("As above, but the first in line is not passed once they have waited longer than the "
                        "queue's pace")),
        ("fifo", _l("Strictly first come, first served")),
    ]))
    recalls_before_no_show = IntegerField(_l("Recalls before a no-show"), default=1, validators=minutes())
    observes_public_holidays = BooleanField(_l("Closed on Kazakhstan's public holidays"), default=True)
    enabled = BooleanField(_l("Enabled (kiosk, board and console work)"), default=True)


class ServiceForm(NamesForm):
    """A service of the standards."""

    code = StringField(_l("Code (Latin letters, digits, underscores)"), validators=required(40))
    service_term_days = IntegerField(_l("Service term, days"), validators=minutes())


class VisitKindForm(NamesForm):
    """Handing in or collecting for a service, with its wait limit, prefix and documents."""

    kind = SelectField(_l("Kind of visit"), choices=options([
        ("hand_in", _l("Hand in documents")), ("collect", _l("Collect the result"))]))
    prefix = StringField(_l("Ticket prefix (1-3 Latin capitals)"), validators=required(3))
    wait_limit_minutes = IntegerField(_l("Longest wait allowed, minutes"), validators=minutes())
    default_service_minutes = IntegerField(_l("Usual time at the cabinet, minutes"), validators=minutes())
    documents_kk = TextAreaField(_l("Documents to bring, in Kazakh (one a line)"), validators=optional(4000))
    documents_ru = TextAreaField(_l("Documents to bring, in Russian (one a line)"), validators=optional(4000))
    documents_en = TextAreaField(_l("Documents to bring, in English (one a line)"), validators=optional(4000))
    accepting = BooleanField(_l("Open for new tickets"), default=True)


class CabinetForm(FlaskForm):
    """A cabinet, the visit kinds it serves, and whether it is in use."""

    number = StringField(_l("Cabinet number"), validators=required(20))
    visit_kinds = MultiCheckboxField(_l("Visits it serves"), coerce=int)
    active = BooleanField(_l("In use"), default=True)


class KioskForm(FlaskForm):
    """A kiosk and the printer attached to it."""

    slug = StringField(_l("Short name (Latin letters, digits, hyphens)"), validators=required(40))
    name = StringField(_l("Name"), validators=required(100))
    printer_url = StringField(_l("Printer address"), validators=optional(300), description=_l(
        "tcp://192.168.1.50:9100, usb://04b8:0202, serial:///dev/ttyUSB0, cups://queue, agent:// "
        "(a print agent on the kiosk PC); empty: the installation's default printer."))
    printer_profile = StringField(_l("Printer model (python-escpos profile)"), default="TM-T20II",
                                  validators=required(40))
    paper_width_mm = SelectField(_l("Paper width"), coerce=int, default=80,
                                 choices=options([(80, _l("80 mm")), (58, _l("58 mm"))]))
    active = BooleanField(_l("In use"), default=True)


class DayHoursForm(Form):
    """One weekday's receiving hours."""

    open = BooleanField(_l("Receives visitors"))
    opens = TimeField(_l("Opens"), validators=[Optional()])
    closes = TimeField(_l("Closes"), validators=[Optional()])
    lunch_start = TimeField(_l("Lunch from"), validators=[Optional()])
    lunch_end = TimeField(_l("Lunch until"), validators=[Optional()])


class WeekForm(FlaskForm):
    """The seven weekdays' hours."""

    days = FieldList(FormField(DayHoursForm), min_entries=7, max_entries=7)


class CalendarDayForm(FlaskForm):
    """An exception for one date."""

    day = DayField(_l("Date"), validators=[InputRequired(_l("Pick a date."))])
    closed = BooleanField(_l("Closed all day"), default=True)
    opens = TimeField(_l("Opens"), validators=[Optional()])
    closes = TimeField(_l("Closes"), validators=[Optional()])
    note = StringField(_l("Note (e.g. a moved working day)"), validators=optional(200))


class UserForm(FlaskForm):
    """A member of staff: name, role, office, whether they may sign in."""

    username = StringField(_l("Username"), validators=required(80))
    display_name = StringField(_l("Full name"), validators=optional(120))
    role = SelectField(_l("Role"))
    office_id = SelectField(_l("Office"), coerce=lambda value: int(value) if value not in ("", None, "None") else None)
    active = BooleanField(_l("May sign in"), default=True)
    password = PasswordField(_l("Password (at least 8 characters)"), validators=optional(200))


class PasswordForm(FlaskForm):
    """A new password for a member of staff."""

    password = PasswordField(_l("New password (at least 8 characters)"), validators=required(200))


class SetupForm(FlaskForm):
    """The first administrator and the offices to enable."""

    username = StringField(_l("Username"), validators=required(80))
    display_name = StringField(_l("Full name"), validators=optional(120))
    password = PasswordField(_l("Password (at least 8 characters)"), validators=required(200))
    offices = MultiCheckboxField(_l("Offices to enable"))


class ButtonForm(FlaskForm):
    """A button that changes something (delete, print a test page): only its CSRF token."""
