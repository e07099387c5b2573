"""Templates: projects and to-do lists kept to start others from (issue 25)

Revision ID: d4b8e1f07a2c
Revises: d5b8e1c3a920
Create Date: 2026-12-05 10:00:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'd4b8e1f07a2c'
down_revision = 'd5b8e1c3a920'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'project_templates',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('content', sa.JSON(), nullable=False),
        sa.Column('rendered_notes', sa.JSON(), nullable=False),
        sa.Column('todo_count', sa.Integer(), nullable=False),
        sa.Column('source_project_id', sa.Integer(), nullable=True),
        sa.Column('created_by_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['created_by_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['source_project_id'], ['projects.id'], ondelete='SET NULL'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_project_templates_kind_name', 'project_templates', ['kind', 'name'],
                    unique=False)
    op.create_index(op.f('ix_project_templates_created_by_id'), 'project_templates',
                    ['created_by_id'], unique=False)
    op.create_index(op.f('ix_project_templates_source_project_id'), 'project_templates',
                    ['source_project_id'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_project_templates_source_project_id'),
                  table_name='project_templates')
    op.drop_index(op.f('ix_project_templates_created_by_id'), table_name='project_templates')
    op.drop_index('ix_project_templates_kind_name', table_name='project_templates')
    op.drop_table('project_templates')
