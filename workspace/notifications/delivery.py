"""When a person's emails leave: their delivery schedule, working hours and snooze, and the
bundles and recaps that gather what waited.

A notification is always recorded at once (the notifications page shows it). Its email
leaves at once for a person whose schedule is "at once", and for every mention whatever the
schedule; otherwise the notification waits (`Notification.waiting`) for the person's next
hourly bundle or daily recap. Nothing leaves outside the person's working hours and days, nor
while they snooze, but a mention marked urgent (`@@Name`): the email is queued for the first
moment allowed (the outbox sends nothing before its `next_attempt_at`).

`send_due_recaps(now)` is the job (scheduler, CLI and tests call it): one claimed SentRecap row
per (person, period), inserted before the recap is written, so that two schedulers at once
send each recap exactly once, as the milestone alerts do. A recap reads, when it is written,
only what the person may still see: an item deleted before it (its events and notifications
went with it) or made private to a client leaves no trace in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel.dates import format_datetime
from flask import render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import and_, func, select, update

from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.extensions import claimed, db
from workspace.links import event_url
from workspace.mail.operations import enqueue
from workspace.notifications.models import (
    AT_ONCE,
    DAILY,
    DeliverySettings,
    Notification,
    SentRecap,
)
from workspace.notifications.stopping import stop_url
from workspace.projects.access import member_may_see
from workspace.projects.models import Membership


def default_settings(user_id: int | None = None) -> DeliverySettings:
    """Everything at once, at any time: the settings of a person who never chose any."""
    return DeliverySettings(user_id=user_id, schedule=AT_ONCE, recap_hour=17, work_days="",
                            work_start=None, work_end=None, snoozed_until=None)


def zone(name: str | None) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def settings_of(user_ids: set[int]) -> dict[int, DeliverySettings]:
    """The delivery settings of these people (those who set any), in one query."""
    if not user_ids:
        return {}
    return {row.user_id: row for row in db.session.scalars(
        select(DeliverySettings).where(DeliverySettings.user_id.in_(user_ids)))}


def settings_for(user: User) -> DeliverySettings:
    """The person's settings, made (not yet added) if they never chose any."""
    found = db.session.scalar(select(DeliverySettings).where(DeliverySettings.user_id == user.id))
    return found or default_settings(user.id)


def is_working_time(local: datetime, settings: DeliverySettings) -> bool:
    if settings.work_days and str(local.isoweekday()) not in settings.work_days:
        return False
    if settings.work_start is None or settings.work_end is None:
        return True
    return settings.work_start <= local.hour < settings.work_end


