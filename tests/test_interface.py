"""What every page shares: the private mark, dates in one short and one long format per
language, and the signed-in browsers by name (issue 20)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from flask_babel import force_locale

from tests.messages.helpers import posted
from tests.todos.helpers import add, added, new_list
from workspace.auth.operations import open_session
from workspace.extensions import db
from workspace.i18n import date_filter, datetime_filter

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


@pytest.mark.parametrize("language, open_word, done_word", [("en", "To do", "Done"),
                                                          ("fr", "À faire", "Fait")])
def test_a_client_sees_states_in_words_and_their_own_list_first(make, client_for, language,
                                                                open_word, done_word):
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project("Launch", owner=ana, clients=(cy,))
    team = client_for(ana)
    read_only = new_list(team, project, "Team plan")
    add(team, read_only, "Book the hall")
    done = added(team, read_only, "Print flyers")
    team.post(f"/projects/{project.id}/todos/{done.id}/complete")
    theirs = new_list(team, project, "Client checks", clients_can_complete="y")
    add(team, theirs, "Approve the logo")
    cy.locale = language
    db.session.commit()
    page = client_for(cy).get(f"/projects/{project.id}/todolists").data.decode()
    assert page.index("Client checks") < page.index("Team plan")
    read_only_part = section(page, read_only.id)
    assert 'class="check' not in read_only_part and 'type="checkbox"' not in read_only_part
    assert f'<span class="state">{open_word}</span>' in read_only_part
    assert 'class="check' in section(page, theirs.id)
    own_page = client_for(cy).get(f"/projects/{project.id}/todolists/{read_only.id}").text
    assert 'class="check' not in own_page.split('id="list-', 1)[1]
    assert f'<span class="state state-done">{done_word}</span>' in own_page
    overview = client_for(cy).get(f"/projects/{project.id}").data.decode()
    assert overview.index("Client checks") < overview.index("Team plan")


def section(page: str, list_id: int) -> str:
    start = page.index(f'id="list-{list_id}"')
    return page[start:page.index("</section>", start)]


TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
DATE_FILTER = re.compile(r"\|\s*(date_format|datetime)\b(?:\(\s*['\"]?([^'\")]*)['\"]?\s*\))?")


def test_every_template_names_one_of_the_formats_never_a_pattern():
    used = {(match[1], match[2] or "short") for path in TEMPLATES.rglob("*.html")
            for match in DATE_FILTER.finditer(path.read_text())}
    assert used, "the templates write dates through the filters"
    allowed = {"short", "long", "month", "weekday", "weekday_short"}
    assert {name for _, name in used} <= allowed, used


@pytest.mark.parametrize("language, short, long, moment, long_moment", [
    ("en", "Jan 10, 2031", "Friday, January 10, 2031", "Jan 10, 2031, 3:04 PM",
     "Friday, January 10, 2031 at 3:04 PM"),
    ("fr", "10 janv. 2031", "vendredi 10 janvier 2031", "10 janv. 2031, 15:04",
     "vendredi 10 janvier 2031 à 15:04"),
])
def test_one_short_and_one_long_format_per_language(app, language, short, long, moment,
                                                    long_moment):
    when = datetime(2031, 1, 10, 15, 4)
    with app.test_request_context(), force_locale(language):
        assert (date_filter(when.date()), date_filter(when.date(), "long")) == (short, long)
        assert (datetime_filter(when), datetime_filter(when, "long")) == (moment, long_moment)
        with pytest.raises(ValueError, match="unknown date format"):
            date_filter(when.date(), "medium")


def test_pages_write_dates_the_short_way(make, client_for):
    ana = make.user("Ana")
    project = make.project("Launch", owner=ana)
    team = client_for(ana)
    message = posted(team, project, title="Budget")
    message.created_at = datetime(2031, 1, 10, 15, 4, tzinfo=UTC)
    db.session.commit()
    board = team.get(f"/projects/{project.id}/messages").data.decode()
    assert "Jan 10, 2031, 3:04 PM" in board
    thread = team.get(f"/projects/{project.id}/messages/{message.id}").data.decode()
    assert "Friday, January 10, 2031 at 3:04 PM" in thread


FIREFOX_ON_LINUX = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0"
SAFARI_ON_IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15"
                    " (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1")


@pytest.mark.parametrize("language, firefox, safari, unknown", [
    ("en", "Firefox on Linux", "Safari on iOS", "Unknown browser"),
    ("fr", "Firefox sous Linux", "Safari sous iOS", "Navigateur inconnu"),
])
def test_signed_in_browsers_are_named_not_raw(make, client_for, language, firefox, safari,
                                             unknown):
    ana = make.user("Ana")
    ana.locale = language
    db.session.commit()
    for user_agent in (FIREFOX_ON_LINUX, SAFARI_ON_IPHONE, "curl/8.5.0"):
        open_session(ana, user_agent)
    page = client_for(ana).get("/settings/sessions").data.decode()
    names = re.findall(r'<li><span title="[^"]*">([^<]*)</span>', page)
    assert sorted(names) == sorted([firefox, safari, "curl", unknown])
