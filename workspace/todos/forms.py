from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from workspace.comments.forms import BODY_LIMIT, TOO_LONG
from workspace.projects.forms import strip

DATE_RANGE_YEARS = 50


def reasonable_date(form: FlaskForm, field: DateField) -> None:
    """Refuse dates that can only be typing mistakes (year 226, 20266…)."""
    if field.data is None:
        return
    today = date.today()
    if abs(field.data.year - today.year) > DATE_RANGE_YEARS:
        raise ValidationError(_l("Choose a date within 50 years of today."))


def optional_id(value: object) -> int | None:
    return int(value) if value not in (None, "", "None") else None


def person_field(label: str) -> SelectField:
    return SelectField(label, coerce=optional_id, validate_choice=False)


class TodoListForm(FlaskForm):
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


class TodoForm(FlaskForm):
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
        validators=[Optional(), reasonable_date],
        render_kw={"type": "date"},
    )
    notes = TextAreaField(_l("Notes"), validators=[Length(max=BODY_LIMIT, message=TOO_LONG)])
