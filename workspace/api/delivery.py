"""/api/v1/me/delivery: the token owner's delivery schedule (notifications.delivery)."""

from __future__ import annotations

from flask import g, jsonify
from werkzeug.wrappers import Response

from workspace.api.bodies import validated
from workspace.api.views import bp
from workspace.auth.models import User
from workspace.notifications import delivery
from workspace.notifications.forms import DeliveryForm


def as_json(user: User) -> dict[str, object]:
    settings = delivery.settings_for(user)
    snooze = settings.snoozed_until
    return {
        "schedule": settings.schedule, "recap_hour": settings.recap_hour,
        "timezone": user.timezone, "work_days": [int(day) for day in settings.work_days],
        "work_start": settings.work_start, "work_end": settings.work_end,
        "snoozed_until": (snooze.astimezone(delivery.zone(user.timezone))
                          .strftime("%Y-%m-%dT%H:%M") if snooze else None),
    }


@bp.route("/me/delivery")
def delivery_settings() -> Response:
    return jsonify(as_json(g.acting_user))


@bp.route("/me/delivery", methods=["PATCH"])
def change_delivery_settings() -> Response:
    """Send only what changes; `snoozed_until` is a local time (YYYY-MM-DDTHH:MM) in the
    person's timezone, or null."""
    current = as_json(g.acting_user)
    form = validated(DeliveryForm, current={
        **current, "work_days": [str(day) for day in current["work_days"]]})
    delivery.save_settings(
        g.acting_user, schedule=form.schedule.data, recap_hour=form.recap_hour.data,
        timezone=form.timezone.data, work_days=form.work_days.data or [],
        work_start=form.work_start.data, work_end=form.work_end.data,
        snoozed_until=form.snooze_in_utc())
    return jsonify(as_json(g.acting_user))
