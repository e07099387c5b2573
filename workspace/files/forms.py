from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired, MultipleFileField
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from workspace.forms import Form, no_empty_files
from workspace.projects.forms import strip


class UploadForm(Form):
    files = MultipleFileField(_l("Files"), validators=[no_empty_files])
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("A description has at most 2,000 characters."))],
        filters=[strip],
    )
    private = BooleanField(_l("Private to the team: clients will not see these files"))

    def validate_files(self, field: MultipleFileField) -> None:
        if not [upload for upload in field.data or [] if upload and upload.filename]:
            raise ValidationError(_l("Choose at least one file."))


class VersionForm(Form):
    file = FileField(_l("New version"), validators=[FileRequired(_l("Choose a file.")),
                                                          no_empty_files])


class FileEditForm(Form):
    name = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Give the file a name.")),
                    Length(max=255, message=_l("A file name has at most 255 characters."))],
        filters=[strip],
    )
    description = TextAreaField(
        _l("Description"),
        validators=[Length(max=2000, message=_l("A description has at most 2,000 characters."))],
        filters=[strip],
    )
    private = BooleanField(_l("Private to the team: clients will not see this file"))
