"""followers of items: who hears of what happens on an item that takes comments; the
outbox's one-click link to stop following (RFC 8058)

One row per item (its `items` row, so that every kind has followers) and person; `following`
false records a person who chose to stop. Backfilled from who heard of an item until now: its
author, its commenters, the people chosen for a message, a to-do's assignee and a milestone's
responsible person.

Revision ID: 5c1bf2d072ad
Revises: 2b0389a476dd
Create Date: 2026-12-05 07:10:00.000000

"""
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5c1bf2d072ad'
down_revision = '2b0389a476dd'
branch_labels = None
depends_on = None

# (item, person) pairs of the people who heard of an item before followers existed.
EARLIER_FOLLOWERS = """
SELECT item_id, author_id AS user_id FROM messages WHERE author_id IS NOT NULL
UNION SELECT m.item_id, s.user_id FROM message_subscriptions s
      JOIN messages m ON m.id = s.message_id
UNION SELECT subject_item_id, author_id FROM comments WHERE author_id IS NOT NULL
UNION SELECT item_id, author_id FROM todos WHERE author_id IS NOT NULL
UNION SELECT item_id, assignee_id FROM todos WHERE assignee_id IS NOT NULL
UNION SELECT item_id, author_id FROM milestones WHERE author_id IS NOT NULL
UNION SELECT item_id, responsible_id FROM milestones WHERE responsible_id IS NOT NULL
UNION SELECT item_id, author_id FROM files
      WHERE author_id IS NOT NULL AND attached_item_id IS NULL
"""


def upgrade():
    op.create_table(
        'followers',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('following', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('item_id', 'user_id'),
    )
    op.create_index(op.f('ix_followers_item_id'), 'followers', ['item_id'], unique=False)
    op.create_index(op.f('ix_followers_user_id'), 'followers', ['user_id'], unique=False)
    op.get_bind().execute(
        sa.text("INSERT INTO followers (item_id, user_id, following, created_at) "
                f"SELECT item_id, user_id, :yes, :now FROM ({EARLIER_FOLLOWERS}) AS earlier"),
        {"yes": True, "now": datetime.now(UTC).replace(tzinfo=None)})
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.add_column(sa.Column('unsubscribe_url', sa.String(length=1000), nullable=False,
                                      server_default=''))
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('waiting', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
    op.create_table(
        'delivery_settings',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('schedule', sa.String(length=16), nullable=False),
        sa.Column('recap_hour', sa.Integer(), nullable=False),
        sa.Column('work_days', sa.String(length=7), nullable=False),
        sa.Column('work_start', sa.Integer(), nullable=True),
        sa.Column('work_end', sa.Integer(), nullable=True),
        sa.Column('snoozed_until', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id'),
    )
    op.create_table(
        'sent_recaps',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('period', sa.String(length=32), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('user_id', 'period'),
    )


def downgrade():
    op.drop_table('sent_recaps')
    op.drop_table('delivery_settings')
    with op.batch_alter_table('notifications', schema=None) as batch_op:
        batch_op.drop_column('waiting')
    with op.batch_alter_table('outbox', schema=None) as batch_op:
        batch_op.drop_column('unsubscribe_url')
    op.drop_index(op.f('ix_followers_user_id'), table_name='followers')
    op.drop_index(op.f('ix_followers_item_id'), table_name='followers')
    op.drop_table('followers')
