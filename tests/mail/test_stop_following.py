"""Stop following by email: one click, no sign-in, RFC 8058 headers; forged and expired
links refused with a clear page."""

import re
from datetime import timedelta

from workspace.comments.following import follower_ids
from workspace.extensions import db
from workspace.mail.operations import deliver_queued
from workspace.messages.models import Message
from workspace.notifications.stopping import STOP_FOLLOWING_DAYS, stop_token
from workspace.types import utcnow

from .conftest import parts
from .test_notifications import deliver, post

ONE_CLICK = {"List-Unsubscribe": "One-Click"}


def a_thread_bo_hears_of(app, make, client_for, smtp):
    ana = make.user("Ana", email="ana@example.org")
    bo = make.user("Bo", email="bo@example.org")
    project = make.project(owner=ana, members=(bo,))
    message_id = post(client_for(ana), project, notify=[bo.id])
    deliver(app)
    [email] = smtp.to("bo@example.org")
    return project, message_id, bo, email


def test_every_notification_email_carries_rfc_8058_headers_and_the_link(
        app, make, client_for, smtp):
    _, _, _, email = a_thread_bo_hears_of(app, make, client_for, smtp)
    header = email["List-Unsubscribe"]
    assert re.fullmatch(r"<https?://[^>\s]+/stop-following/[\w.-]+>", header), header
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header.strip("<>")
    assert f"Stop following this thread: {link}" in parts(email)["text/plain"]
    assert f'href="{link}"' in parts(email)["text/html"]


def test_one_click_without_signing_in_stops_the_emails(app, make, client_for, smtp, client):
    project, message_id, bo, email = a_thread_bo_hears_of(app, make, client_for, smtp)
    link = email["List-Unsubscribe"].strip("<>")
    asked = client.get(link)  # a mail scanner opening the link changes nothing
    assert asked.status_code == 200 and "Stop following this thread?" in asked.text
    item_id = db.session.get(Message, message_id).item_id
    assert bo.id in follower_ids(item_id)
    done = client.post(link, data=ONE_CLICK, csrf=False)  # as a mail app does
    assert done.status_code == 200 and "You no longer follow this thread" in done.text
    assert bo.id not in follower_ids(item_id)
    assert client.post(link, data=ONE_CLICK, csrf=False).status_code == 200  # twice: same
    smtp.messages.clear()
    ana_client = client_for(db.session.get(Message, message_id).author)
    ana_client.post(f"/projects/{project.id}/messages/{message_id}/comments",
                    data={"body": "Anyone?"})
    deliver(app)
    assert smtp.to("bo@example.org") == []


def test_forged_altered_and_expired_links_are_refused_with_a_clear_page(
        app, make, client_for, smtp, client):
    _, message_id, bo, email = a_thread_bo_hears_of(app, make, client_for, smtp)
    item_id = db.session.get(Message, message_id).item_id
    token = email["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
    with app.test_request_context():
        old = stop_token(bo.id, item_id, now=utcnow() - timedelta(days=STOP_FOLLOWING_DAYS + 1))
    altered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    for bad in ("not-a-token", altered, old):
        answer = client.post(f"/stop-following/{bad}", data=ONE_CLICK, csrf=False)
        assert answer.status_code == 400, bad
        assert "This link does not work" in answer.text
    assert bo.id in follower_ids(item_id)


def test_a_token_of_another_purpose_is_not_a_stop_link(app, make, client):
    """Signed with the same secret but another salt (the CSRF tokens'): refused."""
    csrf_token = client.csrf_token()
    answer = client.post(f"/stop-following/{csrf_token}", data=ONE_CLICK, csrf=False)
    assert answer.status_code == 400


def test_a_recaps_one_click_link_stops_following_every_thread_it_shows(
        app, make, client_for, smtp, client):
    from workspace.notifications.delivery import send_due_recaps
    from workspace.notifications.models import DeliverySettings

    ana = make.user("Ana", email="ana@example.org")
    bo = make.user("Bo", email="bo@example.org")
    project = make.project(owner=ana, members=(bo,))
    db.session.add(DeliverySettings(user_id=bo.id, schedule="hourly", recap_hour=17,
                                    work_days=""))
    db.session.commit()
    ids = [post(client_for(ana), project, title=title, notify=[bo.id])
           for title in ("First", "Second")]
    with app.test_request_context():
        assert len(send_due_recaps(utcnow() + timedelta(minutes=1))) == 1
        deliver_queued(utcnow() + timedelta(minutes=2))
    [recap] = smtp.to("bo@example.org")
    assert recap["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "Stop following all of these threads" in parts(recap)["text/plain"]
    done = client.post(recap["List-Unsubscribe"].strip("<>"), data=ONE_CLICK, csrf=False)
    assert "You no longer follow these 2 threads" in done.text
    items = [db.session.get(Message, message_id).item_id for message_id in ids]
    assert all(bo.id not in follower_ids(item_id) for item_id in items)
