from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.extensions import csrf, db
from workspace.fragments import kept_page
from workspace.mail.operations import failed_emails
from workspace.notifications import operations, stopping
from workspace.notifications.models import ProjectMute
from workspace.projects.access import require_site_admin, visible_projects
from workspace.projects.models import Project

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index() -> str:
    """Kept whole: the page shows the person's newest notifications and unread count."""
    listed = operations.latest(current_user)
    unread = operations.unread_count(current_user)
    return kept_page((unread, *listed), lambda: render_template(
        "notifications/index.html", notifications=listed))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read() -> Response:
    operations.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings() -> Response | str:
    projects = db.session.scalars(visible_projects(current_user).order_by(Project.name)).all()
    if request.method == "POST":
        kept = {int(value) for value in request.form.getlist("project") if value.isdigit()}
        operations.set_email_preferences(
            current_user, enabled=request.form.get("email") == "on",
            muted_projects={project.id for project in projects} - kept,
        )
        flash(_("Your email settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    muted = set(db.session.scalars(
        db.select(ProjectMute.project_id).where(ProjectMute.user_id == current_user.id)
    ))
    return render_template("notifications/settings.html", projects=projects, muted=muted)


@bp.route("/stop-following/<token>", methods=["GET", "POST"])
@csrf.exempt  # the signed token is the credential; mail apps POST without a session (RFC 8058)
def stop_following(token: str) -> tuple[str, int]:
    """No sign-in: a GET asks (mail scanners open links), a POST stops, as often as sent."""
    try:
        stop = stopping.read_token(token)
    except stopping.Refused:
        return render_template("notifications/stop_following.html", refused=True), 400
    if request.method == "POST":
        stopping.stop_following(stop)
    return render_template("notifications/stop_following.html", refused=False,
                           done=request.method == "POST"), 200


@bp.route("/admin/outbox")
@login_required
def failed() -> str:
    require_site_admin(current_user)
    return render_template("notifications/failed.html", emails=failed_emails())
