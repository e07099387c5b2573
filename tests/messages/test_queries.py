"""Pages run the same number of SQL queries whatever the project's size."""

from tests.conftest import count_queries
from workspace.activity.models import Event
from workspace.comments.models import Comment
from workspace.extensions import db
from workspace.messages.models import Message


def fill(project, author, messages: int, comments_each: int) -> Message:
    rows = [Message(project_id=project.id, author=author, title=f"M{n}", body="b",
                    body_html="<p>b</p>", comments_count=comments_each,
                    last_commenter=author) for n in range(messages)]
    db.session.add_all(rows)
    db.session.flush()
    db.session.add_all(
        Comment(project_id=project.id, subject_type="message", subject_id=m.id, author=author,
                body="c", body_html="<p>c</p>")
        for m in rows for _ in range(comments_each)
    )
    db.session.add_all(
        Event(project_id=project.id, actor=author, action="created", subject_type="message",
              subject_id=m.id, target_type="message", target_id=m.id, summary=m.title)
        for m in rows
    )
    db.session.commit()
    return rows[0]


def queries_for(client, url: str) -> int:
    with count_queries() as counter:
        assert client.get(url).status_code == 200
    return counter.count


def test_board_overview_and_message_do_not_grow_with_the_project(make, client_for):
    ana, bo = make.user("Ana"), make.user("Bo")
    small = make.project("Small", owner=ana, members=(bo,))
    large = make.project("Large", owner=ana, members=(bo,))
    small_message = fill(small, bo, messages=5, comments_each=2)
    large_message = fill(large, bo, messages=500, comments_each=0)
    busy = Message(project_id=large.id, author=bo, title="Busy", body="b", body_html="b",
                   comments_count=500)
    db.session.add(busy)
    db.session.flush()
    db.session.add_all(Comment(project_id=large.id, subject_type="message", subject_id=busy.id,
                               author=bo, body="c", body_html="c") for _ in range(500))
    db.session.commit()
    client = client_for(ana)
    for path in ("/messages", "", "/messages?page=2"):
        small_count = queries_for(client, f"/projects/{small.id}{path}")
        assert small_count == queries_for(client, f"/projects/{large.id}{path}"), path
        assert small_count <= 12, path
    small_page = queries_for(client, f"/projects/{small.id}/messages/{small_message.id}")
    large_page = queries_for(client, f"/projects/{large.id}/messages/{busy.id}")
    assert small_page == large_page <= 12
    assert large_message.id
