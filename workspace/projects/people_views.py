"""The people of a project, and the invitations that bring them in."""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.auth.forms import NewAccountForm
from workspace.auth.models import User
from workspace.auth.views import sign_in
from workspace.errors import Refused
from workspace.extensions import db
from workspace.projects import operations
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.projects.forms import InviteForm, RoleForm
from workspace.projects.models import Invitation, Membership, Role
from workspace.web import Page, rendered

bp = Blueprint("people", __name__)


def people_page(access: ProjectAccess, form: InviteForm, new_link: str | None = None,
                status: int | None = None) -> Page:
    project = access.project
    status = status or (400 if form.errors else 200)
    return render_template(
        "projects/people.html", access=access, project=project, form=form, new_link=new_link,
        people=operations.people_of(project),
        invitations=db.session.scalars(operations.pending_invitations(project)).all(),
        role_form=RoleForm(),
    ), status


def invitation_link(token: str) -> str:
    return url_for("people.invitation", token=token, _external=True)


def membership_in(access: ProjectAccess, membership_id: int) -> Membership:
    membership = db.session.get(Membership, membership_id)
    if membership is None or membership.project_id != access.project.id:
        abort(404)
    return membership


def invitation_in(access: ProjectAccess, invitation_id: int) -> Invitation:
    invitation = db.session.get(Invitation, invitation_id)
    if invitation is None or invitation.project_id != access.project.id:
        abort(404)
    if not invitation.is_pending:
        abort(404, _("This invitation was already accepted."))
    return invitation


@bp.route("/projects/<int:project_id>/people")
@login_required
def people(project_id: int) -> Page:
    return people_page(project_access(project_id), InviteForm())


@bp.route("/projects/<int:project_id>/people", methods=["POST"])
@login_required
def invite(project_id: int) -> Page:
    access = project_access(project_id, Action.MANAGE_PEOPLE)
    form = InviteForm()
    if not form.validate():
        return people_page(access, form)
    try:
        invitation, token = operations.invite(
            access.project, form.email.data, Role(form.role.data), by=current_user
        )
    except Refused as refusal:
        form.email.errors.append(refusal.message)
        return people_page(access, form, status=refusal.status)
    flash(_("%(email)s is invited. Send them this link; it works once, for %(days)s days.",
            email=invitation.email, days=current_app.config["INVITATION_DAYS"]), "success")
    return people_page(access, InviteForm(formdata=None), new_link=invitation_link(token))


@bp.route("/projects/<int:project_id>/people/<int:membership_id>/role", methods=["POST"])
@login_required
def change_role(project_id: int, membership_id: int) -> Page:
    access = project_access(project_id, Action.MANAGE_PEOPLE)
    membership = membership_in(access, membership_id)
    form = RoleForm()
    if not form.validate():
        abort(400, _("Choose one of the roles: owner, member or client."))
    operations.change_role(membership, Role(form.role.data))
    flash(_("%(name)s is now %(role)s.", name=membership.user.name, role=_(form.role.data)),
          "success")
    return redirect(url_for("people.people", project_id=project_id))


@bp.route("/projects/<int:project_id>/people/<int:membership_id>/remove", methods=["POST"])
@login_required
def remove(project_id: int, membership_id: int) -> Response:
    access = project_access(project_id, Action.MANAGE_PEOPLE)
    membership = membership_in(access, membership_id)
    name = membership.user.name
    left = membership.user_id == current_user.id and not current_user.is_admin
    operations.remove_person(membership)
    flash(_("%(name)s was removed from the project.", name=name), "success")
    if left:  # the project's pages are now closed to them
        return redirect(url_for("projects.index"))
    return redirect(url_for("people.people", project_id=project_id))


@bp.route("/projects/<int:project_id>/invitations/<int:invitation_id>/renew", methods=["POST"])
@login_required
def renew(project_id: int, invitation_id: int) -> Page:
    access = project_access(project_id, Action.MANAGE_PEOPLE)
    token = operations.renew_invitation(invitation_in(access, invitation_id))
    flash(_("A new link was made; the old one no longer works."), "success")
    return people_page(access, InviteForm(formdata=None), new_link=invitation_link(token))


@bp.route("/projects/<int:project_id>/invitations/<int:invitation_id>/cancel", methods=["POST"])
@login_required
def cancel(project_id: int, invitation_id: int) -> Response:
    access = project_access(project_id, Action.MANAGE_PEOPLE)
    operations.cancel_invitation(invitation_in(access, invitation_id))
    flash(_("The invitation was cancelled."), "success")
    return redirect(url_for("people.people", project_id=project_id))


@bp.route("/invitations/<token>", methods=["GET", "POST"])
def invitation(token: str) -> Page:
    """Open an invitation: create the account, or join with the account already signed in."""
    invitation = operations.invitation_for_token(token)
    if invitation is None:
        abort(404, _("This invitation link is not valid. Check that it was copied whole."))
    operations.ensure_usable(invitation)
    if current_user.is_authenticated:
        return join_as_current_user(invitation)
    if User.by_email(invitation.email) is not None:
        flash(_("Sign in as %(email)s to join the project.", email=invitation.email), "info")
        return redirect(url_for("auth.login", next=request.path))
    form = NewAccountForm()
    if form.validate_on_submit():
        user = operations.accept_invitation_as_new_user(
            invitation, name=form.name.data, password=form.password.data
        )
        sign_in(user)
        return welcome(invitation)
    return rendered("projects/invitation.html", form, invitation=invitation)


def join_as_current_user(invitation: Invitation) -> Page:
    if current_user.email != invitation.email:
        raise operations.WrongAccount()
    if request.method == "POST":
        operations.accept_invitation(invitation, current_user)
        return welcome(invitation)
    return render_template("projects/invitation.html", form=None, invitation=invitation)


def welcome(invitation: Invitation) -> Response:
    flash(_("Welcome to %(project)s.", project=invitation.project.name), "success")
    return redirect(url_for("projects.overview", project_id=invitation.project_id))
