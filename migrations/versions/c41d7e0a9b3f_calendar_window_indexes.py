"""calendar window indexes: open and dated milestones and to-dos per project

A calendar reads the items of a project due within its window, and those still open, each
through one index range, however many items the project has finished over the years. The
to-dos' index on project_id alone gives way to the two that start with it.

Revision ID: c41d7e0a9b3f
Revises: b7e3c1d2f4a5
Create Date: 2026-12-04 23:00:00.000000

"""
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c41d7e0a9b3f'
down_revision = 'b7e3c1d2f4a5'
branch_labels = None
depends_on = None


def upgrade():
    op.create_index('ix_milestones_project_id_completed_at', 'milestones',
                    ['project_id', 'completed_at'], unique=False)
    op.create_index('ix_todos_project_id_due_on', 'todos', ['project_id', 'due_on'],
                    unique=False)
    op.create_index('ix_todos_project_id_completed_at_due_on', 'todos',
                    ['project_id', 'completed_at', 'due_on'], unique=False)
    # Both start with project_id: the index on it alone adds nothing but writes.
    op.drop_index('ix_todos_project_id', table_name='todos')


def downgrade():
    op.create_index('ix_todos_project_id', 'todos', ['project_id'], unique=False)
    op.drop_index('ix_todos_project_id_completed_at_due_on', table_name='todos')
    op.drop_index('ix_todos_project_id_due_on', table_name='todos')
    op.drop_index('ix_milestones_project_id_completed_at', table_name='milestones')
