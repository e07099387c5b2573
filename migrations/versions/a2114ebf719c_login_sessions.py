"""login sessions: one row per signed-in browser, replacing users.session_token

Existing session cookies stop working after this upgrade: everyone signs in once more.

Revision ID: a2114ebf719c
Revises: 09946b2507d1
Create Date: 2026-11-25 11:54:47.489871

"""
import secrets

from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'a2114ebf719c'
down_revision = '09946b2507d1'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('login_sessions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('last_seen_on', sa.Date(), nullable=True),
    sa.Column('user_agent', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_login_sessions_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_login_sessions')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_login_sessions_key_hash'))
    )
    op.create_index(op.f('ix_login_sessions_user_id'), 'login_sessions', ['user_id'], unique=False)
    # Not in batch mode: on SQLite a batch operation recreates `users`, and dropping the old
    # table with foreign keys on would cascade to every table that refers to it. SQLite 3.35+
    # drops a plain column in place.
    op.drop_column('users', 'session_token')


def downgrade():
    op.add_column('users', sa.Column('session_token', sa.String(length=32), nullable=False,
                                     server_default=''))
    users = sa.table('users', sa.column('id', sa.Integer), sa.column('session_token', sa.String))
    connection = op.get_bind()
    for (user_id,) in connection.execute(sa.select(users.c.id)).all():
        connection.execute(users.update().where(users.c.id == user_id)
                           .values(session_token=secrets.token_urlsafe(16)))
    op.drop_index(op.f('ix_login_sessions_user_id'), table_name='login_sessions')
    op.drop_table('login_sessions')
