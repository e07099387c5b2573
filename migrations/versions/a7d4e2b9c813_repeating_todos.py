"""repeating to-dos: a rule ("every week") and a series with one to-do per date

Revision ID: a7d4e2b9c813
Revises: 8f3a6c1e2d47
Create Date: 2026-12-05 07:40:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'a7d4e2b9c813'
down_revision = '8f3a6c1e2d47'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('todos') as batch:
        batch.add_column(sa.Column('repeat', sa.String(length=100), nullable=True))
        batch.add_column(sa.Column('series_id', sa.Integer(), nullable=True))
        batch.create_unique_constraint('uq_todos_series_id_due_on', ['series_id', 'due_on'])


def downgrade():
    with op.batch_alter_table('todos') as batch:
        batch.drop_constraint('uq_todos_series_id_due_on', type_='unique')
        batch.drop_column('series_id')
        batch.drop_column('repeat')
