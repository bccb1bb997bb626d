"""Forms of the reports: filters (GET, no CSRF), annex 2 entries, decision dates and feedback taps."""
from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import FloatField, HiddenField, IntegerField, StringField
from wtforms.validators import (
    AnyOf, DataRequired, InputRequired, Length, NumberRange, Optional, Regexp, ValidationError,
)

from kezek.inputs import DayField

from kezek.reports.feedback import QUESTIONS
from kezek.reports.log import OUTCOMES, decode_cursor

ID = [Optional(), NumberRange(min=1, max=2**31 - 1)]


class FilterForm(FlaskForm):
    """The date range, office and other filters of the compliance page and the log."""

    class Meta:
        csrf = False

    start = DayField(validators=[Optional()])
    end = DayField(validators=[Optional()])
    office = IntegerField(validators=ID)
    service = IntegerField(validators=ID)
    visit_kind = IntegerField(validators=ID)
    clerk = IntegerField(validators=ID)
    outcome = StringField(validators=[Optional(), AnyOf(OUTCOMES)])
    after = StringField(validators=[Optional(), Length(max=40), Regexp(r"^\d{1,20}\.\d{1,12}$")])

    def validate_after(self, field) -> None:
        """The log's cursor must name a moment and a ticket that can exist."""
        if field.data:
            try:
                decode_cursor(field.data)
            except ValueError as error:
                raise ValidationError(str(error)) from error


class Annex2FilterForm(FlaskForm):
    """Which service, year and office (none: the region) the annex 2 table is for."""

    class Meta:
        csrf = False

    service = IntegerField(validators=ID)
    year = IntegerField(validators=[Optional(), NumberRange(min=2000, max=2100)])
    office = IntegerField(validators=ID)


class Annex2EntryForm(FlaskForm):
    """A manager's normative value, target and current value of one indicator."""

    indicator = StringField(validators=[DataRequired(), Length(max=8)])
    normative = FloatField(validators=[Optional(), NumberRange(min=0, max=100)])
    target = FloatField(validators=[Optional(), NumberRange(min=0, max=100)])
    value = FloatField(validators=[Optional(), NumberRange(min=0, max=100)])


class DecisionForm(FlaskForm):
    """The decision date of one served hand-in."""

    ticket_id = IntegerField(validators=[DataRequired(), NumberRange(min=1, max=2**31 - 1)])
    decided_on = DayField(validators=[DataRequired()])


class FeedbackForm(FlaskForm):
    """One tap: a question and yes or no."""

    question = StringField(validators=[DataRequired(), AnyOf(QUESTIONS)])
    answer = StringField(validators=[DataRequired(), AnyOf(("yes", "no"))])
    ticket_id = HiddenField(validators=[Optional(), Regexp(r"^\d{1,12}$")])


class AlertSettingsForm(FlaskForm):
    """An office's alert thresholds (kezek.alerts.rules.Thresholds)."""

    near_share = IntegerField(validators=[InputRequired(), NumberRange(min=50, max=99)])
    queue_length = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=500)])
    pause_grace_minutes = IntegerField(validators=[InputRequired(), NumberRange(min=0, max=120)])
    repeat_minutes = IntegerField(validators=[InputRequired(), NumberRange(min=1, max=60)])


class PlanTargetForm(FlaskForm):
    """An office's own target share for its staffing plans, in whole percent."""

    target = IntegerField(validators=[InputRequired(), NumberRange(min=50, max=99)])
