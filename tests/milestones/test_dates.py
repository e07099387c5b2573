"""Lateness is judged on the viewer's own date, and the month calendar."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from babel import Locale

from workspace.extensions import db

from .helpers import add, page, texts, url, zone_today

KIRITIMATI, HONOLULU = "Pacific/Kiritimati", "Pacific/Honolulu"  # UTC+14 and UTC-10


def viewer(make, zone: str, name: str, locale: str | None = None):
    person = make.user(name)
    person.timezone, person.locale = zone, locale
    db.session.commit()
    return person


def late_on_pages(client, milestone) -> dict[str, bool]:
    """Whether each page that shows the milestone calls it late."""
    project = f"/projects/{milestone.project_id}"
    index = page(client.get(f"{project}/milestones"))
    show = page(client.get(url(milestone)))
    overview = page(client.get(project))
    calendar = page(client.get(
        f"{project}/milestones/calendar?month={milestone.due_on:%Y-%m}"))
    return {
        "index": bool(index.xpath("//section[h2='Late']//li")),
        "show": "late" in texts(show.xpath("//h1//span")),
        "overview": "late" in texts(overview.xpath(
            "//section[@aria-labelledby='milestones-heading']//li//span")),
        "calendar": "late" in texts(calendar.xpath("//table[@class='calendar']"
                                                   "//a[contains(@class, ' late')]/span")),
    }


def test_due_yesterday_for_one_viewer_is_due_today_for_another(make, client_for):
    """Honolulu is exactly one day behind Kiritimati, whatever the time: the same date is
    Honolulu's today and Kiritimati's yesterday."""
    ana = make.user("Ana")
    project = make.project(owner=ana)
    east, west = viewer(make, KIRITIMATI, "East"), viewer(make, HONOLULU, "West")
    for person in (east, west):
        make.join(project, person, "member")
    milestone = add(project, ana, "Ship", date(2000, 1, 1))
    for _attempt in range(3):
        due = zone_today(HONOLULU)
        assert zone_today(KIRITIMATI) == due + timedelta(days=1)
        milestone.due_on = due
        db.session.commit()
        seen_east, seen_west = late_on_pages(client_for(east), milestone), late_on_pages(
            client_for(west), milestone)
        if zone_today(HONOLULU) == due:  # the day did not turn during the requests
            break
    assert seen_east == dict.fromkeys(seen_east, True)
    assert seen_west == dict.fromkeys(seen_west, False)


class FrozenClock(datetime):
    instant = datetime(2026, 6, 15, 9, 59, 59, tzinfo=UTC)

    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return cls.instant.astimezone(tz)


@pytest.mark.parametrize(("instant", "late_for"), [
    # 23:59:59 on 15 June in Kiritimati: the day due is not over anywhere.
    (datetime(2026, 6, 15, 9, 59, 59, tzinfo=UTC), set()),
    # Midnight in Kiritimati: 15 June has passed there, and only there.
    (datetime(2026, 6, 15, 10, 0, 0, tzinfo=UTC), {KIRITIMATI}),
    # Midnight UTC: late in UTC too, but still 15 June in Honolulu until 10:00 UTC.
    (datetime(2026, 6, 16, 0, 0, 0, tzinfo=UTC), {KIRITIMATI, "UTC"}),
    (datetime(2026, 6, 16, 9, 59, 59, tzinfo=UTC), {KIRITIMATI, "UTC"}),
    (datetime(2026, 6, 16, 10, 0, 0, tzinfo=UTC), {KIRITIMATI, "UTC", HONOLULU}),
])
def test_due_today_in_utc_is_late_only_once_the_viewers_day_has_passed(
        make, client_for, monkeypatch, instant, late_for):
    monkeypatch.setattr(FrozenClock, "instant", instant)
    monkeypatch.setattr("workspace.i18n.datetime", FrozenClock)
    ana = make.user("Ana")
    project = make.project(owner=ana)
    milestone = add(project, ana, "Launch", date(2026, 6, 15))  # "today" in UTC at 09:59:59
    for zone in (KIRITIMATI, "UTC", HONOLULU):
        person = viewer(make, zone, f"In {zone}")
        make.join(project, person, "client")
        seen = late_on_pages(client_for(person), milestone)
        expected = zone in late_for
        assert seen == dict.fromkeys(seen, expected), (zone, instant)


def test_a_completed_milestone_is_never_late(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    milestone = add(project, ana, "Old", zone_today("UTC") - timedelta(days=40),
                    completed_at=datetime.now(UTC))
    seen = late_on_pages(client_for(ana), milestone)
    assert seen == dict.fromkeys(seen, False)


# -- calendar ---------------------------------------------------------------------------------

def cell(tree, day: date):
    found = tree.xpath(f"//table[@class='calendar']//td[.//time[@datetime='{day}']]")
    assert len(found) == 1, day
    return found[0]


def calendar(client, project, month: str | None = None):
    query = f"?month={month}" if month is not None else ""
    return client.get(f"/projects/{project.id}/milestones/calendar{query}")


def test_the_calendar_puts_milestones_in_their_days_across_month_edges(make, client_for):
    ana = make.user("Ana")  # English without a territory: babel starts weeks on Monday
    project = make.project(owner=ana)
    add(project, ana, "End of April", date(2027, 4, 30))
    add(project, ana, "First of May", date(2027, 5, 1))
    add(project, ana, "Last of March", date(2027, 3, 31))
    add(project, ana, "Before the grid", date(2027, 3, 28))
    add(project, ana, "After the grid", date(2027, 5, 3))
    response = calendar(client_for(ana), project, "2027-04")
    assert response.status_code == 200
    tree = page(response)
    table = tree.xpath("//table[@class='calendar']")[0]
    assert texts(table.xpath("./caption")) == ["April 2027"]
    headers = table.xpath("./thead/tr/th")
    assert [h.get("scope") for h in headers] == ["col"] * 7
    assert [h.xpath("./abbr/@title")[0] for h in headers] == [
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    weeks = table.xpath("./tbody/tr")
    assert len(weeks) == 5 and all(len(week.xpath("./td")) == 7 for week in weeks)
    assert weeks[0].xpath("./td[1]//time/@datetime") == ["2027-03-29"]
    assert weeks[-1].xpath("./td[7]//time/@datetime") == ["2027-05-02"]

    assert texts(cell(tree, date(2027, 4, 30)).xpath(".//a")) == ["Milestone: ◆ End of April"]
    assert texts(weeks[-1].xpath("./td[5]//a")) == ["Milestone: ◆ End of April"]  # a Friday
    # Days of the neighbouring months fill the first and last weeks, with their milestones.
    may = cell(tree, date(2027, 5, 1))
    assert "other-month" in may.get("class")
    assert texts(may.xpath(".//a")) == ["Milestone: ◆ First of May"]
    assert texts(cell(tree, date(2027, 3, 31)).xpath(".//a")) == ["Milestone: ◆ Last of March"]
    assert "other-month" not in (cell(tree, date(2027, 4, 1)).get("class") or "")
    assert not cell(tree, date(2027, 4, 29)).xpath(".//a")
    html = response.get_data(as_text=True)
    assert "Before the grid" not in html and "After the grid" not in html

    links = {a.get("rel"): a.get("href") for a in tree.xpath("//nav//a[@rel]")}
    assert links["prev"].endswith("/calendar?month=2027-03")
    assert links["next"].endswith("/calendar?month=2027-05")


def test_weeks_start_on_the_locales_first_day(make, client_for, monkeypatch):
    monkeypatch.setattr("workspace.schedule.views.get_locale", lambda: Locale("en", "US"))
    ana = make.user("Ana")
    project = make.project(owner=ana)
    tree = page(calendar(client_for(ana), project, "2027-04"))
    table = tree.xpath("//table[@class='calendar']")[0]
    assert table.xpath("./thead/tr/th[1]/abbr/@title") == ["Sunday"]
    weeks = table.xpath("./tbody/tr")
    assert weeks[0].xpath("./td[1]//time/@datetime") == ["2027-03-28"]
    assert weeks[-1].xpath("./td[7]//time/@datetime") == ["2027-05-01"]


@pytest.mark.parametrize(("month", "previous", "following"), [
    ("2026-12", "2026-11", "2027-01"),
    ("2027-01", "2026-12", "2027-02"),
    ("2024-02", "2024-01", "2024-03"),
])
def test_previous_and_next_cross_the_year(make, client_for, month, previous, following):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    tree = page(calendar(client_for(ana), project, month))
    links = {a.get("rel"): a.get("href") for a in tree.xpath("//nav//a[@rel]")}
    assert links["prev"].endswith(f"month={previous}")
    assert links["next"].endswith(f"month={following}")


def test_french_weeks_start_on_monday(make, client_for):
    ana = viewer(make, "Europe/Paris", "Ana", locale="fr")
    project = make.project(owner=ana)
    add(project, ana, "Fin février", date(2027, 2, 28))
    tree = page(calendar(client_for(ana), project, "2027-02"))
    table = tree.xpath("//table[@class='calendar']")[0]
    assert table.xpath("./thead/tr/th[1]/abbr/@title") == ["lundi"]
    assert texts(table.xpath("./caption")) == ["février 2027"]
    weeks = table.xpath("./tbody/tr")  # 1 February 2027 is a Monday, the 28th a Sunday
    assert len(weeks) == 4
    assert weeks[0].xpath("./td[1]//time/@datetime") == ["2027-02-01"]
    assert texts(weeks[-1].xpath("./td[7]//a")) == ["Jalon: ◆ Fin février"]


def test_the_calendar_opens_on_the_viewers_month_and_marks_today(make, client_for):
    ana = viewer(make, KIRITIMATI, "Ana")
    project = make.project(owner=ana)
    for _attempt in range(3):
        today = datetime.now(ZoneInfo(KIRITIMATI)).date()
        tree = page(calendar(client_for(ana), project))
        if datetime.now(ZoneInfo(KIRITIMATI)).date() == today:
            break
    assert "today" in cell(tree, today).get("class")
    assert texts(tree.xpath("//caption")) == [f"{today:%B %Y}"]
    assert "Today" in cell(tree, today).text_content()
    assert len(tree.xpath("//td[contains(concat(' ', @class, ' '), ' today ')]")) == 1


def test_late_and_completed_are_said_in_words_on_the_calendar(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    today = zone_today("UTC")
    add(project, ana, "Overdue", today.replace(day=1) - timedelta(days=1))
    add(project, ana, "Done", today.replace(day=1) - timedelta(days=1),
        completed_at=datetime.now(UTC))
    month = (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")
    tree = page(calendar(client_for(ana), project, month))
    items = {texts([a])[0] for a in tree.xpath("//a[contains(@class, 'calendar-item')]")}
    assert items == {"Milestone: ◆ Overdue late", "Milestone: ◆ Done ✓ completed"}


@pytest.mark.parametrize("month", [
    "2026-13", "2026-00", "2026-1", "26-01", "abc", "2026-01-01", "2026/01", "0001-01",
    "9999-12", "٢٠٢٦-١٢", " 2026-01", "+2026-01",
])
def test_an_invalid_month_is_a_bad_request(make, client_for, month):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    response = calendar(client_for(ana), project, month)
    assert response.status_code == 400
    assert "Give the month as YYYY-MM" in response.get_data(as_text=True)


def test_a_crowded_day_shows_five_milestones_and_leads_to_its_own_page(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    for n in range(8):
        add(project, ana, f"Gate {n}", date(2027, 4, 14))
    tree = page(calendar(client_for(ana), project, "2027-04"))
    day = cell(tree, date(2027, 4, 14))
    assert len(day.xpath(".//a[contains(@class, 'calendar-item')]")) == 5
    [more] = day.xpath(".//a[@class='calendar-more']/@href")
    assert more.endswith(f"/projects/{project.id}/milestones/calendar?day=2027-04-14")
    own = page(client_for(ana).get(more))
    assert len(own.xpath("//main//a[contains(@class, 'schedule-milestone')]")) == 8
    assert texts(own.xpath("//nav[@class='tabs']//a[@aria-current='page']")) == [
        "Milestones"]