def next_allowed(now: datetime, settings: DeliverySettings, timezone: str | None) -> datetime:
    """The first moment from `now` at which an email may reach the person: not snoozed, on
    a working day, within working hours (all in their timezone)."""
    moment = max(now, settings.snoozed_until) if settings.snoozed_until else now
    tz = zone(timezone)
    local = moment.astimezone(tz)
    for _hour in range(24 * 8):  # a week and a day covers every pattern of days and hours
        if is_working_time(local, settings):
            return max(local.astimezone(moment.tzinfo), moment)
        local = (local + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    return moment  # no working time at all (no day ticked): never hold emails forever


@dataclass(frozen=True)
class Plan:
    """What to do with one person's email of an event: `waits` for their next recap, or
    leaves at `send_at`."""

    waits: bool
    send_at: datetime | None = None


def plan(user: User, settings: DeliverySettings, *, mentioned: bool, urgent: bool,
         now: datetime) -> Plan:
    if urgent:
        return Plan(False, now)
    if settings.schedule != AT_ONCE and not mentioned:
        return Plan(True)
    return Plan(False, next_allowed(now, settings, user.timezone))


# -- recaps -----------------------------------------------------------------------------------

def period_due(settings: DeliverySettings, timezone: str | None, now: datetime) -> str | None:
    """The period whose bundle or recap is due now for the person, or None (a daily recap
    before its hour). Hourly bundles (and what waited when someone went back to "at once")
    are per UTC hour; a daily recap is per local date, from the chosen local hour on."""
    if settings.schedule == DAILY:
        local = now.astimezone(zone(timezone))
        if local.hour < settings.recap_hour:
            return None
        return f"day:{local.date().isoformat()}"
    return f"hour:{now.strftime('%Y-%m-%dT%H')}"


def claim_recap(user_id: int, period: str, now: datetime) -> SentRecap | None:
    """Insert the recap's unique row; None when another run already has it."""
    return claimed(SentRecap(user_id=user_id, period=period, sent_at=now))


def send_due_recaps(now: datetime) -> list[SentRecap]:
    """Write every bundle and recap that is due and was not written yet; returns the claims
    made now. Safe to run twice, or in two processes at once."""
    waiting = select(Notification.user_id).where(Notification.waiting.is_(True)).distinct()
    rows = db.session.execute(
        select(User, DeliverySettings).outerjoin(DeliverySettings,
                                                 DeliverySettings.user_id == User.id)
        .where(User.id.in_(waiting), User.deactivated_at.is_(None)).order_by(User.id)).all()
    db.session.commit()
    sent = []
    for user, settings in rows:
        settings = settings or default_settings(user.id)
        period = period_due(settings, user.timezone, now)
        if period is None:
            continue
        claim = claim_recap(user.id, period, now)
        if claim is None:
            continue
        write_recap(user, settings, now)
        db.session.commit()
        sent.append(claim)
    return sent


@dataclass
class RecapItem:
    """One item of a recap: its title, address, and its events, newest first."""

    item_id: int
    title: str
    url: str
    stop_url: str
    events: list[Event]


@dataclass
class RecapProject:
    name: str
    items: list[RecapItem]


def recap_contents(user: User, now: datetime) -> list[RecapProject]:
    """What waited for the person until `now` that they may still see, by project and item,
    newest first: one query."""
    here = and_(Membership.project_id == Event.project_id, Membership.user_id == user.id)
    events = db.session.scalars(
        select(Event).join(Notification, Notification.event_id == Event.id).join(Membership, here)
        .where(Notification.user_id == user.id, Notification.waiting.is_(True),
               Notification.created_at <= now,
               member_may_see(Event.private))
        .options(db.joinedload(Event.project), db.joinedload(Event.actor))
        .order_by(Event.id.desc())).unique().all()
    projects: dict[int, RecapProject] = {}
    items: dict[tuple[int, int], RecapItem] = {}
    for event in events:
        project = projects.setdefault(event.project_id, RecapProject(event.project.name, []))
        key = (event.project_id, event.subject_item_id)
        if key not in items:
            items[key] = RecapItem(
                event.subject_item_id, event.summary, event_url(event, external=True),
                stop_url(user.id, event.subject_item_id), [])
            project.items.append(items[key])
        items[key].events.append(event)
    return list(projects.values())


def local_time(moment: datetime, user: User) -> str:
    """A moment as the person reads it: in their timezone and language (a job has no request
    to take them from)."""
    return format_datetime(moment, "short", tzinfo=zone(user.timezone),
                           locale=user.locale or "en")


def write_recap(user: User, settings: DeliverySettings, now: datetime) -> None:
    """The person's recap email (when anything visible waited), queued for the first moment
    they take emails; everything that waited stops waiting."""
    contents = recap_contents(user, now)
    db.session.execute(update(Notification).where(
        Notification.user_id == user.id, Notification.waiting.is_(True),
        Notification.created_at <= now).values(waiting=False))
    if not contents:
        return
    count = sum(len(item.events) for project in contents for item in project.items)
    shown = [item.item_id for project in contents for item in project.items]
    with force_locale(user.locale or "en"):
        stop_all = stop_url(user.id, shown)
        context = {"user": user, "projects": contents, "count": count, "stop_all": stop_all,
                   "settings_url": url_for("notifications.settings", _external=True),
                   "when": lambda moment: local_time(moment, user)}
        subject = (_("Your daily recap: %(num)d updates", num=count)
                   if settings.schedule == DAILY
                   else _("Your latest updates: %(num)d", num=count))
        email = enqueue(user, subject, render_template("mail/recap.txt", **context),
                        render_template("mail/recap.html", **context),
                        unsubscribe_url=stop_all)
    email.next_attempt_at = next_allowed(now, settings, user.timezone)


# The snooze buttons: an hour, until tomorrow's working day starts, a week, or no more.
SNOOZES = ("hour", "tomorrow", "week", "off")


def snooze_end(choice: str, now: datetime, settings: DeliverySettings,
               timezone: str | None) -> datetime | None:
    """When the snooze chosen with one button ends, in UTC (None: it stops now). "Tomorrow"
    is tomorrow at the start of the person's working hours in their timezone, 08:00 when
    they set none."""
    if choice == "hour":
        return now + timedelta(hours=1)
    if choice == "week":
        return now + timedelta(days=7)
    if choice != "tomorrow":
        return None
    tomorrow = now.astimezone(zone(timezone)).date() + timedelta(days=1)
    start = settings.work_start if settings.work_start is not None else 8
    return datetime.combine(tomorrow, time(start), tzinfo=zone(timezone)).astimezone(UTC)


def snooze(user: User, choice: str, now: datetime) -> datetime | None:
    """Snooze the person's emails with one of SNOOZES; returns when the snooze ends."""
    settings = settings_for(user)
    settings.snoozed_until = snooze_end(choice, now, settings, user.timezone)
    db.session.add(settings)
    db.session.commit()
    return settings.snoozed_until


def save_settings(user: User, *, schedule: str, recap_hour: int, timezone: str,
                  work_days: list[str], work_start: int | None, work_end: int | None,
                  snoozed_until: datetime | None) -> DeliverySettings:
    """A person's delivery schedule (and their timezone, which their recap hour and working
    hours are in), validated by forms.DeliveryForm: one transaction."""
    settings = settings_for(user)
    settings.schedule, settings.recap_hour = schedule, recap_hour
    settings.work_days = "".join(sorted(set(work_days)))
    settings.work_start, settings.work_end = work_start, work_end
    settings.snoozed_until = snoozed_until
    user.timezone = timezone
    db.session.add(settings)
    db.session.commit()
    return settings


def waiting_count(user: User) -> int:
    """How many notifications wait for the person's next bundle or recap."""
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == user.id, Notification.waiting.is_(True)))
