"""The event form: when, where, who, and how it repeats, with every mistake named."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.validators import (
    DataRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
    ValidationError,
)

from workspace.comments.forms import BODY_LIMIT, TOO_LONG
from workspace.forms import Form, database_id, reasonable_date
from workspace.messages.forms import CheckboxesField
from workspace.projects.forms import strip
from workspace.schedule.recurrence import (
    FREQUENCIES,
    RecurrenceError,
    Repeat,
    Timing,
    rule_text,
)

WEEKDAY_NAMES = (_l("Monday"), _l("Tuesday"), _l("Wednesday"), _l("Thursday"), _l("Friday"),
                 _l("Saturday"), _l("Sunday"))


def timezone_name(form: Form, field: StringField) -> None:
    try:
        ZoneInfo(field.data or "")
    except (ZoneInfoNotFoundError, ValueError) as error:
        # A plain string (gettext, not lazy): the page escapes the value typed back.
        raise ValidationError(_("“%(value)s” is not a timezone: use a name such as "
                                "Europe/Paris.", value=(field.data or "")[:64])) from error


def start_date(form: Form, field: DateField) -> None:
    """A real date, required."""
    if not (field.raw_data or [""])[0].strip():
        field.errors[:] = []
        raise StopValidation(_l("Choose the day it starts."))
    reasonable_date(form, field)


RULE_PART = re.compile(r"[A-Z]+=[A-Z0-9,+-]+")


def rule_parts(form: Form, field: StringField) -> None:
    """An RRULE value of NAME=VALUE parts, with a FREQ and without DTSTART (the event's)."""
    parts = (field.data or "").removeprefix("RRULE:").split(";")
    if not all(RULE_PART.fullmatch(part) for part in parts) or not any(
            part.startswith("FREQ=") for part in parts) or any(
            part.startswith(("DTSTART", "BYEASTER")) for part in parts):
        raise ValidationError(_l("Give an RRULE value, such as FREQ=WEEKLY;BYDAY=MO."))


class OccurrenceForm(Form):
    """When one occurrence happens instead, what it is called, where, and its notes."""

    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the event a title.")),
                    Length(max=200, message=_l("A title has at most 200 characters."))],
        filters=[strip],
    )
    place = StringField(_l("Place"), validators=[
        Length(max=200, message=_l("A place has at most 200 characters."))], filters=[strip])
    all_day = BooleanField(_l("All day"))
    starts_on = DateField(_l("Starts on"), validators=[start_date],
                          render_kw={"type": "date"})
    starts_time = TimeField(_l("at"), validators=[Optional()], render_kw={"type": "time"})
    ends_on = DateField(_l("Ends on"), validators=[reasonable_date], render_kw={"type": "date"})
    ends_time = TimeField(_l("at"), validators=[Optional()], render_kw={"type": "time"})
    timezone = StringField(_l("Timezone"), validators=[timezone_name], filters=[strip])
    notes = TextAreaField(_l("Notes"), validators=[Length(max=BODY_LIMIT, message=TOO_LONG)])

    def validate_starts_time(self, field: TimeField) -> None:
        if not self.all_day.data and field.data is None and not field.errors:
            raise ValidationError(_l("Choose the time it starts, or mark it all day."))

    def span(self) -> tuple[datetime, datetime]:
        """The first occurrence's start and end in UTC, from the local days and times."""
        tz = ZoneInfo(self.timezone.data)
        start_day, end_day = self.starts_on.data, self.ends_on.data or self.starts_on.data
        if self.all_day.data:
            return (midnight(start_day, tz), midnight(end_day + timedelta(days=1), tz))
        start = datetime.combine(start_day, self.starts_time.data, tzinfo=tz)
        if self.ends_time.data is None:
            end = start + timedelta(hours=1) if self.ends_on.data is None else datetime.combine(
                end_day, start.timetz())
        else:
            end = datetime.combine(end_day, self.ends_time.data, tzinfo=tz)
        return start.astimezone(UTC), end.astimezone(UTC)

    def check_span(self) -> bool:
        """The end after the start; an error on the end otherwise."""
        start, end = self.span()
        if end <= start:
            self.ends_on.errors = [*self.ends_on.errors,
                                   _l("The event must end after it starts.")]
            return False
        return True

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        return super().validate(extra_validators) and self.check_span()


