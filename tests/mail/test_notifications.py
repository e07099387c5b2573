from datetime import timedelta

from tests.conftest import count_queries
from workspace.extensions import db
from workspace.mail.models import OutboxEmail
from workspace.mail.operations import deliver_queued
from workspace.notifications.models import Notification
from workspace.types import utcnow

from .conftest import parts


def post(client, project, title="Launch plan", **extra):
    response = client.post(f"/projects/{project.id}/messages/new",
                           data={"title": title, "body": "We **ship** Friday.", **extra})
    assert response.status_code == 302, response.data
    return int(response.headers["Location"].rsplit("/", 1)[-1])


def deliver(app):
    with app.test_request_context():
        return deliver_queued()


def test_a_new_message_reaches_the_chosen_people_in_their_language(app, make, client_for, smtp):
    ana, bo, cy, di = (make.user(n, email=f"{n.lower()}@example.org")
                       for n in ("Ana", "Bo", "Cy", "Di"))
    cy.locale = "fr"
    project = make.project("Launch", owner=ana, members=(bo, di), clients=(cy,))
    post(client_for(ana), project, notify=[ana.id, bo.id, cy.id])
    assert db.session.scalar(db.select(db.func.count()).select_from(OutboxEmail)) == 2
    assert deliver(app).sent
    assert smtp.to("ana@example.org") == [] and smtp.to("di@example.org") == []
    [to_bo] = smtp.to("bo@example.org")
    assert to_bo["Subject"] == "[Launch] Ana posted 'Launch plan'"
    body = parts(to_bo)
    assert "We **ship** Friday." in body["text/plain"] and "/projects/" in body["text/plain"]
    assert "Choose which emails you get" in body["text/plain"]
    assert "<a href=\"http://" in body["text/html"]
    [to_cy] = smtp.to("cy@example.org")
    assert to_cy["Subject"] == "[Launch] Ana a publié « Launch plan »"


def test_a_comment_reaches_everyone_who_took_part_but_the_commenter(app, make, client_for, smtp):
    ana, bo, cy, di = (make.user(n, email=f"{n.lower()}@example.org")
                       for n in ("Ana", "Bo", "Cy", "Di"))
    project = make.project(owner=ana, members=(bo, cy, di))
    message = post(client_for(ana), project, notify=[])
    client_for(bo).post(f"/projects/{project.id}/messages/{message}/comments", data={"body": "1"})
    deliver(app)
    assert [m["To"] for m in smtp.messages] == ["ana@example.org"]
    client_for(cy).post(f"/projects/{project.id}/messages/{message}/comments", data={"body": "2"})
    deliver(app)
    assert sorted(m["To"] for m in smtp.messages[1:]) == ["ana@example.org", "bo@example.org"]


def test_an_assigned_todo_reaches_its_assignee(app, make, client_for, smtp):
    ana, bo = make.user("Ana", email="ana@example.org"), make.user("Bo", email="bo@example.org")
    project = make.project(owner=ana, members=(bo,))
    client = client_for(ana)
    client.post(f"/projects/{project.id}/todolists/new", data={"name": "L"})
    client.post(f"/projects/{project.id}/todolists/1/todos",
                data={"text": "Print flyers", "assignee": str(bo.id)})
    deliver(app)
    [message] = smtp.messages
    assert message["To"] == "bo@example.org"
    assert message["Subject"].endswith("Ana assigned 'Print flyers' to Bo")


def test_a_client_never_gets_a_private_items_email(app, make, client_for, smtp):
    ana, cy = make.user("Ana", email="ana@example.org"), make.user("Cy", email="cy@example.org")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    message = post(team, project, title="Public", notify=[cy.id])
    deliver(app)
    team.post(f"/projects/{project.id}/messages/{message}/edit",
              data={"title": "Now secret", "body": "x", "private": "y"})
    team.post(f"/projects/{project.id}/messages/{message}/comments", data={"body": "Budget"})
    post(team, project, title="Secret", private="y", notify=[cy.id])
    deliver(app)
    subjects = [m["Subject"] for m in smtp.to("cy@example.org")]
    assert subjects == ["[Launch plan] Ana posted 'Public'"]
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification)
                             .where(Notification.user_id == cy.id)) == 1


