"""A person's default reminders: for the events they attend and the to-dos assigned to them
whose reminder is left to them."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from werkzeug.wrappers import Response
from wtforms import SelectField

from workspace.alerts.models import DEFAULT_DATED, DEFAULT_TIMED, ReminderDefault
from workspace.extensions import db
from workspace.forms import Form

bp = Blueprint("reminders", __name__)


class ReminderDefaultsForm(Form):
    timed = SelectField(_l("Events at a time"), choices=[
        ("none", _l("No reminder")), ("0m", _l("When it starts")),
        ("15m", _l("15 minutes before")), ("1h", _l("1 hour before")),
        ("1d", _l("The day before"))])
    dated = SelectField(_l("All-day events and dated to-dos"), choices=[
        ("none", _l("No reminder")), ("0d", _l("On the day, at 09:00")),
        ("1d", _l("The day before")), ("2d", _l("Two days before")),
        ("7d", _l("A week before"))])


@bp.route("/settings/reminders", methods=["GET", "POST"])
@login_required
def settings() -> Response | tuple[str, int]:
    saved = db.session.get(ReminderDefault, current_user.id)
    form = ReminderDefaultsForm(timed=saved.timed if saved else DEFAULT_TIMED,
                                dated=saved.dated if saved else DEFAULT_DATED)
    if form.validate_on_submit():
        if saved is None:
            saved = ReminderDefault(user_id=current_user.id)
            db.session.add(saved)
        saved.timed, saved.dated = form.timed.data, form.dated.data
        db.session.commit()
        flash(_("Your reminders are saved."), "success")
        return redirect(url_for("reminders.settings"))
    return render_template("alerts/reminders.html", form=form), 400 if form.errors else 200
