"""Searching the index: one interface, the database's own full-text search behind it.

`search()` answers a page of hits in two SQL queries (the page, and the count), whatever the
size of the index: both apply the same visibility rules (`access.restrict_to_visible`), so a
count never tells of an item its reader may not see.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import ColumnElement, Select, func, literal_column, select, table, text
from sqlalchemy.orm import aliased

from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.access import restrict_to_visible, visible_projects, visible_to
from workspace.projects.models import Membership, Project
from workspace.search.models import SearchEntry
from workspace.search.query import SearchQuery

PER_PAGE = 20
MAX_PAGE = 500


@dataclass(frozen=True)
class Filters:
    kinds: tuple[str, ...] = ()
    project_id: int | None = None
    author_id: int | None = None
    since: date | None = None
    until: date | None = None


@dataclass(frozen=True)
class Hit:
    entry: SearchEntry
    project_name: str
    author_name: str | None


@dataclass(frozen=True)
class ResultPage:
    hits: list[Hit]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.per_page))

    @property
    def has_prev(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.pages


class Backend:
    """What differs between databases: how a query matches entries, and how well."""

    def prepare(self) -> None:
        """Anything the database needs before the search's queries."""

    def match(self, query: Select, parsed: SearchQuery) -> Select:
        raise NotImplementedError

    def ranked(self, query: Select, parsed: SearchQuery,
               filters: Filters) -> tuple[Select, ColumnElement[Any]]:
        """`query` limited to the matches, and their score: lower is more relevant. `filters`
        may spare work; the caller applies them all the same."""
        raise NotImplementedError


class SQLiteBackend(Backend):
    """FTS5 must run its query once, never once per candidate row: given a project or a
    person, SQLite's planner would otherwise start from the entries and probe the full-text
    index row by row (19 s instead of 100 ms for a prefix in a 3,500-entry project)."""

    def matches(self, parsed: SearchQuery, *columns: str) -> Select:
        return (select(*(literal_column(column) for column in columns))
                .select_from(table("search_fts"))
                .where(literal_column("search_fts").op("MATCH")(parsed.to_fts5())))

    def match(self, query: Select, parsed: SearchQuery) -> Select:
        return query.where(SearchEntry.id.in_(self.matches(parsed, "rowid")))

    def ranked(self, query: Select, parsed: SearchQuery,
               filters: Filters) -> tuple[Select, ColumnElement[Any]]:
        hits = self.matches(parsed, "rowid", "rank")
        candidates = self.candidates(filters)
        if candidates is not None:
            # `+` keeps the test away from FTS5, which would run its query once per candidate;
            # SQLite checks it on each match instead, before asking for the match's rank.
            hits = hits.where(literal_column("+rowid").in_(candidates))
        hits = hits.cte("fts_hits").prefix_with("MATERIALIZED")
        return query.join(hits, hits.c.rowid == SearchEntry.id), hits.c.rank

    def candidates(self, filters: Filters) -> Select | None:
        """The entries of the chosen project or person, read through an index. Ranking (bm25)
        is most of a search's cost: a prefix in one project ranked all 12,000 site-wide
        matches on the large demo data set to keep 250 (21 ms; 4 ms when only these). The
        scores stay those of the whole index; a project column in `search_fts` would find
        them faster still, but it would lengthen every row and so change bm25's order."""
        conditions = []
        if filters.project_id is not None:
            conditions.append(SearchEntry.project_id == filters.project_id)
        if filters.author_id is not None:
            conditions.append(SearchEntry.author_id == filters.author_id)
        return select(SearchEntry.id).where(*conditions) if conditions else None


class PostgreSQLBackend(Backend):
    terms = literal_column("search_entries.terms_tsv")
    words = literal_column("search_entries.words_tsv")

    def prepare(self) -> None:
        """With the default cost of a random read (4, for spinning disks), the planner reads
        the whole table rather than the GIN index for a word in a few percent of the entries:
        5 times slower on the benchmark. 1.1 suits SSDs and cached data; only for the rest of
        this transaction, a read-only search."""
        db.session.execute(text("SET LOCAL random_page_cost = 1.1"))

    def match(self, query: Select, parsed: SearchQuery) -> Select:
        for column, tsquery in self.parts(parsed):
            query = query.where(column.op("@@")(tsquery))
        return query

    def ranked(self, query: Select, parsed: SearchQuery,
               filters: Filters) -> tuple[Select, ColumnElement[Any]]:
        ranks = [func.ts_rank(column, tsquery) for column, tsquery in self.parts(parsed)]
        return self.match(query, parsed), -sum(ranks[1:], ranks[0])

    def parts(self, parsed: SearchQuery) -> list[tuple[Any, Any]]:
        on_terms, on_words = parsed.to_tsqueries()
        return [(column, func.to_tsquery("simple", source))
                for column, source in ((self.terms, on_terms), (self.words, on_words)) if source]


