from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from workspace.forms import Form, optional_id
from workspace.projects.forms import strip


class FolderForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the folder a name.")),
                    Length(max=255, message=_l("A folder name has at most 255 characters."))],
        filters=[strip],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("A description has at most 2,000 characters."))],
        filters=[strip],
    )
    private = BooleanField(_l("Private to the team: clients will not see it nor what it holds"))


class MoveForm(Form):
    """Where to put a folder, a document or a file: a folder of the project, or the top."""

    folder_id = SelectField(_l("Move to"), coerce=optional_id, validate_choice=False)
