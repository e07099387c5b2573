"""What a query means: words in any inflection and without accents, phrases, prefixes; and
whatever is typed, a clean answer."""

from __future__ import annotations

from itertools import product

import pytest
from sqlalchemy import event

from tests.conftest import count_queries
from tests.search.helpers import build_world, found
from workspace.extensions import db
from workspace.messages.operations import post_message
from workspace.projects.access import project_access
from workspace.search.excerpts import excerpt
from workspace.search.query import ClauseKind, matcher, parse


@pytest.fixture
def team(make):  # type: ignore[no-untyped-def]
    ana, cy = make.user("Ana"), make.user("Cy")
    project = make.project("Lancement", owner=ana, clients=(cy,))
    access = project_access(project.id, user=ana)

    def post(title: str, body: str, private: bool = False) -> None:
        post_message(access, title=title, body=body, private=private, notify=())

    post("Échéance du devis", "Les livraisons arrivent lundi.")
    post("Launch plan", "We launched the launchpad; shipping the plan on Friday.")
    post("Plan the ship", "Ship it.")
    return ana, cy, project


def titles(user, query: str) -> set[str]:  # type: ignore[no-untyped-def]
    from workspace.search.queries import Filters, search

    return {hit.entry.title for hit in search(user, parse(query), Filters()).hits}


def test_accents_are_folded_both_ways(team):
    ana, _, _ = team
    for query in ("echeance", "ÉCHÉANCE", "échéances", "Echeances"):
        assert titles(ana, query) == {"Échéance du devis"}, query


def test_english_and_french_words_match_their_inflections(team):
    ana, _, _ = team
    assert titles(ana, "launches") == {"Launch plan"}
    assert titles(ana, "launching") == {"Launch plan"}
    assert titles(ana, "livraison") == {"Échéance du devis"}
    assert titles(ana, "arrive") == {"Échéance du devis"}
    assert titles(ana, "plans") == {"Launch plan", "Plan the ship"}


def test_every_word_must_appear(team):
    ana, _, _ = team
    assert titles(ana, "plan friday") == {"Launch plan"}
    assert titles(ana, "plan lundi") == set()


def test_quoted_phrases_keep_their_order(team):
    ana, _, _ = team
    assert titles(ana, '"shipping the plan"') == {"Launch plan"}
    assert titles(ana, '"plan the shipping"') == set()
    assert titles(ana, '"plan the ship"') == {"Plan the ship"}


def test_a_star_matches_the_start_of_words(team):
    ana, _, _ = team
    assert titles(ana, "launchp*") == {"Launch plan"}
    assert titles(ana, "laun*") == {"Launch plan"}
    assert titles(ana, "ech*") == {"Échéance du devis"}
    assert titles(ana, "launchp") == set()


def test_hits_are_ranked_by_relevance_then_recency(team):
    ana, _, _ = team
    from workspace.search.queries import Filters, search

    hits = search(ana, parse("ship"), Filters()).hits
    assert [hit.entry.title for hit in hits] == ["Plan the ship", "Launch plan"]


HOSTILE = [
    '"', '""', '"unclosed phrase', "*", "**", "a*", "NEAR", "NEAR(plan ship, 2)", "-plan",
    "plan -ship", "(", ")", "(plan OR ship)", "plan AND", "OR", "' OR 1=1 --",
    "'; DROP TABLE search_entries; --", "terms:plan", "words : plan", "{terms}: plan", "^plan",
    "plan:*", "plan & ship | !x", "<-> plan", "\\", "%", "_", "\x00", "🚀 launch", "plan" * 2000,
    "word " * 1000, "", "   ",
]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_any_input_answers_cleanly(team, client_for):
    """Parsed here; the same SearchQuery reaches both backends (run on both just below)."""
    ana, _, project = team
    client = client_for(ana)
    for query in HOSTILE:
        for url in ("/search", f"/projects/{project.id}/search"):
            response = client.get(url, query_string={"q": query})
            assert response.status_code == 200, (query, response.status_code)


def test_hostile_queries_reach_the_database_safely(team):
    ana, _, _ = team
    for query in HOSTILE:
        titles(ana, query)  # raises on any database error
    assert titles(ana, "' OR 1=1 --") == set()
    assert titles(ana, "NEAR(plan ship)") == {"Launch plan", "Plan the ship"}


def test_operators_and_punctuation_are_not_syntax():
    parsed = parse('NEAR(plan ship) -x "a b" c* AND do* near')
    assert [(c.kind, c.tokens) for c in parsed.clauses] == [
        (ClauseKind.WORD, ("plan",)), (ClauseKind.WORD, ("ship",)), (ClauseKind.WORD, ("x",)),
        (ClauseKind.PHRASE, ("a", "b")), (ClauseKind.WORD, ("c",)),  # prefixes: 2 letters
        (ClauseKind.PREFIX, ("do",)), (ClauseKind.WORD, ("near",)),  # lower case: a word
    ]
    assert parsed.to_fts5().count('"') == 2 * len(parsed.clauses)


def test_very_long_queries_are_cut():
    assert len(parse("word " * 10_000).clauses) == 1
    assert len(parse(" ".join(f"w{i}" for i in range(100))).clauses) == 16


