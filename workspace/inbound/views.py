"""The project page's "Email in" action: a new address, the old one dead at once."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import login_required
from werkzeug.wrappers import Response

from workspace.inbound.addresses import regenerate_email_in_address
from workspace.projects.access import Action, project_access

bp = Blueprint("inbound", __name__, url_prefix="/projects/<int:project_id>")


@bp.route("/email-in/regenerate", methods=["POST"])
@login_required
def regenerate(project_id: int) -> Response:
    access = project_access(project_id, Action.POST)
    regenerate_email_in_address(access.user, access.project)
    flash(_("Your email-in address is new; the old one no longer works."), "success")
    return redirect(url_for("projects.overview", project_id=project_id, _anchor="email-in"))
