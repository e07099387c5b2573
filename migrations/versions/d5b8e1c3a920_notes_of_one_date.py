"""notes of one date: a changed occurrence of an event may have its own notes

Revision ID: d5b8e1c3a920
Revises: c2f9a4e7b16d
Create Date: 2026-12-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd5b8e1c3a920'
down_revision = 'c2f9a4e7b16d'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('event_exceptions') as batch:
        batch.add_column(sa.Column('notes', sa.Text(), nullable=True))
        batch.add_column(sa.Column('notes_html', sa.Text(), nullable=True))


def downgrade():
    with op.batch_alter_table('event_exceptions') as batch:
        batch.drop_column('notes_html')
        batch.drop_column('notes')
