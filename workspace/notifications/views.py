from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.wrappers import Response

from workspace.extensions import csrf, db
from workspace.fragments import kept_page
from workspace.i18n import datetime_filter
from workspace.mail.operations import failed_emails
from workspace.notifications import delivery, operations, stopping
from workspace.notifications.forms import DeliveryForm
from workspace.notifications.models import ProjectMute
from workspace.projects.access import require_site_admin, visible_projects
from workspace.projects.models import Project
from workspace.types import utcnow

bp = Blueprint("notifications", __name__)


@bp.route("/notifications")
@login_required
def index() -> str:
    """Kept whole: the page shows the person's newest notifications and unread count."""
    listed = operations.latest(current_user)
    unread = operations.unread_count(current_user)
    return kept_page((unread, *listed), lambda: render_template(
        "notifications/index.html", notifications=listed, groups=operations.by_item(listed),
        waiting=sum(1 for notification in listed if notification.waiting)))


@bp.route("/notifications/read", methods=["POST"])
@login_required
def mark_read() -> Response:
    operations.mark_all_read(current_user)
    return redirect(url_for("notifications.index"))


@bp.route("/settings/notifications", methods=["GET", "POST"])
@login_required
def settings() -> Response | tuple[str, int]:
    projects = db.session.scalars(visible_projects(current_user).order_by(Project.name)).all()
    if request.method == "POST":
        kept = {int(value) for value in request.form.getlist("project") if value.isdigit()}
        operations.set_email_preferences(
            current_user, enabled=request.form.get("email") == "on",
            muted_projects={project.id for project in projects} - kept,
        )
        flash(_("Your email settings are saved."), "success")
        return redirect(url_for("notifications.settings"))
    return settings_page(projects, delivery_form())


def delivery_form() -> DeliveryForm:
    """The form, filled with the person's schedule."""
    saved = delivery.settings_for(current_user)
    return DeliveryForm(data={
        "schedule": saved.schedule, "recap_hour": saved.recap_hour,
        "timezone": current_user.timezone, "work_days": list(saved.work_days),
        "work_start": saved.work_start, "work_end": saved.work_end,
        "snoozed_until": (saved.snoozed_until.astimezone(delivery.zone(current_user.timezone))
                          .replace(tzinfo=None) if saved.snoozed_until else None)})


def settings_page(projects: list[Project], form: DeliveryForm) -> tuple[str, int]:
    muted = set(db.session.scalars(
        db.select(ProjectMute.project_id).where(ProjectMute.user_id == current_user.id)
    ))
    saved = delivery.settings_for(current_user).snoozed_until
    return render_template("notifications/settings.html", projects=projects, muted=muted,
                           form=form, snoozing=saved if saved and saved > utcnow() else None
                           ), 400 if form.errors else 200


@bp.route("/settings/notifications/delivery", methods=["POST"])
@login_required
def delivery_settings() -> Response | tuple[str, int]:
    """The delivery schedule; bad input shows the page again with the values typed."""
    form = DeliveryForm()
    if not form.validate_on_submit():
        projects = db.session.scalars(
            visible_projects(current_user).order_by(Project.name)).all()
        return settings_page(projects, form)
    delivery.save_settings(
        current_user, schedule=form.schedule.data, recap_hour=form.recap_hour.data,
        timezone=form.timezone.data, work_days=form.work_days.data or [],
        work_start=form.work_start.data, work_end=form.work_end.data,
        snoozed_until=form.snooze_in_utc())
    flash(_("Your delivery schedule is saved."), "success")
    return redirect(url_for("notifications.settings"))


@bp.route("/settings/notifications/snooze", methods=["POST"])
@login_required
def snooze() -> Response:
    """One button: snooze for an hour, until tomorrow's working day, a week, or stop."""
    choice = request.form.get("snooze", "")
    if choice not in delivery.SNOOZES:
        abort(400)
    until = delivery.snooze(current_user, choice, utcnow())
    if until is None:
        flash(_("Emails leave again as your schedule says."), "success")
    else:
        flash(_("Only urgent mentions come by email until %(when)s.",
                when=datetime_filter(until, "short")), "success")
    return redirect(url_for("notifications.settings", _anchor="delivery"))


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
                           done=request.method == "POST", count=len(stop.item_ids)), 200


@bp.route("/admin/outbox")
@login_required
def failed() -> str:
    require_site_admin(current_user)
    return render_template("notifications/failed.html", emails=failed_emails())
