"""one items table, which items, events, comments, attachments and search entries point at

Every message, comment, to-do list, to-do, milestone and file gets a row in `items`, and the
tables that pointed at "some item" by a type and an id get real foreign keys to it as well,
ON DELETE CASCADE, so that deleting an item's row deletes everything about it. Search entries
trade their six foreign keys, one per kind, for one to `items`.

The backfill is set-based: each kind's items take the ids of its rows shifted by an offset
(the largest ids of the kinds before it), so that every reference is computed from its type
and id by arithmetic, without a join. Rows that referred to an item that no longer exists
(none should) are deleted first; an attachment of a vanished item keeps no key to it.

Revision ID: 3c9e1a7d5b20
Revises: b605ce2cfcc3
Create Date: 2026-12-05 04:45:00.000000

"""
from contextlib import contextmanager

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '3c9e1a7d5b20'
down_revision = 'b605ce2cfcc3'
branch_labels = None
depends_on = None

# The kinds at this revision, and their tables.
KINDS = {'message': 'messages', 'comment': 'comments', 'todolist': 'todo_lists',
         'todo': 'todos', 'milestone': 'milestones', 'file': 'files'}
# (table, key, type column, id column, nullable) of each reference by type and id.
REFERENCES = [
    ('comments', 'subject_item_id', 'subject_type', 'subject_id', False),
    ('events', 'subject_item_id', 'subject_type', 'subject_id', False),
    ('events', 'target_item_id', 'target_type', 'target_id', False),
    ('files', 'attached_item_id', 'attached_type', 'attached_id', True),
]


# search_entries' former keys, by the table they referred to.
SEARCH_KEYS = {'messages': 'message_id', 'comments': 'comment_id', 'todo_lists': 'todo_list_id',
               'todos': 'todo_id', 'milestones': 'milestone_id', 'files': 'file_id'}
SQLITE_TRIGGERS = (
    "CREATE TRIGGER IF NOT EXISTS search_entries_ai AFTER INSERT ON search_entries BEGIN "
    "INSERT INTO search_fts(rowid, terms, words) VALUES (new.id, new.terms, new.words); END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_ad AFTER DELETE ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms, words) "
    "VALUES ('delete', old.id, old.terms, old.words); END",
    "CREATE TRIGGER IF NOT EXISTS search_entries_au AFTER UPDATE OF terms, words "
    "ON search_entries BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, terms, words) "
    "VALUES ('delete', old.id, old.terms, old.words); "
    "INSERT INTO search_fts(rowid, terms, words) VALUES (new.id, new.terms, new.words); END",
)


def upgrade():
    op.create_table(
        'items',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_items_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_items')),
    )
    with op.batch_alter_table('items') as batch_op:
        batch_op.create_index(batch_op.f('ix_items_parent_id'), ['parent_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_items_project_id'), ['project_id'], unique=False)
    for table in KINDS.values():
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column('item_id', sa.Integer(), nullable=True))
    for table, key, *_ in REFERENCES:
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column(key, sa.Integer(), nullable=True))
    with op.batch_alter_table('search_entries') as batch_op:
        batch_op.add_column(sa.Column('key_item_id', sa.Integer(), nullable=True))

    delete_orphans()
    backfill(op.get_bind())
    with op.batch_alter_table('items') as batch_op:  # after: parents come in any order
        batch_op.create_foreign_key(batch_op.f('fk_items_parent_id_items'), 'items',
                                    ['parent_id'], ['id'], ondelete='CASCADE')

    for kind, table in KINDS.items():
        with op.batch_alter_table(table) as batch_op:
            batch_op.alter_column('item_id', existing_type=sa.Integer(), nullable=False)
            batch_op.create_unique_constraint(batch_op.f(f'uq_{table}_item_id'), ['item_id'])
            batch_op.create_foreign_key(batch_op.f(f'fk_{table}_item_id_items'), 'items',
                                        ['item_id'], ['id'], ondelete='CASCADE')
            for ref_table, key, _, _, nullable in REFERENCES:
                if ref_table == table:
                    add_key(batch_op, table, key, nullable)
    with op.batch_alter_table('events') as batch_op:
        add_key(batch_op, 'events', 'subject_item_id', False)
        add_key(batch_op, 'events', 'target_item_id', False)
    with op.batch_alter_table('search_entries') as batch_op:
        for table, column in SEARCH_KEYS.items():
            batch_op.drop_constraint(f'fk_search_entries_{column}_{table}', type_='foreignkey')
            batch_op.drop_constraint(f'uq_search_entries_{column}', type_='unique')
            batch_op.drop_column(column)
        batch_op.alter_column('key_item_id', existing_type=sa.Integer(), nullable=False)
        batch_op.create_unique_constraint('uq_search_entries_key_item_id', ['key_item_id'])
        batch_op.create_foreign_key('fk_search_entries_key_item_id_items', 'items',
                                    ['key_item_id'], ['id'], ondelete='CASCADE')
    full_text_triggers()