def backend() -> Backend:
    """Chosen from the database URL's dialect."""
    return PostgreSQLBackend() if db.engine.dialect.name == "postgresql" else SQLiteBackend()


def filtered(query: Select, user: User, filters: Filters) -> Select:
    """`query` restricted to what `user` may see and to the filters. In one project, SQLite
    reads that project's entries and checks each against the matches; across projects it
    reads the matches and checks each against the person's projects (given a join instead,
    it would read every entry of every project)."""
    if filters.project_id is None:
        query = query.where(visible_to(user, SearchEntry))
    else:
        query = restrict_to_visible(query, user, SearchEntry)
    if filters.kinds:
        query = query.where(SearchEntry.kind.in_(filters.kinds))
    if filters.project_id is not None:
        query = query.where(SearchEntry.project_id == filters.project_id)
    if filters.author_id is not None:
        query = query.where(SearchEntry.author_id == filters.author_id)
    if filters.since is not None:
        query = query.where(SearchEntry.created_at >= day_start(filters.since, user))
    if filters.until is not None:
        next_day = filters.until + timedelta(days=1)
        query = query.where(SearchEntry.created_at < day_start(next_day, user))
    return query


def day_start(day: date, user: User) -> datetime:
    """Midnight of `day` where `user` lives: dates are the reader's, as on every page."""
    try:
        zone: tzinfo = ZoneInfo(user.timezone)
    except (ValueError, ZoneInfoNotFoundError):
        zone = UTC
    return datetime.combine(day, time.min, tzinfo=zone)


def search(user: User, parsed: SearchQuery, filters: Filters, page: int = 1) -> ResultPage:
    """The hits `user` may see for `parsed`, by relevance then newest first."""
    page = min(max(page, 1), MAX_PAGE)
    if parsed.is_empty:
        return ResultPage([], 0, 1)
    engine = backend()
    engine.prepare()
    matched = filtered(engine.match(select(SearchEntry.id), parsed), user, filters)
    total = db.session.scalar(select(func.count()).select_from(matched.subquery())) or 0
    page = min(page, max(1, math.ceil(total / PER_PAGE)))  # past the end: the last page
    hits, score = engine.ranked(select(SearchEntry.id).select_from(SearchEntry), parsed,
                                 filters)
    order = (score, SearchEntry.updated_at.desc(), SearchEntry.id.desc())
    # The page's ids first, sorting only them: the entries' texts, projects and authors are
    # read for twenty hits, not for every match.
    page_of_hits = (filtered(hits.add_columns(score.label("score")), user, filters)
                    .order_by(*order).limit(PER_PAGE).offset((page - 1) * PER_PAGE).subquery())
    author = aliased(User)
    rows = db.session.execute(
        select(SearchEntry, Project.name, author.name)
        .join(page_of_hits, page_of_hits.c.id == SearchEntry.id)
        .join(Project, Project.id == SearchEntry.project_id)
        .outerjoin(author, author.id == SearchEntry.author_id)
        .order_by(page_of_hits.c.score, SearchEntry.updated_at.desc(), SearchEntry.id.desc())
    ).all()
    return ResultPage([Hit(entry, project, name) for entry, project, name in rows], total, page)


def project_choices(user: User) -> list[tuple[int, str]]:
    """The projects `user` may search, by name, for the filter."""
    rows = db.session.execute(
        visible_projects(user).with_only_columns(Project.id, Project.name).order_by(Project.name)
    )
    return [(project_id, name) for project_id, name in rows]


def people_choices(user: User, project_id: int | None) -> list[tuple[int, str]]:
    """The people of the projects `user` may search (of one project when given), by name."""
    projects = visible_projects(user).with_only_columns(Project.id)
    if project_id is not None:
        projects = projects.where(Project.id == project_id)
    members = select(Membership.user_id).where(Membership.project_id.in_(projects))
    rows = db.session.execute(
        select(User.id, User.name).where(User.id.in_(members)).order_by(User.name, User.id)
    )
    return [(person_id, name) for person_id, name in rows]
