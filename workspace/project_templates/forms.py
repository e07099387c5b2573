"""The forms of the template pages; the API reads the same ones."""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, DateField, RadioField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, StopValidation

from workspace.forms import Form, database_id, due_date, optional_id
from workspace.messages.forms import CheckboxesField
from workspace.project_templates.capture import Keep
from workspace.projects.forms import strip


def name_field() -> StringField:
    return StringField(_l("Name"), validators=[
        DataRequired(_l("Give the template a name.")),
        Length(max=120, message=_l("A name has at most 120 characters."))], filters=[strip])


def description_field() -> TextAreaField:
    return TextAreaField(_l("Description"), filters=[strip], validators=[
        Length(max=2000, message=_l("A description has at most 2,000 characters."))])


def comments_field() -> BooleanField:
    return BooleanField(_l("Comments on what is kept, written again by their roles' people "
                           "(without notifying anyone)"))


class Labelled:
    """A save form's role names, one field per person of the project (label_0, label_1…,
    added by `with_labels`), their names unless changed ("Designer")."""

    labelled: tuple[tuple[int, str], ...] = ()

    def role_labels(self) -> tuple[tuple[int, str], ...]:
        return tuple((user_id, getattr(self, f"label_{index}").data or name)
                     for index, (user_id, name) in enumerate(self.labelled))


def with_labels(form_class: type[Form], people: list[tuple[int, str]],
                **kwargs: object) -> Form:
    # gettext, not a lazy string: a lazy string passes for safe HTML (__html__), and the name
    # is the person's own text.
    fields = {f"label_{index}": StringField(
        gettext("Role of %(name)s", name=name), default=name, filters=[strip],
        validators=[Length(max=120, message=_l("A role name has at most 120 characters."))])
        for index, (_user_id, name) in enumerate(people)}
    form = type(form_class.__name__, (form_class,), {**fields, "labelled": tuple(people)})
    return form(**kwargs)


class SaveTemplateForm(Labelled, Form):
    name = name_field()
    description = description_field()
    lists = BooleanField(_l("To-do lists and their to-dos, due dates made relative"),
                         default=True)
    milestones = BooleanField(_l("Milestones, dates made relative"), default=True)
    documents = BooleanField(_l("Documents and folders"), default=True)
    messages = CheckboxesField(_l("Messages to keep"), coerce=database_id,
                               validate_choice=False)
    people = BooleanField(_l("People and their roles, as roles to give at creation"))
    private = BooleanField(_l("Private items, still private (otherwise they are left out)"))
    settings = BooleanField(_l("Alert settings and timezone"), default=True)
    completed = BooleanField(_l("Completed to-dos and milestones (they come back open)"))
    comments = comments_field()

    def keep(self) -> Keep:
        return Keep(lists=self.lists.data, milestones=self.milestones.data,
                    documents=self.documents.data, message_ids=tuple(self.messages.data or ()),
                    people=self.people.data, private=self.private.data,
                    settings=self.settings.data, completed=self.completed.data,
                    comments=self.comments.data, role_labels=self.role_labels())


class SaveListTemplateForm(Labelled, Form):
    name = name_field()
    description = description_field()
    people = BooleanField(_l("Assignments, as roles to give when the list is added"))
    completed = BooleanField(_l("Completed to-dos (they come back open)"))
    comments = comments_field()

    def keep(self) -> Keep:
        """A list keeps its mark: it is added to projects whose team sees the template."""
        return Keep(people=self.people.data, private=True, completed=self.completed.data,
                    comments=self.comments.data, role_labels=self.role_labels())


class DeleteForm(Form):
    """A confirmation: its CSRF token is all it carries."""


class ImportForm(Form):
    file = FileField(_l("Template file (JSON)"),
                     validators=[FileRequired(_l("Choose a template file."))])


class DatesForm(Form):
    """Where the template's days fall; the roles' fields (role_0, role_1…) are added for each
    template by `with_roles`."""

    anchor_date = DateField(_l("Date"), validators=[due_date])
    skip_weekends = BooleanField(_l("Skip weekends: a date on a Saturday or Sunday moves to a "
                                    "weekday"))


class CreateProjectForm(DatesForm):
    name = StringField(_l("Name of the new project"), validators=[
        DataRequired(_l("Give the project a name.")),
        Length(max=120, message=_l("A project name has at most 120 characters."))],
        filters=[strip])
    description = description_field()
    anchor = RadioField(_l("The date is"), default="start", choices=[
        ("start", _l("the start: the template's first day")),
        ("end", _l("the end: the template's last day, counting backwards"))])


class InsertListForm(DatesForm):
    pass


def role_field(label: str) -> SelectField:
    return SelectField(label, coerce=optional_id, validate_choice=False,
                       validators=[chosen_among_offered])


def chosen_among_offered(form: Form, field: SelectField) -> None:
    typed = (field.raw_data or [""])[0]
    if typed not in {str(value) for value, _label in field.choices or []}:
        field.errors[:] = []
        raise StopValidation(_l("Choose one of the people offered, or nobody."))


def with_roles(form_class: type[DatesForm], roles: list[dict],
               choices: list[tuple[object, str]], **kwargs: object) -> DatesForm:
    """A form of `form_class` with one choice of person per role of the template."""
    form_type = type(form_class.__name__, (form_class,), {
        f"role_{index}": role_field(role["label"]) for index, role in enumerate(roles)})
    form = form_type(**kwargs)
    for index in range(len(roles)):
        getattr(form, f"role_{index}").choices = [("", str(_l("Nobody"))), *choices]
    form.roles = roles  # type: ignore[attr-defined]
    return form


def people_of_form(form: DatesForm) -> dict[str, int | None]:
    return {role["key"]: getattr(form, f"role_{index}").data
            for index, role in enumerate(form.roles)}  # type: ignore[attr-defined]
