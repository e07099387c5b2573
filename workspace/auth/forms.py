from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from workspace.forms import Form
from workspace.i18n import LANGUAGES, timezone_names

PASSWORD_RULES = [
    DataRequired(_l("Choose a password.")),
    Length(min=8, max=256, message=_l("A password has between 8 and 256 characters.")),
]


def name_field() -> StringField:
    return StringField(
        _l("Your name"),
        validators=[
            DataRequired(_l("Enter your name.")),
            Length(max=120, message=_l("A name has at most 120 characters.")),
        ],
        filters=[lambda value: value.strip() if value else value],
    )


def email_field(label: str | None = None) -> EmailField:
    return EmailField(
        label or _l("Email address"),
        validators=[
            DataRequired(_l("Enter an email address.")),
            Length(max=254, message=_l("An email address has at most 254 characters.")),
            Email(message=_l("Enter a valid email address, like ana@example.org."),
                  check_deliverability=False),
        ],
        filters=[lambda value: value.strip() if value else value],
    )


def confirm_field() -> PasswordField:
    return PasswordField(
        _l("Repeat the password"),
        validators=[EqualTo("password", message=_l("The two passwords differ."))],
    )


class AccountForm(Form):
    """The first administrator, and open sign-up."""

    name = name_field()
    email = email_field()
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    confirm = confirm_field()


class NewAccountForm(Form):
    """An invited person whose email address is already known."""

    name = name_field()
    password = PasswordField(_l("Password"), validators=PASSWORD_RULES)
    confirm = confirm_field()


class LoginForm(Form):
    email = email_field()
    password = PasswordField(_l("Password"), validators=[DataRequired(_l("Enter your password."))])
    remember = BooleanField(_l("Remember me on this device"))


class ProfileForm(Form):
    name = name_field()
    locale = SelectField(
        _l("Language"),
        choices=[("", _l("As my browser says")), *LANGUAGES.items()],
    )
    timezone = SelectField(_l("Timezone"))

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [(name, name) for name in timezone_names()]


class PasswordChangeForm(Form):
    current = PasswordField(
        _l("Current password"), validators=[DataRequired(_l("Enter your current password."))]
    )
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = confirm_field()

    def validate_password(self, field: PasswordField) -> None:
        if field.data and field.data == self.current.data:
            raise ValidationError(_l("The new password is the same as the current one."))


class EmailLinkForm(Form):
    """Ask for a link by email: a password reset, or a sign-in link."""

    email = email_field()


class ResetPasswordForm(Form):
    password = PasswordField(_l("New password"), validators=PASSWORD_RULES)
    confirm = confirm_field()
