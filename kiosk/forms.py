"""The one form a kiosk posts: take a ticket of a visit kind."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField
from wtforms.validators import AnyOf, DataRequired, Length, NumberRange, Regexp


class TakeTicketForm(FlaskForm):
    """A visitor's tap on a visit kind button.

    The app-wide CSRF protection checks the form's token before the view runs; the form does not
    make and check its own again (a fifth of a millisecond per ticket under a rush).
    """

    class Meta:
        csrf = False

    # No field is shown with a label (the visit kinds are buttons, the rest hidden): an empty label spares each
    # tap three catalogue lookups for WTForms' default ones.
    visit_kind = IntegerField("", validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])
    lang = HiddenField("", validators=[AnyOf(("kk", "ru", "en"))])
    kiosk = HiddenField("", validators=[Length(max=40), Regexp(r"^[a-z0-9_-]*$")])
