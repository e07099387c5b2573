from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

from workspace.documents.operations import BODY_LIMIT_BYTES
from workspace.forms import Form, attachments_field, database_id
from workspace.projects.forms import strip

TOO_LONG = _l("A document has at most 5 MB of text. Nothing was saved.")


def at_most_five_megabytes(form: Form, field: TextAreaField) -> None:
    if len((field.data or "").encode()) > BODY_LIMIT_BYTES:
        raise ValidationError(TOO_LONG)


class DocumentForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the document a title.")),
                    Length(max=200, message=_l("A title has at most 200 characters."))],
        filters=[strip],
    )
    body = TextAreaField(_l("Text"), validators=[at_most_five_megabytes])
    note = StringField(
        _l("What changed (optional)"),
        validators=[Length(max=200, message=_l("A note has at most 200 characters."))],
        filters=[strip],
    )
    private = BooleanField(_l("Private to the team: clients will not see it"))
    attachments = attachments_field()


class EditDocumentForm(DocumentForm):
    # The version the form was opened on: a save on an older one is a conflict.
    base = HiddenField(validators=[DataRequired()])

    def validate_base(self, field: HiddenField) -> None:
        try:
            field.data = database_id(field.data)
        except (TypeError, ValueError):
            raise ValidationError(_l("Reload the document and edit it again.")) from None
