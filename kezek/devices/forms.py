"""Forms of the device pages: adding a board or tablet, the open web kiosk setting, voiding a burst."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateTimeLocalField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from kezek.admin.forms import options


class AddDeviceForm(FlaskForm):
    """A new hall board or cabinet feedback tablet of the office."""

    kind = SelectField(_l("Device"), choices=options([("board", _l("Hall board (TV)")), ("tablet", _l("Feedback tablet"))]))
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=100)])
    cabinet = SelectField(_l("Cabinet (for a feedback tablet)"), choices=[], validate_choice=False)


class OpenKioskForm(FlaskForm):
    """The office's open web kiosk setting."""

    open_web_kiosk = BooleanField(_l("Open web kiosk: any browser may issue tickets here, under its own strict limit"))


class VoidForm(FlaskForm):
    """Which tickets nobody took to void: the device that issued them and the time window."""

    source = SelectField(_l("Issued by"), choices=[], validate_choice=False)
    start = DateTimeLocalField(_l("From"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
    end = DateTimeLocalField(_l("To"), validators=[DataRequired()], format="%Y-%m-%dT%H:%M")