def full_text_triggers():
    """On SQLite, batch mode rebuilt search_entries and its triggers went with the old table:
    as in 09946b2507d1 (the full-text table itself is intact, its rows' ids unchanged)."""
    if op.get_bind().dialect.name == 'sqlite':
        for statement in SQLITE_TRIGGERS:
            op.execute(statement)


def add_key(batch_op, table, key, nullable):
    batch_op.alter_column(key, existing_type=sa.Integer(), nullable=nullable)
    batch_op.create_index(batch_op.f(f'ix_{table}_{key}'), [key], unique=False)
    batch_op.create_foreign_key(batch_op.f(f'fk_{table}_{key}_items'), 'items', [key], ['id'],
                                ondelete='CASCADE')


def missing(table, type_column, id_column):
    """Whether a row's type and id name no existing row (or a kind unknown here)."""
    known = ', '.join(f"'{kind}'" for kind in KINDS)
    gone = ' OR '.join(f"({type_column} = '{kind}' AND NOT EXISTS "
                       f"(SELECT 1 FROM {kind_table} k WHERE k.id = {table}.{id_column}))"
                       for kind, kind_table in KINDS.items())
    return f"({type_column} NOT IN ({known}) OR {gone})"


def delete_orphans():
    """Comments, events and search entries about an item that is gone point at nothing: they
    go (comments first, since events may be about them), with what refers to them (foreign
    keys are off on SQLite while migrating: no cascade does it)."""
    for table, _, type_column, id_column, nullable in REFERENCES:
        if not nullable:  # an attachment stays, without its key (see backfill)
            op.execute(f"DELETE FROM {table} WHERE {missing(table, type_column, id_column)}")
    op.execute(f"DELETE FROM search_entries WHERE {missing('search_entries', 'kind', 'item_id')}")
    for table in ('notifications', 'outbox'):
        op.execute(f"DELETE FROM {table} WHERE event_id IS NOT NULL AND NOT EXISTS "
                   f"(SELECT 1 FROM events WHERE events.id = {table}.event_id)")
    op.execute("UPDATE files SET comment_id = NULL WHERE comment_id IS NOT NULL AND NOT EXISTS "
               "(SELECT 1 FROM comments WHERE comments.id = files.comment_id)")


@contextmanager
def full_text_indexes_dropped(connection, table):
    """On PostgreSQL, updating every search entry updates its two GIN indexes row by row: it
    is several times faster to build them again afterwards (as 09946b2507d1 made them)."""
    if table != 'search_entries' or connection.dialect.name != 'postgresql':
        yield
        return
    for column in ('terms_tsv', 'words_tsv'):
        op.execute(f"DROP INDEX ix_search_entries_{column}")
    yield
    for column in ('terms_tsv', 'words_tsv'):
        op.execute(f"CREATE INDEX ix_search_entries_{column} ON search_entries "
                   f"USING gin ({column})")


