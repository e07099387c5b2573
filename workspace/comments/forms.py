from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import TextAreaField
from wtforms.validators import DataRequired, Length

from workspace.forms import Form, attachments_field

BODY_LIMIT = 50_000
TOO_LONG = _l("This text is too long (50,000 characters at most).")


def body_field(label: str, required_message: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            DataRequired(required_message),
            Length(max=BODY_LIMIT, message=TOO_LONG),
        ],
    )


class CommentForm(Form):
    body = body_field(_l("Comment"), _l("Write a comment."))
    attachments = attachments_field()
