"""The /notifications page: what a person may no longer see leaves it, and its queries do not
grow with the number of notifications or items."""

from sqlalchemy import select

from tests.conftest import count_queries
from workspace.activity.models import Event
from workspace.extensions import db
from workspace.messages.models import Message
from workspace.notifications.models import Notification
from workspace.projects.models import Membership, Role

from .test_notifications import post


def test_an_item_made_private_leaves_a_clients_notifications(app, make, client_for):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project(owner=ana, clients=(cy,))
    team = client_for(ana)
    message_id = post(team, project, title="Soon secret", notify=[cy.id])
    post(team, project, title="Stays open", notify=[cy.id])
    page = client_for(cy).get("/notifications").text
    assert "Soon secret" in page and "Stays open" in page
    team.post(f"/projects/{project.id}/messages/{message_id}/edit",
              data={"title": "Soon secret", "body": "x", "private": "y"})
    page = client_for(cy).get("/notifications").text
    assert "Soon secret" not in page and "Stays open" in page
    assert 'aria-label="1 unread">1</span>' in page  # the header counts only what is listed


def test_the_header_counts_no_notification_of_a_project_left(app, make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    project, other = make.project(owner=ana, members=(bo,)), make.project("Other", owner=ana)
    team = client_for(ana)
    post(team, project, title="Before leaving", notify=[bo.id])
    make.join(other, bo, Role.MEMBER)
    post(team, other, title="Still here", notify=[bo.id])
    assert 'aria-label="2 unread">2</span>' in client_for(bo).get("/").text
    db.session.delete(db.session.scalar(select(Membership).filter_by(
        project_id=project.id, user_id=bo.id)))
    db.session.commit()
    assert 'aria-label="1 unread">1</span>' in client_for(bo).get("/").text


def notified(project, person, author, messages: int) -> None:
    """`messages` messages, each with an event and a notification for `person`."""
    for n in range(messages):
        message = Message(project_id=project.id, author=author, title=f"M{n}", body="b",
                          body_html="b")
        db.session.add(message)
        db.session.flush()
        event = Event(project_id=project.id, actor=author, action="created",
                      subject_type="message", subject_id=message.id, target_type="message",
                      target_id=message.id, summary=message.title)
        db.session.add(event)
        db.session.flush()
        db.session.add(Notification(user_id=person.id, event_id=event.id, waiting=n % 2 == 0))
    db.session.commit()


def test_the_page_runs_the_same_queries_for_few_and_many_notifications(app, make, client_for):
    ana, bo, cy = make.user("Ana"), make.user("Bo"), make.user("Cy")
    project = make.project(owner=ana, members=(bo, cy))
    notified(project, bo, ana, 3)
    notified(project, cy, ana, 120)
    counts = []
    for person in (bo, cy):
        browser = client_for(person)
        assert browser.get("/notifications").status_code == 200
        with count_queries() as counter:  # a new address: rendered, not kept
            assert browser.get("/notifications?fresh=1").status_code == 200
        counts.append(counter.count)
    assert counts[0] == counts[1]
