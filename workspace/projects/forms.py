from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange

from workspace.auth.forms import email_field
from workspace.forms import Form
from workspace.i18n import timezone_names
from workspace.projects.models import Role


def strip(value: str | None) -> str | None:
    return value.strip() if value else value


ROLE_CHOICES = [
    (Role.MEMBER.value, _l("Member: the team, creates and edits content")),
    (Role.CLIENT.value, _l("Client: a guest, reads and comments on what is not private")),
    (Role.OWNER.value, _l("Owner: manages people, settings and archiving")),
]


class ProjectForm(Form):
    name = StringField(
        _l("Name"),
        validators=[
            DataRequired(_l("Give the project a name.")),
            Length(max=120, message=_l("A project name has at most 120 characters.")),
        ],
        filters=[strip],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("A description has at most 2,000 characters."))],
        filters=[strip],
    )


class InviteForm(Form):
    email = email_field(_l("Their email address"))
    role = SelectField(_l("Role"), choices=ROLE_CHOICES, default=Role.MEMBER.value)


class RoleForm(Form):
    role = SelectField(_l("Role"), choices=[(role.value, role.value) for role in Role])


class DeleteProjectForm(Form):
    confirmation = StringField(
        _l("Type the project's name to confirm"),
        validators=[DataRequired(_l("Type the project's name to confirm."))],
    )


class AlertSettingsForm(Form):
    timezone = SelectField(_l("The project's timezone"))
    alert_days_before = IntegerField(
        _l("Remind this many days before a milestone is due (0: no reminder)"),
        validators=[InputRequired(_l("Give a number of days.")),
                    NumberRange(min=0, max=60, message=_l("Between 0 and 60 days."))],
    )
    alert_on_the_day = BooleanField(_l("Remind on the day it is due"))
    alert_when_late = BooleanField(_l("Warn when it becomes late"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [(name, name) for name in timezone_names()]
