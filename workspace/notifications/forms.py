"""The delivery schedule form: the settings page and the API (/api/v1/me/delivery) read it."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateTimeLocalField,
    IntegerField,
    RadioField,
    SelectMultipleField,
    StringField,
)
from wtforms.validators import InputRequired, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from workspace.forms import Form
from workspace.i18n import timezone_names
from workspace.notifications.models import AT_ONCE, DAILY, HOURLY

WEEKDAYS = [("1", _l("Monday")), ("2", _l("Tuesday")), ("3", _l("Wednesday")),
            ("4", _l("Thursday")), ("5", _l("Friday")), ("6", _l("Saturday")),
            ("7", _l("Sunday"))]


class HourField(IntegerField):
    """An hour of the day as a whole number, refused with words people understand."""

    def __init__(self, label: str, *, highest: int, **kwargs: object) -> None:
        self.highest = highest
        super().__init__(label, **kwargs)

    def process_formdata(self, valuelist: list[str]) -> None:
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(self.out_of_range()) from None

    def out_of_range(self) -> str:
        return str(_l("Give an hour from 0 to %(highest)d.", highest=self.highest))

    def pre_validate(self, form: Form) -> None:
        if self.data is not None and not 0 <= self.data <= self.highest:
            raise ValidationError(self.out_of_range())


class DeliveryForm(Form):
    schedule = RadioField(_l("When should emails leave?"), default=AT_ONCE, choices=[
        (AT_ONCE, _l("At once")), (HOURLY, _l("In one bundle an hour at most")),
        (DAILY, _l("In one daily recap"))],
        validators=[InputRequired(_l("Choose when your emails leave."))])
    recap_hour = HourField(_l("Hour of the daily recap"), highest=23, default=17,
                           validators=[InputRequired(_l("Give an hour from 0 to 23."))])
    timezone = StringField(_l("Timezone"), validators=[InputRequired(_l("Give a timezone."))])
    work_days = SelectMultipleField(_l("Working days"), choices=WEEKDAYS,
                                    widget=ListWidget(prefix_label=False),
                                    option_widget=CheckboxInput())
    work_start = HourField(_l("Working hours start at"), highest=23, validators=[Optional()])
    work_end = HourField(_l("and end at"), highest=24, validators=[Optional()])
    snoozed_until = DateTimeLocalField(_l("Snooze until"), format="%Y-%m-%dT%H:%M",
                                       validators=[Optional()])

    def validate_timezone(self, field: StringField) -> None:
        if field.data not in timezone_names():
            # A plain string, escaped where shown: a lazy one counts as safe HTML, and it
            # carries what was typed.
            raise ValidationError(gettext(
                "There is no timezone called “%(name)s”: give one such as Europe/Paris or "
                "America/New_York.", name=field.data))

    def validate_work_end(self, field: HourField) -> None:
        start, end = self.work_start.data, field.data
        if (start is None) != (end is None):
            raise ValidationError(_l("Give both the start and the end of your working hours, "
                                     "or neither."))
        if start is not None and end <= start:
            raise ValidationError(_l("Your working hours must end after they start."))

    def snooze_in_utc(self) -> datetime | None:
        """The snooze's end, typed in the person's timezone, in UTC."""
        local = self.snoozed_until.data
        if local is None:
            return None
        return local.replace(tzinfo=ZoneInfo(self.timezone.data)).astimezone(UTC)
