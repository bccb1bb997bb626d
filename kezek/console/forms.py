"""Forms of the clerk console: one command form for every action."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, HiddenField, IntegerField, StringField
from wtforms.validators import AnyOf, Length, NumberRange, Optional, Regexp


class CommandForm(FlaskForm):
    """A clerk's command: which ticket, an id that makes a retry act once, transfer targets, a typed number,
    a cancellation's reason and an outcome note."""

    command_id = HiddenField(validators=[Optional(), Length(max=64), Regexp(r"^[A-Za-z0-9_-]*$")])
    ticket_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    visit_kind_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    to_cabinet_id = IntegerField(validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    documents_correct = BooleanField(validators=[Optional()])
    # a pause: why (its usual length follows) or a length in minutes the clerk typed
    pause = StringField(validators=[Optional(), AnyOf(["break", "lunch", "other"])])
    pause_minutes = IntegerField(validators=[Optional(), NumberRange(min=1, max=240)])
    number = StringField(validators=[Optional(), Length(max=16)])
    reason = StringField(validators=[Optional(), Length(max=16)])
    note = StringField(validators=[Optional(), Length(max=400)])
    then = StringField(validators=[Optional(), AnyOf(["", "next"])])
