"""folders for documents and files

Folders (an item kind) nest at any depth; documents and files of their own get `folder_id`,
and documents `marked_private` (their own mark; `private` becomes the effective one, which
may come from a folder). Existing documents keep their mark as their own.

Revision ID: 2b0389a476dd
Revises: d2f242177cbc
Create Date: 2026-12-05 07:20:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = '2b0389a476dd'
down_revision = 'd2f242177cbc'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'folders',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('parent_id', sa.Integer(), nullable=True),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=255), nullable=False),
        sa.Column('description', sa.Text(), nullable=False),
        sa.Column('marked_private', sa.Boolean(), nullable=False),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('fk_folders_author_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'],
                                name=op.f('fk_folders_item_id_items'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['parent_id'], ['folders.id'],
                                name=op.f('fk_folders_parent_id_folders'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_folders_project_id_projects'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_folders')),
        sa.UniqueConstraint('item_id', name=op.f('uq_folders_item_id')),
    )
    op.create_index('ix_folders_project_id_parent_id', 'folders', ['project_id', 'parent_id'],
                    unique=False)
    op.create_index(op.f('ix_folders_parent_id'), 'folders', ['parent_id'], unique=False)
    with op.batch_alter_table('documents') as batch_op:
        batch_op.add_column(sa.Column('marked_private', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('folder_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_folder_id'), ['folder_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_documents_folder_id_folders'), 'folders',
                                    ['folder_id'], ['id'], ondelete='SET NULL')
    op.execute("UPDATE documents SET marked_private = private")
    with op.batch_alter_table('documents') as batch_op:
        batch_op.alter_column('marked_private', server_default=None)
    with op.batch_alter_table('files') as batch_op:
        batch_op.add_column(sa.Column('folder_id', sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f('ix_files_folder_id'), ['folder_id'], unique=False)
        batch_op.create_foreign_key(batch_op.f('fk_files_folder_id_folders'), 'folders',
                                    ['folder_id'], ['id'], ondelete='SET NULL')


def downgrade():
    with op.batch_alter_table('files') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_files_folder_id_folders'), type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_files_folder_id'))
        batch_op.drop_column('folder_id')
    with op.batch_alter_table('documents') as batch_op:
        batch_op.drop_constraint(batch_op.f('fk_documents_folder_id_folders'),
                                 type_='foreignkey')
        batch_op.drop_index(batch_op.f('ix_documents_folder_id'))
        batch_op.drop_column('folder_id')
        batch_op.drop_column('marked_private')
    op.drop_index(op.f('ix_folders_parent_id'), table_name='folders')
    op.drop_index('ix_folders_project_id_parent_id', table_name='folders')
    op.drop_table('folders')
