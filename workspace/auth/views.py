from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from workspace.auth import operations
from workspace.auth.forms import (
    AccountForm,
    EmailLinkForm,
    LoginForm,
    PasswordChangeForm,
    ProfileForm,
    ResetPasswordForm,
)
from workspace.auth.models import User, normalize_email
from workspace.errors import Refused
from workspace.extensions import limiter
from workspace.i18n import LANGUAGE_COOKIE, LANGUAGES
from workspace.web import Page, rendered, safe_next

bp = Blueprint("auth", __name__)

def sign_in(user: User, *, remember: bool = False) -> None:
    """Open a login session for this browser and put its id in the session cookie."""
    operations.record_sign_in(user, request.headers.get("User-Agent"))
    login_user(user, remember=remember)


def remembered() -> bool:
    """Did this browser sign in with "remember me"?"""
    return current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies


def setup_page() -> Page:
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = operations.create_first_admin(form.email.data, form.name.data,
                                                 form.password.data)
        except Refused as refusal:
            form.email.errors.append(refusal.message)
        else:
            sign_in(user)
            flash(_("Welcome! Your workspace is ready. Create your first project."), "success")
            return redirect(url_for("projects.index"))
    return rendered("auth/setup.html", form)


@bp.route("/setup", methods=["GET", "POST"])
def setup() -> Page:
    if User.any_exists():
        abort(404)
    return setup_page()


@bp.route("/signup", methods=["GET", "POST"])
def signup() -> Page:
    if not current_app.config["WORKSPACE_OPEN_SIGNUP"]:
        abort(404)
    form = AccountForm()
    if form.validate_on_submit():
        try:
            user = operations.sign_up(form.email.data, form.name.data, form.password.data)
        except Refused as refusal:
            form.email.errors.append(refusal.message)
        else:
            sign_in(user)
            return redirect(url_for("projects.index"))
    return rendered("auth/signup.html", form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["WORKSPACE_LOGIN_RATE_LIMIT"], methods=["POST"])
def login() -> Page:
    if current_user.is_authenticated:
        return redirect(safe_next(url_for("projects.index")))
    form = LoginForm()
    if form.validate_on_submit():
        user = operations.authenticate(form.email.data, form.password.data)
        if user is not None and not user.is_active:
            form.email.errors.append(str(operations.AccountDeactivated.message))
        elif user is not None:
            sign_in(user, remember=form.remember.data)
            return redirect(safe_next(url_for("projects.index")))
        else:
            form.password.errors.append(_("Wrong email or password."))
    return rendered("auth/login.html", form,
                    open_signup=current_app.config["WORKSPACE_OPEN_SIGNUP"],
                    sign_in_links=sign_in_links_offered())


