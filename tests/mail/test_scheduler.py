import io
import os
import time
from datetime import date

from apscheduler.schedulers.background import BackgroundScheduler

from workspace.extensions import db
from workspace.files.storage import storage
from workspace.mail.models import OutboxEmail
from workspace.milestones.models import Milestone
from workspace.scheduler import JOBS, configure, in_app, start_inline


def test_the_scheduler_runs_every_job_at_its_configured_interval(app):
    app.config.update(WORKSPACE_MAIL_INTERVAL_SECONDS=30, WORKSPACE_ALERTS_INTERVAL_SECONDS=600,
                      WORKSPACE_CLEANUP_INTERVAL_SECONDS=3600,
                      WORKSPACE_RECAPS_INTERVAL_SECONDS=300)
    scheduler = configure(BackgroundScheduler(timezone="UTC"), app)
    intervals = {job.name: job.trigger.interval.total_seconds() for job in scheduler.get_jobs()}
    assert intervals == {"deliver the outbox": 30, "send milestone alerts": 600,
                         "send reminders": 600, "collect file garbage": 3600,
                         "forget idle sign-ins": 3600,
                         "send notification bundles and recaps": 300}
    assert len(JOBS) == 7  # and email in, only when IMAP is configured:


def test_the_scheduler_fetches_email_in_every_minute_when_imap_is_configured(app):
    app.config.update(WORKSPACE_IMAP_HOST="imap.example.org")
    scheduler = configure(BackgroundScheduler(timezone="UTC"), app)
    intervals = {job.name: job.trigger.interval.total_seconds() for job in scheduler.get_jobs()}
    assert intervals["fetch email in"] == 60


def test_inline_mode_starts_once_and_not_in_the_reloaders_parent(app, monkeypatch):
    monkeypatch.delenv("WERKZEUG_RUN_MAIN", raising=False)
    app.debug = True
    start_inline(app)
    assert "workspace_scheduler" not in app.extensions
    monkeypatch.setenv("WERKZEUG_RUN_MAIN", "true")
    start_inline(app)
    scheduler = app.extensions["workspace_scheduler"]
    start_inline(app)
    assert app.extensions["workspace_scheduler"] is scheduler
    scheduler.shutdown(wait=False)


def test_the_jobs_run_with_links_to_the_configured_address(app, make):
    app.config.update(WORKSPACE_BASE_URL="https://work.example.org", SERVER_NAME=None)
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    db.session.add(Milestone(project_id=project.id, title="Beta", due_on=date.today()))
    db.session.commit()
    in_app(app, JOBS[1].run)()
    text = db.session.scalars(db.select(OutboxEmail.text_body)).first()
    assert "https://work.example.org/projects/" in text


def test_the_scheduler_removes_orphaned_file_contents(app):
    """Those left by a crash long ago; a content stored a moment ago may be an upload's
    whose row is not committed yet, and is kept until a later run."""
    crashed = in_app(app, lambda: storage().save(io.BytesIO(b"left by a crash"), 100))()
    in_flight = in_app(app, lambda: storage().save(io.BytesIO(b"upload in flight"), 100))()
    long_ago = time.time() - 2 * 3600
    os.utime(in_app(app, lambda: storage().path(crashed.sha256))(), (long_ago, long_ago))
    job = next(job for job in JOBS if job.name == "collect file garbage")
    orphans, _ = in_app(app, job.run)()
    assert orphans == 1
    assert list(in_app(app, lambda: list(storage().hashes()))()) == [in_flight.sha256]
