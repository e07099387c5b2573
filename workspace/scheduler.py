"""The periodic jobs, in one registry, and how to run them.

Production runs `workspace scheduler` beside gunicorn: one process, so no job runs once per
worker. A single-process install may set WORKSPACE_SCHEDULER=inline to run the same jobs in
the web process. Every job is also safe to run twice (see alerts and the outbox).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from flask import Flask

from workspace.types import utcnow
from workspace.web import in_app


@dataclass(frozen=True)
class Job:
    name: str
    interval_setting: str
    run: Callable[[], object]
    # The setting that must be set for the job to run at all (empty: always runs).
    needs: str = ""


def deliver_outbox() -> object:
    from workspace.mail.operations import deliver_queued

    return deliver_queued()


def send_alerts() -> object:
    from workspace.alerts.operations import send_due_alerts

    return send_due_alerts(utcnow())


def send_recaps() -> object:
    from workspace.notifications.delivery import send_due_recaps

    return send_due_recaps(utcnow())


def send_reminders() -> object:
    from workspace.alerts.reminders import send_due_reminders

    return send_due_reminders(utcnow())


def collect_file_garbage() -> object:
    from workspace.files.operations import collect_garbage

    return collect_garbage()


def forget_idle_sessions() -> object:
    from workspace.auth.operations import forget_idle_sessions

    return forget_idle_sessions()


def fetch_email_in() -> object:
    from workspace.inbound.imap import fetch_mail

    return fetch_mail()


JOBS = [
    Job("deliver the outbox", "WORKSPACE_MAIL_INTERVAL_SECONDS", deliver_outbox),
    Job("send milestone alerts", "WORKSPACE_ALERTS_INTERVAL_SECONDS", send_alerts),
    Job("send notification bundles and recaps", "WORKSPACE_RECAPS_INTERVAL_SECONDS",
        send_recaps),
    Job("send reminders", "WORKSPACE_ALERTS_INTERVAL_SECONDS", send_reminders),
    Job("collect file garbage", "WORKSPACE_CLEANUP_INTERVAL_SECONDS", collect_file_garbage),
    Job("forget idle sign-ins", "WORKSPACE_CLEANUP_INTERVAL_SECONDS", forget_idle_sessions),
    Job("fetch email in", "WORKSPACE_IMAP_INTERVAL_SECONDS", fetch_email_in,
        needs="WORKSPACE_IMAP_HOST"),
]


def configure(scheduler: BaseScheduler, app: Flask) -> BaseScheduler:
    for job in JOBS:
        if job.needs and not app.config[job.needs]:
            continue
        scheduler.add_job(in_app(app, job.run), "interval", id=job.name, name=job.name,
                          seconds=app.config[job.interval_setting], max_instances=1,
                          coalesce=True)
    return scheduler


def run_blocking(app: Flask) -> None:
    configure(BlockingScheduler(timezone="UTC"), app).start()


def start_inline(app: Flask) -> None:
    """Start the jobs in this web process, once: not in the reloader's watching parent."""
    if app.debug and os.environ.get("WERKZEUG_RUN_MAIN") != "true":
        return
    if app.extensions.get("workspace_scheduler"):
        return
    scheduler = configure(BackgroundScheduler(timezone="UTC", daemon=True), app)
    scheduler.start()
    app.extensions["workspace_scheduler"] = scheduler
