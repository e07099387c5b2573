"""calendar events: timed, all-day or multi-day, recurring with exceptions, and who attends

Revision ID: 8f3a6c1e2d47
Revises: 5d2e8b4c7a19
Create Date: 2026-12-05 07:30:00.000000

"""
import sqlalchemy as sa
from alembic import op



# revision identifiers, used by Alembic.
revision = '8f3a6c1e2d47'
down_revision = '5d2e8b4c7a19'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'calendar_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('notes', sa.Text(), nullable=False),
        sa.Column('notes_html', sa.Text(), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('all_day', sa.Boolean(), nullable=False),
        sa.Column('timezone', sa.String(length=64), nullable=False),
        sa.Column('rule', sa.String(length=300), nullable=True),
        sa.Column('last_ends_at', sa.DateTime(), nullable=True),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('edited_at', sa.DateTime(), nullable=True),
        sa.Column('comments_count', sa.Integer(), nullable=False),
        sa.Column('last_comment_at', sa.DateTime(), nullable=True),
        sa.Column('last_commenter_id', sa.Integer(), nullable=True),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['last_commenter_id'], ['users.id'], ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('item_id'),
    )
    op.create_index('ix_calendar_events_project_id_last_ends_at_starts_at', 'calendar_events',
                    ['project_id', 'last_ends_at', 'starts_at'], unique=False)
    op.create_table(
        'event_attendances',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['calendar_events.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id', 'user_id'),
    )
    op.create_index(op.f('ix_event_attendances_user_id'), 'event_attendances', ['user_id'],
                    unique=False)
    op.create_table(
        'event_exceptions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('event_id', sa.Integer(), nullable=False),
        sa.Column('original_start', sa.DateTime(), nullable=False),
        sa.Column('cancelled', sa.Boolean(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('place', sa.String(length=200), nullable=False),
        sa.Column('starts_at', sa.DateTime(), nullable=False),
        sa.Column('ends_at', sa.DateTime(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('revision', sa.Integer(), server_default='0', nullable=False),
        sa.ForeignKeyConstraint(['event_id'], ['calendar_events.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('event_id', 'original_start'),
    )


def downgrade():
    op.drop_table('event_exceptions')
    op.drop_index(op.f('ix_event_attendances_user_id'), table_name='event_attendances')
    op.drop_table('event_attendances')
    op.drop_index('ix_calendar_events_project_id_last_ends_at_starts_at',
                  table_name='calendar_events')
    op.drop_table('calendar_events')
