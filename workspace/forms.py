"""Form pieces shared by several domains: the base of every form, dates that can be typed
wrong, people of a project, files that may be empty."""

from __future__ import annotations

import re
from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from markupsafe import Markup
from werkzeug.datastructures import FileStorage
from wtforms import DateField, Field, SelectField, StringField
from wtforms.validators import StopValidation, ValidationError

from workspace.i18n import viewer_today
from workspace.types import MAX_ID

DATE_RANGE_YEARS = 50


def without_nul(value: object) -> object:
    """Text as typed, less any NUL character: no reader wants one, and PostgreSQL cannot
    store it (SQLite would, so both databases keep the same text)."""
    return value.replace("\x00", "") if isinstance(value, str) else value


class Form(FlaskForm):
    """Every form of the site (with Flask-WTF's CSRF protection)."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form: FlaskForm, unbound_field, options):  # type: ignore[no-untyped-def]
            if issubclass(unbound_field.field_class, StringField):  # text, search, email…
                options["filters"] = (without_nul, *unbound_field.kwargs.get("filters", ()))
            return super().bind_field(form, unbound_field, options)


def database_id(value: object) -> int:
    """An id typed or sent by someone: a number that an id column can hold."""
    number = int(value)  # type: ignore[call-overload]
    if not 0 < number <= MAX_ID:
        raise ValueError(f"{number} is not an id")
    return number


def optional_id(value: object) -> int | None:
    return database_id(value) if value not in (None, "", "None") else None


def years_from(day: date, years: int) -> date:
    """The same day `years` later (or earlier); 29 February falls back to the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def reasonable_date(form: FlaskForm, field: DateField) -> None:
    """A real date within 50 years of the viewer's today either way, if one was typed:
    anything further is a typing mistake (year 226, 20266…)."""
    typed = (field.raw_data or [""])[0].strip()
    if not typed:  # no date: fine here (see due_date), and not an error to report
        field.errors[:] = []
        raise StopValidation()
    if field.data is None:
        field.errors[:] = []
        raise StopValidation(
            _l("“%(value)s” is not a date: use YYYY-MM-DD, for example 2026-12-31.",
               value=typed[:20])
        )
    today = viewer_today()
    if not (years_from(today, -DATE_RANGE_YEARS) <= field.data
            <= years_from(today, DATE_RANGE_YEARS)):
        raise ValidationError(_l("Choose a date within 50 years of today."))


def due_date(form: FlaskForm, field: DateField) -> None:
    """Like `reasonable_date`, and required."""
    if not (field.raw_data or [""])[0].strip():
        field.errors[:] = []
        raise StopValidation(_l("Choose the due date."))
    reasonable_date(form, field)


def person_of_project(form: FlaskForm, field: SelectField) -> None:
    """Only someone offered in the list (the project's people, or nobody)."""
    typed = (field.raw_data or [""])[0]
    if typed not in {str(value) for value, _label in field.choices or []}:
        field.errors[:] = []
        raise StopValidation(_l("Choose someone of this project, or nobody."))


def person_field(label: str) -> SelectField:
    return SelectField(label, coerce=optional_id, validate_choice=False,
                       validators=[person_of_project])


def is_empty(upload: FileStorage) -> bool:
    """Whether a chosen file has no content at all (0 bytes), leaving it readable."""
    start = upload.stream.tell()
    empty = not upload.stream.read(1)
    upload.stream.seek(start)
    return empty


def no_empty_files(form: FlaskForm, field: Field) -> None:
    """Refuse a chosen file of 0 bytes: nearly always a mistake (a file still being written,
    a broken sync), and storing it would say "uploaded" for nothing."""
    uploads = field.data if isinstance(field.data, list) else [field.data]
    empty = [u.filename for u in uploads
             if isinstance(u, FileStorage) and u.filename and is_empty(u)]
    if empty:
        raise StopValidation(_l("“%(names)s” is empty (0 bytes): nothing was uploaded. "
                                "Choose a file that has content.", names=", ".join(empty)))


def attachments_field() -> MultipleFileField:
    """Files attached to a message or a comment: none, or some with content."""
    return MultipleFileField(_l("Attach files"), validators=[no_empty_files])


# Whole attribute names only: not `data-id` nor `data-for`, which may hold anything.
ID_ATTRIBUTES = re.compile(r'(?<![\w-])(id|for|aria-describedby|aria-labelledby)="([^"]*)"')


def replace_id_prefix(fields: Markup, old: str, new: str) -> Markup:
    """Fields rendered once, their ids starting with `old`, for a copy of their form with ids
    starting with `new`: a page of many lists renders the "add a to-do" fields once. Only ids
    and the attributes that point at ids change; a quote cannot occur in escaped text, so
    names and values are safe."""

    def renamed(match: re.Match[str]) -> str:
        ids = [new + token[len(old):] if token.startswith(old) else token
               for token in match[2].split()]
        return f'{match[1]}="{" ".join(ids)}"'

    return Markup(ID_ATTRIBUTES.sub(renamed, str(fields)))


BETWEEN_TAGS = re.compile(r">\s+<")


def squeeze_whitespace(html: Markup) -> Markup:
    """Markup with each run of whitespace between two tags made one line break: fields that a
    page copies many times (the "add a to-do" fields of each list) without the blank lines
    and indentation of their macros. Text and attribute values do not change."""
    return Markup(BETWEEN_TAGS.sub(">\n<", str(html)))