@bp.route("/logout", methods=["POST"])
def logout() -> Response:
    if current_user.is_authenticated:
        operations.close_session(current_user)
    logout_user()
    flash(_("You are signed out."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/settings/profile", methods=["GET", "POST"])
@login_required
def profile() -> Page:
    form = ProfileForm(obj=current_user, locale=current_user.locale or "")
    if form.validate_on_submit():
        operations.update_profile(
            current_user, name=form.name.data, locale=form.locale.data,
            timezone=form.timezone.data,
        )
        flash(_("Your profile is saved."), "success")
        return redirect(url_for("auth.profile"))
    return rendered("auth/profile.html", form)


@bp.route("/settings/password", methods=["GET", "POST"])
@login_required
def password() -> Page:
    form = PasswordChangeForm()
    if form.validate_on_submit():
        try:
            operations.change_password(current_user, form.current.data, form.password.data)
        except Refused as refusal:
            form.current.errors.append(refusal.message)
        else:
            # Every login session closed with the password change: this browser gets a new one.
            # Pass the user, not the proxy: Flask-Login stores what it is given as the current
            # user, and the proxy would then loop on itself.
            sign_in(current_user._get_current_object(), remember=remembered())
            flash(_("Your password is changed. Other devices are signed out."), "success")
            return redirect(url_for("auth.profile"))
    return rendered("auth/password.html", form)


@bp.route("/settings/sessions")
@login_required
def sessions() -> Page:
    return render_template("auth/sessions.html", sessions=operations.sessions_of(current_user))


@bp.route("/settings/sessions/revoke-others", methods=["POST"])
@login_required
def revoke_other_sessions() -> Response:
    count = operations.close_other_sessions(current_user)
    flash(ngettext("%(num)d other browser is signed out.",
                   "%(num)d other browsers are signed out.", count), "success")
    return redirect(url_for("auth.sessions"))


@bp.route("/language", methods=["POST"])
def choose_language() -> Response:
    """Let a visitor who is not signed in pick the interface language."""
    response = make_response(redirect(safe_next(url_for("projects.index"))))
    language = request.form.get("language", "")
    if language in LANGUAGES:
        response.set_cookie(LANGUAGE_COOKIE, language, max_age=365 * 86400, samesite="Lax",
                            httponly=True)
    return response


# -- links by email: "Forgot your password?" and "Email me a sign-in link" ----------------------

def sign_in_links_offered() -> bool:
    return current_app.config["WORKSPACE_SIGNIN_LINKS"] != "off"


def address_key() -> str:
    """Rate limits per email address asked about (whether or not it has an account)."""
    return "email-link:" + normalize_email(request.form.get("email", ""))[:254]


def email_link_limits(view):  # type: ignore[no-untyped-def]
    """The same limits on both ways to ask for a link: per address, and per client address."""
    view = limiter.limit(lambda: current_app.config["WORKSPACE_EMAIL_LINK_RATE_LIMIT"],
                         key_func=address_key, methods=["POST"])(view)
    return limiter.limit(lambda: current_app.config["WORKSPACE_EMAIL_LINK_IP_RATE_LIMIT"],
                         methods=["POST"])(view)


def ask_for_link(template: str, request_link, sent_endpoint: str) -> Page:  # type: ignore[no-untyped-def]
    """The form that asks for a link. Whatever the address, a valid one gets the same
    redirect to the same page: nothing tells whether it has an account."""
    form = EmailLinkForm()
    if form.validate_on_submit():
        request_link(form.email.data)
        return redirect(url_for(sent_endpoint), code=303)
    return rendered(template, form, mail_server=operations.mail_server_configured())


@bp.route("/password/forgot", methods=["GET", "POST"])
@email_link_limits
def forgot_password() -> Page:
    return ask_for_link("auth/forgot_password.html", operations.request_password_reset,
                        "auth.forgot_password_sent")


@bp.route("/password/forgot/sent")
def forgot_password_sent() -> str:
    return render_template("auth/link_sent.html", title=_("Check your inbox"), minutes=(
        current_app.config["PASSWORD_RESET_MINUTES"]), retry=url_for("auth.forgot_password"))


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Page:
    target = operations.usable_token(token, operations.TokenPurpose.RESET_PASSWORD)
    form = ResetPasswordForm()
    if form.validate_on_submit():
        user = operations.reset_password(token, form.password.data)
        sign_in(user)
        flash(_("Your new password is set. Other devices are signed out."), "success")
        return redirect(url_for("projects.index"))
    return rendered("auth/reset_password.html", form, person=target.user, token=token)


@bp.route("/login/link", methods=["GET", "POST"])
@email_link_limits
def request_sign_in_link() -> Page:
    if not sign_in_links_offered():
        abort(404)
    return ask_for_link("auth/sign_in_link.html", operations.request_sign_in_link,
                        "auth.sign_in_link_sent")


@bp.route("/login/link/sent")
def sign_in_link_sent() -> str:
    if not sign_in_links_offered():
        abort(404)
    return render_template("auth/link_sent.html", title=_("Check your inbox"), minutes=(
        current_app.config["SIGNIN_LINK_MINUTES"]), retry=url_for("auth.request_sign_in_link"))


@bp.route("/login/link/<token>", methods=["GET", "POST"])
def sign_in_link(token: str) -> Page:
    """GET shows a button and spends nothing, so that a mail scanner opening the link does
    not use it up; the button signs in."""
    if not sign_in_links_offered():
        abort(404)
    target = operations.usable_token(token, operations.TokenPurpose.SIGN_IN)
    if request.method == "POST":
        user = operations.sign_in_with_link(token)
        sign_in(user)
        return redirect(url_for("projects.index"))
    return render_template("auth/use_sign_in_link.html", person=target.user, token=token)