def backfill(connection):
    """One UPDATE per table sets all its keys, by arithmetic; then one INSERT per kind makes
    the items, with their parents read from the keys just set."""
    offsets, offset = {}, 0
    for kind, table in KINDS.items():
        offsets[kind] = offset
        offset += connection.scalar(sa.text(f"SELECT COALESCE(MAX(id), 0) FROM {table}"))

    def item_of(type_column, id_column):
        cases = ' '.join(f"WHEN '{kind}' THEN {id_column} + {offsets[kind]}" for kind in KINDS)
        return f"CASE {type_column} {cases} END"

    keys = {table: {'item_id': f"id + {offsets[kind]}"} for kind, table in KINDS.items()}
    keys['events'] = {}
    for table, key, type_column, id_column, nullable in REFERENCES:
        value = item_of(type_column, id_column)
        if nullable:  # an attachment of an item that is gone keeps its type and id, no key
            value = (f"CASE WHEN {missing(table, type_column, id_column)} THEN NULL "
                     f"ELSE {value} END")
        keys[table][key] = value
    keys['search_entries'] = {'key_item_id': item_of('kind', 'item_id')}
    for table, values in keys.items():
        with full_text_indexes_dropped(connection, table):
            op.execute(f"UPDATE {table} SET "
                       + ', '.join(f"{key} = {value}" for key, value in values.items()))

    parents = {'comment': 'subject_item_id', 'todo': f"list_id + {offsets['todolist']}",
               'file': f"CASE WHEN comment_id IS NOT NULL THEN comment_id + {offsets['comment']} "
                       f"ELSE attached_item_id END"}
    for kind, table in KINDS.items():
        op.execute(f"INSERT INTO items (id, kind, project_id, parent_id) SELECT item_id, "
                   f"'{kind}', project_id, {parents.get(kind, 'NULL')} FROM {table}")
    if connection.dialect.name == 'postgresql':
        op.execute("SELECT setval(pg_get_serial_sequence('items', 'id'), "
                   "COALESCE((SELECT MAX(id) FROM items), 0) + 1, false)")


def downgrade():
    with op.batch_alter_table('search_entries') as batch_op:
        for column in SEARCH_KEYS.values():
            batch_op.add_column(sa.Column(column, sa.Integer(), nullable=True))
    for kind, table in KINDS.items():
        op.execute(f"UPDATE search_entries SET {SEARCH_KEYS[table]} = item_id "
                   f"WHERE kind = '{kind}'")
    with op.batch_alter_table('search_entries') as batch_op:
        batch_op.drop_constraint('fk_search_entries_key_item_id_items', type_='foreignkey')
        batch_op.drop_constraint('uq_search_entries_key_item_id', type_='unique')
        batch_op.drop_column('key_item_id')
        for table, column in SEARCH_KEYS.items():
            batch_op.create_unique_constraint(f'uq_search_entries_{column}', [column])
            batch_op.create_foreign_key(f'fk_search_entries_{column}_{table}', table, [column],
                                        ['id'], ondelete='CASCADE')
    full_text_triggers()
    for table, key, *_ in reversed(REFERENCES):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_{key}_items'), type_='foreignkey')
            batch_op.drop_index(batch_op.f(f'ix_{table}_{key}'))
            batch_op.drop_column(key)
    for table in KINDS.values():
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_constraint(batch_op.f(f'fk_{table}_item_id_items'), type_='foreignkey')
            batch_op.drop_constraint(batch_op.f(f'uq_{table}_item_id'), type_='unique')
            batch_op.drop_column('item_id')
    with op.batch_alter_table('items') as batch_op:
        batch_op.drop_index(batch_op.f('ix_items_project_id'))
        batch_op.drop_index(batch_op.f('ix_items_parent_id'))
    op.drop_table('items')