def test_excerpts_escape_the_text_and_mark_the_words():
    matches = matcher(parse("launch"))
    text = "<script>alert(1)</script> " + "filler " * 40 + "We launched it. " + "tail " * 60
    shown = str(excerpt(text, matches))
    assert "<script>" not in shown and "&lt;script&gt;" not in shown  # cut: far from the word
    assert "<mark>launched</mark>" in shown
    assert shown.startswith("… ") and shown.endswith(" …")
    assert str(excerpt("<b>launch</b>", matches)) == "&lt;b&gt;<mark>launch</mark>&lt;/b&gt;"


def test_a_search_page_takes_the_same_queries_for_5_or_50_hits(make, client_for):
    ana = make.user("Ana")
    project = make.project("Many", owner=ana)
    access = project_access(project.id, user=ana)
    client = client_for(ana)

    def queries_for_page() -> int:
        with count_queries() as counter:
            assert client.get("/search?q=report").status_code == 200
        return counter.count

    for i in range(5):
        post_message(access, title=f"Report {i}", body="report", private=False, notify=())
    few = queries_for_page()
    for i in range(45):
        post_message(access, title=f"Report {i}", body="report", private=False, notify=())
    assert queries_for_page() == few <= 8


def test_a_word_in_the_title_weighs_more_than_in_the_text(make):
    ana = make.user("Ana")
    project = make.project("Weights", owner=ana)
    access = project_access(project.id, user=ana)
    post_message(access, title="Invoice for March",
                 body="Paid on time by the customer, thanks to everyone for the quick work.",
                 private=False, notify=())
    post_message(access, title="Newer notes",
                 body="Paid the invoice on time, thanks to everyone for the quick work here.",
                 private=False, notify=())
    assert ordered_titles(ana, "invoice") == ["Invoice for March", "Newer notes"]


def ordered_titles(user, query: str) -> list[str]:  # type: ignore[no-untyped-def]
    from workspace.search.queries import Filters, search

    return [hit.entry.title for hit in search(user, parse(query), Filters()).hits]



@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_runs_the_full_text_query_once_whatever_the_filters(make):
    """Given a project or a person, SQLite's planner would rather start from the entries and
    probe FTS5 once per row (`INDEX 0:=`): 19 s for a prefix on the large demo data set."""
    world = build_world(make)
    filters = [{}, {"project_id": world.project.id}, {"author_id": world.member.id},
               {"project_id": world.project.id, "author_id": world.owner.id}]
    executed: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, *args):  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for query, chosen in product(["shared", "shar*", '"title pub"'], filters):
            found(world.owner, query, **chosen)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    searches = [(s, p) for s, p in executed if "search_fts" in s]
    assert len(searches) == 2 * 3 * len(filters)
    for statement, parameters in searches:
        plan = " | ".join(row[-1] for row in db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters))
        assert "search_fts" in plan and "VIRTUAL TABLE INDEX 0:=" not in plan, plan


def test_a_project_or_a_person_keeps_the_ranking_of_every_project(make):
    """SQLite ranks only the chosen project's or person's matches: their order is the one
    they have among every project's."""
    ana, bo = make.user("Ana"), make.user("Bo")
    texts = ["ship", "ship ship", "ship the boat today", "ship, ship and ship again", "a ship"]
    projects = []
    for name in ("Harbour", "Dock"):
        project = make.project(name, owner=ana, members=(bo,))
        projects.append(project)
        for i, body in enumerate(texts):
            access = project_access(project.id, user=ana if i % 2 else bo)
            post_message(access, title=f"{name} {i}", body=body, private=False, notify=())
    from workspace.search.queries import Filters, search

    def ranked(**filters: object) -> list[str]:
        page = search(ana, parse("ship*"), Filters(**filters))  # type: ignore[arg-type]
        return [hit.entry.title for hit in page.hits]

    everywhere = ranked()
    assert len(everywhere) == 10
    for project in projects:
        for author in (None, ana, bo):
            chosen = ranked(project_id=project.id, author_id=author and author.id)
            assert chosen == [title for title in everywhere if title.startswith(project.name)
                              and (author is None or int(title[-1]) % 2 == (author is ana))]
    assert ranked(author_id=bo.id) == [title for title in everywhere if int(title[-1]) % 2 == 0]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_sqlite_ranks_only_the_chosen_projects_or_persons_matches(make):
    """FTS5 checks each match against the project's or person's entries, read through an
    index, before ranking it: not every match of every project (21 ms instead of 3 for a
    prefix in one project of the large demo data set)."""
    world = build_world(make)
    executed: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, *args):  # type: ignore[no-untyped-def]
        executed.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        for chosen in ({"project_id": world.project.id}, {"author_id": world.member.id}):
            found(world.owner, "shar*", **chosen)
    finally:
        event.remove(db.engine, "before_cursor_execute", record)
    ranking = [(s, p) for s, p in executed if "fts_hits" in s]
    assert len(ranking) == 2
    for statement, parameters in ranking:
        rows = list(db.session.connection().exec_driver_sql(
            f"EXPLAIN QUERY PLAN {statement}", parameters))
        [hits] = [node for node, _, _, detail in rows if detail == "MATERIALIZE fts_hits"]
        within, inside = {hits}, []
        for node, parent, _, detail in rows:
            if parent in within:
                within.add(node)
                inside.append(detail)
        assert any(d.startswith("SEARCH search_entries USING") and "INDEX" in d
                   for d in inside), rows
