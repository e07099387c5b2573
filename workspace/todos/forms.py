from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from workspace.comments.forms import BODY_LIMIT, TOO_LONG
from workspace.forms import Form, optional_id, person_field, reasonable_date
from workspace.projects.forms import strip


class TodoListForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the list a name.")),
            Length(max=120, message=_l("A list name has at most 120 characters.")),
        ],
        filters=[strip],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("A description has at most 2,000 characters."))],
        filters=[strip],
    )
    milestone = SelectField(_l("Milestone"), coerce=optional_id, validate_choice=False)
    private = BooleanField(_l("Private to the team: clients will not see this list"))
    clients_can_complete = BooleanField(_l("Clients may check off to-dos in this list"))


class TodoForm(Form):
    text = StringField(
        _l("To-do"),
        validators=[
            DataRequired(_l("Say what is to be done.")),
            Length(max=500, message=_l("A to-do has at most 500 characters.")),
        ],
        filters=[strip],
    )
    assignee = person_field(_l("Assigned to"))
    due_on = DateField(
        _l("Due date"),
        validators=[reasonable_date],
        render_kw={"type": "date"},
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=BODY_LIMIT, message=TOO_LONG)])

    # "Repeat every …": the RRULE value of the series (workspace/todos/repeats.py).
    repeat = SelectField(_l("Repeat"), default="", choices=[
        ("", _l("Does not repeat")), ("FREQ=DAILY", _l("Every day")),
        ("FREQ=WEEKLY", _l("Every week")), ("FREQ=WEEKLY;INTERVAL=2", _l("Every two weeks")),
        ("FREQ=MONTHLY", _l("Every month")), ("FREQ=YEARLY", _l("Every year")),
    ])

    def validate_repeat(self, field: SelectField) -> None:
        if field.data and self.due_on.data is None and not self.due_on.errors:
            raise ValidationError(_l("A repeating to-do needs a due date: its first one."))
    remind = SelectField(_l("Reminder"), default="", choices=[
        ("", _l("The assignee's default")), ("none", _l("No reminder")),
        ("0d", _l("On the day, at 09:00")), ("1d", _l("The day before")),
        ("2d", _l("Two days before")), ("7d", _l("A week before"))])
