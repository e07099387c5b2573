"""messages.last_activity_at: the board lists the thread posted or commented on last first

Filled from each message's last comment, or its posting when it has none.

Revision ID: b7e3c1d2f4a5
Revises: b7c41d2e9f10
Create Date: 2026-12-04

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7e3c1d2f4a5'
down_revision = 'b7c41d2e9f10'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.add_column(sa.Column('last_activity_at', sa.DateTime(), nullable=True))
    op.execute("UPDATE messages SET last_activity_at = COALESCE(last_comment_at, created_at)")
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.alter_column('last_activity_at', existing_type=sa.DateTime(), nullable=False)
        batch_op.create_index('ix_messages_project_id_last_activity_at',
                              ['project_id', 'last_activity_at', 'id'], unique=False)


def downgrade():
    with op.batch_alter_table('messages', schema=None) as batch_op:
        batch_op.drop_index('ix_messages_project_id_last_activity_at')
        batch_op.drop_column('last_activity_at')
