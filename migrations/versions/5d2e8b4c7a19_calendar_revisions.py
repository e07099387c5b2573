"""calendar revisions: to-dos and milestones count the changes calendars publish

A calendar entry's SEQUENCE (RFC 5545) tells a subscribed calendar that it changed; it is the
row's `revision`, bumped by the UPDATE that changes what calendars show.

Revision ID: 5d2e8b4c7a19
Revises: 5c1bf2d072ad
Create Date: 2026-12-05 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = '5d2e8b4c7a19'
down_revision = '5c1bf2d072ad'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('todos', 'milestones'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('revision', sa.Integer(), server_default='0',
                                       nullable=False))


def downgrade():
    for table in ('milestones', 'todos'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('revision')
