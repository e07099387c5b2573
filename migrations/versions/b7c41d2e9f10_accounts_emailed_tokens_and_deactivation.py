"""accounts: emailed tokens (password reset, sign-in link), deactivation, last sign-in day

Revision ID: b7c41d2e9f10
Revises: a2114ebf719c
Create Date: 2026-12-04 23:00:00.000000

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = 'b7c41d2e9f10'
down_revision = 'a2114ebf719c'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('emailed_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('purpose', sa.String(length=16), nullable=False),
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.Column('used_at', sa.DateTime(), nullable=True),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_emailed_tokens_user_id_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_emailed_tokens')),
    sa.UniqueConstraint('token_hash', name=op.f('uq_emailed_tokens_token_hash'))
    )
    op.create_index(op.f('ix_emailed_tokens_user_id'), 'emailed_tokens', ['user_id'], unique=False)
    # Not in batch mode: on SQLite a batch operation recreates `users`, and dropping the old
    # table with foreign keys on would cascade to every table that refers to it. Adding a
    # nullable column works in place on both databases.
    op.add_column('users', sa.Column('deactivated_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('last_signed_in_on', sa.Date(), nullable=True))


def downgrade():
    op.drop_column('users', 'last_signed_in_on')
    op.drop_column('users', 'deactivated_at')
    op.drop_index(op.f('ix_emailed_tokens_user_id'), table_name='emailed_tokens')
    op.drop_table('emailed_tokens')
