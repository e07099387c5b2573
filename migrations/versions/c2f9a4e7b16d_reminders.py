"""reminders: a choice on events and to-dos, a default per person, a claim per reminder sent

Revision ID: c2f9a4e7b16d
Revises: a7d4e2b9c813
Create Date: 2026-12-05 07:55:00.000000

"""
import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'c2f9a4e7b16d'
down_revision = 'a7d4e2b9c813'
branch_labels = None
depends_on = None


def upgrade():
    for table in ('calendar_events', 'todos'):
        with op.batch_alter_table(table) as batch:
            batch.add_column(sa.Column('remind', sa.String(length=8), nullable=True))
    op.create_table(
        'sent_reminders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('occurs_at', sa.DateTime(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('sent_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('item_id', 'occurs_at', 'user_id'),
    )
    op.create_index(op.f('ix_sent_reminders_user_id'), 'sent_reminders', ['user_id'],
                    unique=False)
    op.create_table(
        'reminder_defaults',
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('timed', sa.String(length=8), nullable=False),
        sa.Column('dated', sa.String(length=8), nullable=False),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('user_id'),
    )


def downgrade():
    op.drop_table('reminder_defaults')
    op.drop_index(op.f('ix_sent_reminders_user_id'), table_name='sent_reminders')
    op.drop_table('sent_reminders')
    for table in ('todos', 'calendar_events'):
        with op.batch_alter_table(table) as batch:
            batch.drop_column('remind')
