"""What every page shares: the private mark, dates in one short and one long format per
language, and the signed-in browsers by name (issue 20)."""

from __future__ import annotations

import io
import re

import pytest

from tests.messages.helpers import posted
from tests.todos.helpers import new_list
from workspace.extensions import db

PRIVATE = {"en": "Private to the team", "fr": "Réservé à l\u2019équipe"}


@pytest.fixture
def private_things(make, client_for):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    team = client_for(ana)
    message = posted(team, project, title="Budget", private="y")
    todo_list = new_list(team, project, "Hiring", private="y")
    upload = team.post(f"/projects/{project.id}/files",
                       data={"files": (io.BytesIO(b"numbers"), "budget.txt"), "private": "y"},
                       content_type="multipart/form-data")
    assert upload.status_code in (201, 302), upload.data
    base = f"/projects/{project.id}"
    pages = [base, f"{base}/messages", f"{base}/messages/{message.id}", f"{base}/todolists",
             f"{base}/todolists/{todo_list.id}", f"{base}/files", "/activity",
             "/search?q=budget"]
    return ana, team, pages


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_private_mark_is_a_drawing_and_words_not_an_emoji(private_things, language):
    ana, team, pages = private_things
    ana.locale = language
    db.session.commit()
    mark = re.compile(r'<span class="private-mark"><svg [^>]*aria-hidden="true"[^>]*>.*?</svg>'
                      + re.escape(PRIVATE[language]) + "</span>")
    for url in pages:
        page = team.get(url).data.decode()
        assert mark.search(page), url
        assert "🔒" not in page, url
