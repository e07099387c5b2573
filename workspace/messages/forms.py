from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length
from wtforms.widgets import CheckboxInput, ListWidget

from workspace.comments.forms import body_field
from workspace.forms import Form, attachments_field, database_id
from workspace.projects.forms import strip


class CheckboxesField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class MessageForm(Form):
    title = StringField(
        _l("Title"),
        validators=[
            DataRequired(_l("Give the message a title.")),
            Length(max=200, message=_l("A title has at most 200 characters.")),
        ],
        filters=[strip],
    )
    body = body_field(_l("Message"), _l("Write the message."))
    private = BooleanField(_l("Private to the team: clients will not see it"))
    attachments = attachments_field()
    notify = CheckboxesField(_l("Notify"), coerce=database_id, validate_choice=False)
