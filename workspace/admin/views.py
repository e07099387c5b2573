"""/admin/people: site administrators run the accounts (404 for everyone else)."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.admin import operations
from workspace.auth import operations as accounts
from workspace.auth.models import User
from workspace.errors import Refused
from workspace.extensions import db
from workspace.projects import operations as projects
from workspace.projects.access import require_site_admin

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.before_request
@login_required
def only_site_administrators() -> None:
    require_site_admin(current_user)


def back_to_list() -> Response:
    """Back to the list as it was: the same search and page."""
    return redirect(url_for("admin.people", q=request.form.get("q") or None,
                            page=request.form.get("page", type=int) or None))


def person_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


@bp.route("/people")
def people() -> str:
    search = request.args.get("q", "")[:200]
    page = operations.people_page(search, request.args.get("page", 1, type=int))
    return render_template("admin/people.html", listing=page, search=search)


ACCOUNT_ACTIONS = {
    "deactivate": (lambda user: accounts.deactivate(user, by=current_user),
                   lambda user: _("%(name)s is deactivated and signed out everywhere.",
                                  name=user.name)),
    "reactivate": (accounts.reactivate,
                   lambda user: _("%(name)s can sign in again.", name=user.name)),
    "make-admin": (lambda user: accounts.set_site_admin(user, True),
                   lambda user: _("%(name)s is now a site administrator.", name=user.name)),
    "remove-admin": (lambda user: accounts.set_site_admin(user, False),
                     lambda user: _("%(name)s is no longer a site administrator.",
                                    name=user.name)),
}


ACTION = "any(deactivate, reactivate, 'make-admin', 'remove-admin')"


@bp.route(f"/people/<int:user_id>/<{ACTION}:action>", methods=["POST"])
def change_account(user_id: int, action: str) -> Response:
    user = person_or_404(user_id)
    operation, done = ACCOUNT_ACTIONS[action]
    try:
        operation(user)
    except Refused as refusal:
        flash(str(refusal.message), "error")
    else:
        flash(done(user), "success")
    return back_to_list()


@bp.route("/invitations/<int:invitation_id>/<any(resend, cancel):action>", methods=["POST"])
def change_invitation(invitation_id: int, action: str) -> Response:
    invitation = operations.pending_invitation(invitation_id)
    if invitation is None:
        abort(404)
    if action == "resend":
        projects.renew_invitation(invitation)
        flash(_("A new invitation link was emailed to %(email)s.", email=invitation.email),
              "success")
    else:
        projects.cancel_invitation(invitation)
        flash(_("The invitation for %(email)s is cancelled.", email=invitation.email), "success")
    return back_to_list()
