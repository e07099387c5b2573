from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from workspace.access import newest_visible_events
from workspace.activity.queries import by_day, newest
from workspace.types import positive_id

bp = Blueprint("activity", __name__)

PAGE_SIZE = 50


@bp.route("/activity")
@login_required
def mine() -> str:
    """Everything that happened in the projects the person can see, newest first."""
    before = request.args.get("before", type=positive_id)
    events = newest(newest_visible_events(current_user, PAGE_SIZE + 1, before=before),
                    PAGE_SIZE + 1)
    more = len(events) > PAGE_SIZE
    events = events[:PAGE_SIZE]
    return render_template("activity/mine.html", days=by_day(events),
                           next_before=events[-1].id if more else None)