def midnight(day: date, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, time(), tzinfo=tz).astimezone(UTC)


class EventForm(OccurrenceForm):
    private = BooleanField(_l("Private to the team: clients will not see it"))
    attendees = CheckboxesField(_l("Attending"), coerce=database_id, validate_choice=False)
    repeat = SelectField(_l("Repeats"), choices=[
        ("", _l("Does not repeat")), ("daily", _l("Every day")), ("weekly", _l("Every week")),
        ("monthly", _l("Every month")), ("yearly", _l("Every year"))], default="")
    interval = IntegerField(_l("Every how many days, weeks, months or years"), default=1,
                            validators=[Optional(), NumberRange(
                                min=1, max=99, message=_l("Choose a number from 1 to 99."))])
    weekdays = CheckboxesField(_l("On"), coerce=int, validate_choice=False,
                               choices=list(enumerate(WEEKDAY_NAMES)))
    monthly_by = SelectField(_l("Each month"), choices=[
        ("date", _l("on the same date")), ("weekday", _l("on the same weekday (“second "
                                                          "Tuesday”)"))], default="date")
    ends = SelectField(_l("Until"), choices=[
        ("never", _l("forever")), ("until", _l("a date")), ("count", _l("a number of times"))],
        default="never")
    until = DateField(_l("Last day"), validators=[reasonable_date], render_kw={"type": "date"})
    count = IntegerField(_l("Number of times"), validators=[Optional(), NumberRange(
        min=1, max=1000, message=_l("Choose a number from 1 to 1000."))])

    remind = SelectField(_l("Reminder"), default="", choices=[
        ("", _l("Each person's default")), ("none", _l("No reminder")),
        ("0m", _l("When it starts")), ("15m", _l("15 minutes before")),
        ("1h", _l("1 hour before")), ("0d", _l("On the day, at 09:00")),
        ("1d", _l("The day before")), ("2d", _l("Two days before")),
        ("7d", _l("A week before"))])
    # The API's way to give any rule (RRULE's value); the pages offer the choices above.
    rule = StringField(_l("Rule"), validators=[Optional(), Length(max=300), rule_parts],
                       filters=[strip])

    def repeat_choice(self) -> Repeat:
        if self.repeat.data not in FREQUENCIES:
            return Repeat()
        return Repeat(
            self.repeat.data, self.interval.data or 1,
            tuple(day for day in self.weekdays.data or () if 0 <= day <= 6),
            "weekday" if self.monthly_by.data == "weekday" else "date",
            self.until.data if self.ends.data == "until" else None,
            self.count.data if self.ends.data == "count" else None,
        )

    def timing(self) -> Timing:
        start, end = self.span()
        tz = ZoneInfo(self.timezone.data)
        local = start.astimezone(tz)
        rule = (self.rule.data.removeprefix("RRULE:") if self.rule.data
                else rule_text(self.repeat_choice(), local, all_day=self.all_day.data))
        return Timing(start, end, tz, bool(self.all_day.data), rule)

    def check_rule(self) -> bool:
        if self.ends.data == "until" and self.repeat.data and self.until.data is None:
            self.until.errors = [*self.until.errors, _l("Choose the last day.")]
            return False
        if self.ends.data == "count" and self.repeat.data and self.count.data is None:
            self.count.errors = [*self.count.errors, _l("Say how many times.")]
            return False
        try:
            self.timing().check()
        except RecurrenceError:
            field = self.rule if self.rule.data else self.repeat
            field.errors = [*field.errors, _l(
                "This repetition gives no date, or more than 1,000 a year: choose another.")]
            return False
        return True

    def validate(self, extra_validators=None) -> bool:  # type: ignore[no-untyped-def]
        return super().validate(extra_validators) and self.check_rule()
