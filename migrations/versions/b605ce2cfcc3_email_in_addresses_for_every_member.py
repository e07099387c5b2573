"""email-in addresses for every member

A person's email-in address is now made when they join a project, no longer by the project
page while it renders; the members of before get theirs here. Deactivated accounts get none:
their addresses were deleted when they were closed, and reactivation gives new ones.

Revision ID: b605ce2cfcc3
Revises: c41d7e0a9b3f
Create Date: 2026-12-05 01:45:00.000000

"""
import base64
import secrets
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op


# revision identifiers, used by Alembic.
revision = 'b605ce2cfcc3'
down_revision = 'c41d7e0a9b3f'
branch_labels = None
depends_on = None

users = sa.table('users', sa.column('id', sa.Integer), sa.column('deactivated_at', sa.DateTime))
memberships = sa.table('memberships', sa.column('user_id', sa.Integer),
                       sa.column('project_id', sa.Integer))
addresses = sa.table('email_in_addresses', sa.column('key', sa.String),
                     sa.column('user_id', sa.Integer), sa.column('project_id', sa.Integer),
                     sa.column('created_at', sa.DateTime))


def new_key():
    """As workspace.inbound.models.new_key at this revision: 160 random bits, base32."""
    return base64.b32encode(secrets.token_bytes(20)).decode().rstrip('=').lower()


def upgrade():
    connection = op.get_bind()
    without = connection.execute(
        sa.select(memberships.c.user_id, memberships.c.project_id)
        .join(users, users.c.id == memberships.c.user_id)
        .where(users.c.deactivated_at.is_(None), ~sa.exists().where(
            addresses.c.user_id == memberships.c.user_id,
            addresses.c.project_id == memberships.c.project_id))).all()
    now = datetime.now(UTC).replace(tzinfo=None)  # the column holds naive UTC
    if without:
        connection.execute(addresses.insert(), [
            {'key': new_key(), 'user_id': user_id, 'project_id': project_id, 'created_at': now}
            for user_id, project_id in without])


def downgrade():
    # The addresses stay: the page of before made them on first use, and would find these.
    pass
