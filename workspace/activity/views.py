from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_babel import get_locale, get_timezone
from flask_login import current_user, login_required
from markupsafe import Markup

from workspace.activity.queries import by_day, newest, stream_version
from workspace.activity.streams import newest_visible_events
from workspace.auth.models import User
from workspace.kept import kept_by_app
from workspace.types import positive_id

bp = Blueprint("activity", __name__)

PAGE_SIZE = 50


@bp.route("/activity")
@login_required
def mine() -> str:
    """Everything that happened in the projects the person can see, newest first."""
    before = request.args.get("before", type=positive_id)
    return render_template("activity/mine.html",
                           events=events_page(current_user._get_current_object(), before))


def events_page(user: User, before: int | None) -> Markup:
    """A page of the person's events, rendered once for each version of their projects'
    streams (which changes with any change in any of them), language and timezone."""
    key = (user.id, stream_version(user), before, str(get_locale()), str(get_timezone()))
    kept = kept_by_app("activity_pages", 256)
    return Markup(kept.get_or_build(key, lambda: render_events(user, before)))


def render_events(user: User, before: int | None) -> str:
    events = newest(newest_visible_events(user, PAGE_SIZE + 1, before=before), PAGE_SIZE + 1)
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    return render_template("activity/_mine_events.html", days=by_day(events),
                           next_before=events[-1].id if more else None)
