from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import DateField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length

from workspace.comments.forms import BODY_LIMIT, TOO_LONG
from workspace.forms import Form, due_date, person_field
from workspace.projects.forms import strip


class MilestoneForm(Form):
    title = StringField(
        _l("Title"),
        validators=[DataRequired(_l("Give the milestone a title.")),
                    Length(max=200, message=_l("A title has at most 200 characters."))],
        filters=[strip],
    )
    due_on = DateField(_l("Due date"), validators=[due_date], render_kw={"type": "date"})
    responsible = person_field(_l("Responsible"))
    notes = TextAreaField(_l("Notes"), validators=[Length(max=BODY_LIMIT, message=TOO_LONG)])

