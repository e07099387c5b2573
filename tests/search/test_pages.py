"""The search pages: the header box, filters, pages of results, errors in plain words."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update

from tests.search.helpers import build_world, shown_count
from workspace.extensions import db
from workspace.messages.operations import post_message
from workspace.projects.access import project_access
from workspace.search.models import SearchEntry
from workspace.types import utcnow


def test_the_header_box_searches_the_current_project_first(make, client_for):
    world = build_world(make)
    client = client_for(world.member)
    assert 'action="/search"' in client.get("/").text
    overview = client.get(f"/projects/{world.project.id}").text
    assert f'action="/projects/{world.project.id}/search"' in overview
    page = client.get(f"/projects/{world.project.id}/search?q=pubmessage").text
    assert "Search in Launch" in page and 'href="/search?q=pubmessage"' in page
    assert f'href="/projects/{world.project.id}/messages/' in page


def test_a_hit_shows_its_project_type_author_and_a_marked_excerpt(make, client_for):
    world = build_world(make)
    page = client_for(world.client).get("/search?q=pubcomment").text
    assert "Comment on Title pub" in page
    assert "Comment · Launch · Cleo" in page
    assert "<mark>pubcomment</mark> shared" in page
    assert "#comment-" in page


def test_filters_by_type_project_person_and_dates(make, client_for):
    world = build_world(make)
    other = make.project("Other", owner=world.owner)
    post_message(project_access(other.id, user=world.owner), title="Elsewhere",
                 body="shared", private=False, notify=())
    client = client_for(world.owner)

    def count(**args: object) -> str:
        return shown_count(client, "shared", **args)

    assert count() == "16"
    assert count(type="comment") == "6"
    assert count(type="todo") == "2"
    assert count(project=other.id) == "1"
    assert count(person=world.member.id) == "1"  # the one comment Max wrote
    today = utcnow().date()
    assert count(**{"from": today.isoformat(), "to": today.isoformat()}) == "16"
    assert count(**{"from": (today + timedelta(days=1)).isoformat()}) == "0"
    db.session.execute(update(SearchEntry).values(created_at=utcnow() - timedelta(days=40)))
    db.session.commit()
    assert count(**{"from": (today - timedelta(days=7)).isoformat()}) == "0"
    assert count(type="nonsense", project="x", person="-1") == "16"  # ignored, not an error


def test_a_wrong_date_is_explained(make, client_for):
    world = build_world(make)
    client = client_for(world.owner)
    response = client.get("/search?q=shared&from=tomorrow")
    assert response.status_code == 400 and "is not a date" in response.text
    response = client.get("/search?q=shared&from=2026-03-02&to=2026-03-01")
    assert response.status_code == 400
    assert "The end of the period comes before its start." in response.text


def test_results_come_in_pages(make, client_for):
    ana = make.user("Ana")
    project = make.project("Many", owner=ana)
    access = project_access(project.id, user=ana)
    for i in range(25):
        post_message(access, title=f"Report {i}", body="weekly report", private=False, notify=())
    client = client_for(ana)
    first = client.get("/search?q=report&type=message").text
    assert "25 results" in first and first.count('class="search-result"') == 20
    assert 'href="/search?q=report&amp;type=message&amp;page=2"' in first
    second = client.get("/search?q=report&type=message&page=2").text
    assert second.count('class="search-result"') == 5 and 'rel="prev"' in second
    for page in ("999999", "9" * 30, "-5", "two"):
        assert client.get(f"/search?q=report&page={page}").status_code == 200
    past_the_end = client.get("/search?q=report&type=message&page=7").text
    assert past_the_end.count('class="search-result"') == 5 and 'rel="next"' not in past_the_end


def test_empty_and_wordless_queries(make, client_for):
    ana = make.user("Ana")
    client = client_for(ana)
    assert "result" not in client.get("/search").text
    page = client.get("/search?q=%22*%22").text
    assert "Type at least one word or number to search for." in page


def test_a_search_that_finds_nothing_says_what_to_try(make, client_for):
    world = build_world(make)
    page = client_for(world.member).get("/search?q=nowhereword").text
    assert "0 results" in page and 'class="search-result"' not in page
    assert "Nothing found. Try fewer words, another form of a word, or fewer filters." in page
    world.member.locale = "fr"
    db.session.commit()
    page = client_for(world.member).get("/search?q=nowhereword").text
    assert "Rien trouvé." in page


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/search?q=x")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_french_search_page(make, client_for):
    world = build_world(make)
    world.client.locale = "fr"
    db.session.commit()
    page = client_for(world.client).get("/search?q=pubcomment").text
    assert "Rechercher" in page and "1 résultat" in page and "Commentaire sur Title pub" in page


def test_dates_are_the_reader_s_days(make, client_for):
    ana = make.user("Ana")
    ana.timezone = "Pacific/Auckland"  # UTC+13 in November: their day starts 13 h earlier
    project = make.project("Zones", owner=ana)
    post_message(project_access(project.id, user=ana), title="Late", body="zoned",
                 private=False, notify=())
    written = utcnow().replace(hour=12, minute=0)  # noon UTC: already tomorrow in Auckland
    db.session.execute(update(SearchEntry).values(created_at=written))
    db.session.commit()
    client = client_for(ana)
    utc_day, local_day = written.date(), (written + timedelta(hours=13)).date()

    def count(day: object) -> str:
        return shown_count(client, "zoned", **{"from": str(day), "to": str(day)})

    assert (count(local_day), count(utc_day)) == ("1", "0")
