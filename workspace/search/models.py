"""The search index: one entry per searchable item, with what search shows and filters on.

The full-text part is not in the models' metadata, because each database does it its own way:
on SQLite an FTS5 table (`search_fts`) over the entries' `terms` and `words`, kept in step by
triggers; on PostgreSQL two generated `tsvector` columns with GIN indexes. Both are created with
the table (`db.create_all()` and the migration) by `create_full_text`, and `include_object`
keeps Alembic's comparison from seeing them.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DDL, Connection, ForeignKey, Index, String, Table, Text, event
from sqlalchemy.orm import Mapped, mapped_column

from workspace.extensions import db
from workspace.items import item_key
from workspace.types import UTCDateTime

SQLITE_DDL = (
    "CREATE VIRTUAL TABLE search_fts USING fts5(terms, words, content='search_entries', "
    "content_rowid='id', tokenize='unicode61 remove_diacritics 2')",
    "CREATE TRIGGER search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, terms, words) VALUES (new.id, new.terms, new.words); END",
    "CREATE TRIGGER search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms, words) "
    "VALUES ('delete', old.id, old.terms, old.words); END",
    "CREATE TRIGGER search_entries_au AFTER UPDATE OF terms, words ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms, words) "
    "VALUES ('delete', old.id, old.terms, old.words); "
    "INSERT INTO search_fts(rowid, terms, words) VALUES (new.id, new.terms, new.words); END",
)
SQLITE_DROP = ("DROP TABLE IF EXISTS search_fts",)
POSTGRESQL_DDL = (
    "ALTER TABLE search_entries ADD COLUMN terms_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', terms)) STORED",
    "ALTER TABLE search_entries ADD COLUMN words_tsv tsvector "
    "GENERATED ALWAYS AS (to_tsvector('simple', words)) STORED",
    "CREATE INDEX ix_search_entries_terms_tsv ON search_entries USING gin (terms_tsv)",
    "CREATE INDEX ix_search_entries_words_tsv ON search_entries USING gin (words_tsv)",
)
# What Alembic must not compare: it is made by the statements above, not by the models.
FULL_TEXT_TABLES = frozenset({"search_fts", "search_fts_data", "search_fts_idx",
                              "search_fts_docsize", "search_fts_config"})
FULL_TEXT_COLUMNS = frozenset({"terms_tsv", "words_tsv"})
FULL_TEXT_INDEXES = frozenset({"ix_search_entries_terms_tsv", "ix_search_entries_words_tsv"})


class SearchEntry(db.Model):
    """What search knows of one item. `private` is the item's effective mark (a comment's is
    its subject's); `subject_type`/`subject_id` name the page it is shown on. `kind`/`item_id`
    are the item's kind and its row there; `key_item_id` its row in `items`, which deletes the
    entry with it however it goes (itself, its list, its project)."""

    __tablename__ = "search_entries"
    __table_args__ = (
        Index("ix_search_entries_project_id_created_at", "project_id", "created_at"),
        Index("ix_search_entries_subject", "subject_type", "subject_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    item_id: Mapped[int]
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    private: Mapped[bool] = mapped_column(default=False)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime)
    subject_type: Mapped[str] = mapped_column(String(16))
    subject_id: Mapped[int]
    title: Mapped[str] = mapped_column(Text)
    body: Mapped[str] = mapped_column(Text)
    terms: Mapped[str] = mapped_column(Text)
    words: Mapped[str] = mapped_column(Text)

    key_item_id: Mapped[int] = item_key(unique=True)


def create_full_text(connection: Connection) -> None:
    """Add the database's own full-text machinery to a new `search_entries` table."""
    statements = {"sqlite": SQLITE_DDL, "postgresql": POSTGRESQL_DDL}
    for statement in statements.get(connection.dialect.name, ()):
        connection.execute(DDL(statement))


def drop_full_text(connection: Connection) -> None:
    if connection.dialect.name == "sqlite":
        for statement in SQLITE_DROP:
            connection.execute(DDL(statement))


@event.listens_for(SearchEntry.__table__, "after_create")
def _after_create(target: Table, connection: Connection, **kw: object) -> None:
    create_full_text(connection)


@event.listens_for(SearchEntry.__table__, "before_drop")
def _before_drop(target: Table, connection: Connection, **kw: object) -> None:
    drop_full_text(connection)


def include_object(obj: object, name: str | None, type_: str, reflected: bool,
                   compare_to: object) -> bool:
    """For Alembic: leave out the full-text tables, columns and indexes."""
    if type_ == "table":
        return name not in FULL_TEXT_TABLES
    if type_ == "column":
        return name not in FULL_TEXT_COLUMNS
    if type_ == "index":
        return name not in FULL_TEXT_INDEXES
    return True
