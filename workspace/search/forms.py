"""The search form: what to look for, and the filters. Read from the query string (GET)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SearchField, SelectField
from wtforms.validators import ValidationError

from workspace import items
from workspace.forms import Form, optional_id, reasonable_date
from workspace.search.queries import Filters


def lenient_id(value: object) -> int | None:
    """A filter's id; anything that is not one filters nothing (never an error page)."""
    try:
        return optional_id(value)
    except (TypeError, ValueError):
        return None


def lenient_kind(value: object) -> str:
    return value if isinstance(value, str) and items.find(value) else ""


def ends_after_start(form: FlaskForm, field: DateField) -> None:
    if field.data and form.since.data and field.data < form.since.data:
        raise ValidationError(_l("The end of the period comes before its start."))


class SearchForm(Form):
    class Meta:
        csrf = False  # a GET form that changes nothing

    q = SearchField(_l("Search for"))
    kind = SelectField(_l("Type"), coerce=lenient_kind, validate_choice=False, name="type")
    project = SelectField(_l("Project"), coerce=lenient_id, validate_choice=False)
    person = SelectField(_l("Person"), coerce=lenient_id, validate_choice=False)
    since = DateField(_l("From"), validators=[reasonable_date], name="from")
    until = DateField(_l("To"), validators=[reasonable_date, ends_after_start], name="to")

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.kind.choices = [("", _l("All types")),
                             *((kind.name, kind.plural) for kind in items.kinds())]

    def filters(self, project_id: int | None = None) -> Filters:
        """The filters chosen (only those valid); `project_id` fixes the project."""
        valid = not self.errors
        return Filters(
            kinds=(self.kind.data,) if self.kind.data else (),
            project_id=project_id or self.project.data,
            author_id=self.person.data,
            since=self.since.data if valid else None,
            until=self.until.data if valid else None,
        )