def test_email_settings_are_honoured_and_the_notifications_page_still_shows(app, make,
                                                                           client_for, smtp):
    ana, bo, cy = (make.user(n, email=f"{n.lower()}@example.org") for n in ("Ana", "Bo", "Cy"))
    project = make.project(owner=ana, members=(bo, cy))
    client_for(bo).post("/settings/notifications", data={"project": [str(project.id)]})
    client_for(cy).post("/settings/notifications", data={"email": "on"})  # all projects unticked
    post(client_for(ana), project, notify=[bo.id, cy.id])
    deliver(app)
    assert smtp.messages == []
    page = client_for(bo).get("/notifications").text
    assert "Ana posted &#39;Launch plan&#39;" in page and 'class="badge"' in page
    client_for(bo).post("/notifications/read")
    assert db.session.scalar(db.select(db.func.count()).select_from(Notification).where(
        Notification.user_id == bo.id, Notification.read_at.is_(None))) == 0


def test_a_mail_server_down_loses_nothing_and_sends_once(app, make, client_for, smtp):
    ana, bo = make.user("Ana", email="ana@example.org"), make.user("Bo", email="bo@example.org")
    project = make.project(owner=ana, members=(bo,))
    smtp.stop()
    post(client_for(ana), project, notify=[bo.id])
    report = deliver(app)
    assert report.retried and not report.sent
    email = db.session.scalars(db.select(OutboxEmail)).one()
    assert email.status == "queued" and email.attempts == 1 and email.last_error
    smtp.start()
    assert deliver(app).sent == []  # not due again yet
    with app.test_request_context():
        assert deliver_queued(utcnow() + timedelta(minutes=5)).sent == [email.id]
        assert deliver_queued(utcnow() + timedelta(hours=1)).sent == []
    assert len(smtp.to("bo@example.org")) == 1


def test_after_many_failures_an_email_is_failed_and_shown_to_admins(app, make, client_for):
    ana = make.user("Ana", admin=True)
    bo = make.user("Bo", email="bo@example.org")
    project = make.project(owner=ana, members=(bo,))
    app.config.update(WORKSPACE_SMTP_HOST="127.0.0.1", WORKSPACE_SMTP_PORT=1)
    post(client_for(ana), project, notify=[bo.id])
    with app.test_request_context():
        for hours in range(10):
            deliver_queued(utcnow() + timedelta(hours=hours * 24))
    assert db.session.scalars(db.select(OutboxEmail.status)).one() == "failed"
    assert "bo@example.org" in client_for(ana).get("/admin/outbox").text
    assert client_for(bo).get("/admin/outbox").status_code == 404


def test_without_smtp_emails_are_written_as_files(app, make, client_for, tmp_path):
    from pathlib import Path

    app.instance_path = str(tmp_path)
    ana, bo = make.user("Ana"), make.user("Bo", email="bo@example.org")
    project = make.project(owner=ana, members=(bo,))
    post(client_for(ana), project, notify=[bo.id])
    assert deliver(app).sent
    [written] = Path(tmp_path, "outbox").glob("*.eml")
    assert b"To: bo@example.org" in written.read_bytes()


def test_posting_writes_to_the_outbox_but_never_talks_to_smtp(app, make, client_for):
    app.config.update(WORKSPACE_SMTP_HOST="127.0.0.1", WORKSPACE_SMTP_PORT=1)
    ana, bo = make.user("Ana"), make.user("Bo")
    project = make.project(owner=ana, members=(bo,))
    with count_queries():
        post(client_for(ana), project, notify=[bo.id])  # would fail if it connected
    assert db.session.scalars(db.select(OutboxEmail.status)).one() == "queued"


def test_an_email_queued_before_the_item_turned_private_is_withdrawn(app, make, client_for, smtp):
    ana, cy = make.user("Ana", email="ana@example.org"), make.user("Cy", email="cy@example.org")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    message = post(team, project, title="Oops", notify=[cy.id])
    team.post(f"/projects/{project.id}/messages/{message}/edit",
              data={"title": "Oops", "body": "x", "private": "y"})
    deliver(app)
    assert smtp.messages == []
    assert db.session.scalars(db.select(OutboxEmail.status)).all() == ["withdrawn"]
    post(team, project, title="Gone soon", notify=[cy.id])
    second = db.session.scalar(db.select(db.func.max(OutboxEmail.id)))
    latest = db.session.scalar(db.select(db.func.max(Notification.event_id)))
    from workspace.activity.models import Event
    message_id = db.session.get(Event, latest).subject_id
    team.post(f"/projects/{project.id}/messages/{message_id}/delete")
    assert db.session.get(OutboxEmail, second) is None


def test_an_invitation_is_emailed_with_its_link(app, make, client_for, smtp):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    page = client_for(ana).post(f"/projects/{project.id}/people",
                                data={"email": "new@example.org", "role": "member"}).text
    deliver(app)
    [invitation] = smtp.to("new@example.org")
    assert invitation["Subject"] == "Ana invites you to Launch"
    link = parts(invitation)["text/plain"].split("\n")[3].strip()
    assert "/invitations/" in link and link.split("/invitations/")[1] in page
