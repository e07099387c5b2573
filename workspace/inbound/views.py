"""The project page's "Email in" panel and its regenerate action."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.access import Action, ProjectAccess, project_access
from workspace.inbound.addresses import (
    email_in_address,
    inbound_address,
    regenerate_email_in_address,
)

bp = Blueprint("inbound", __name__, url_prefix="/projects/<int:project_id>")


@bp.app_context_processor
def email_in_panel() -> dict[str, object]:
    def address_for(access: ProjectAccess) -> str:
        """The signed-in person's email-in address, if email in is on and they may post."""
        if not inbound_address() or not access.can(Action.POST):
            return ""
        return email_in_address(current_user, access.project)

    return {"email_in_address_for": address_for}


@bp.route("/email-in/regenerate", methods=["POST"])
@login_required
def regenerate(project_id: int) -> Response:
    access = project_access(project_id, Action.POST)
    regenerate_email_in_address(access.user, access.project)
    flash(_("Your email-in address is new; the old one no longer works."), "success")
    return redirect(url_for("projects.overview", project_id=project_id, _anchor="email-in"))
