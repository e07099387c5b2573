"""documents and their versions

A document is an item kind (its row in `items`), with the latest text on its own row and
every save, full text included, in `document_versions`.

Revision ID: d2f242177cbc
Revises: 3c9e1a7d5b20
Create Date: 2026-12-05 07:00:00.000000

"""
import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = 'd2f242177cbc'
down_revision = '3c9e1a7d5b20'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('project_id', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('excerpt', sa.String(length=300), nullable=False),
        sa.Column('private', sa.Boolean(), nullable=False),
        sa.Column('version_count', sa.Integer(), nullable=False),
        sa.Column('editor_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('comments_count', sa.Integer(), nullable=False),
        sa.Column('last_comment_at', sa.DateTime(), nullable=True),
        sa.Column('last_commenter_id', sa.Integer(), nullable=True),
        sa.Column('item_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('fk_documents_author_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['editor_id'], ['users.id'],
                                name=op.f('fk_documents_editor_id_users'), ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['last_commenter_id'], ['users.id'],
                                name=op.f('fk_documents_last_commenter_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['item_id'], ['items.id'],
                                name=op.f('fk_documents_item_id_items'), ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['project_id'], ['projects.id'],
                                name=op.f('fk_documents_project_id_projects'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_documents')),
        sa.UniqueConstraint('item_id', name=op.f('uq_documents_item_id')),
    )
    op.create_index('ix_documents_project_id_updated_at', 'documents',
                    ['project_id', 'updated_at'], unique=False)
    op.create_table(
        'document_versions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('document_id', sa.Integer(), nullable=False),
        sa.Column('number', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('note', sa.String(length=200), nullable=False),
        sa.Column('size', sa.Integer(), nullable=False),
        sa.Column('author_id', sa.Integer(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['author_id'], ['users.id'],
                                name=op.f('fk_document_versions_author_id_users'),
                                ondelete='SET NULL'),
        sa.ForeignKeyConstraint(['document_id'], ['documents.id'],
                                name=op.f('fk_document_versions_document_id_documents'),
                                ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_document_versions')),
        sa.UniqueConstraint('document_id', 'number',
                            name=op.f('uq_document_versions_document_id')),
    )


def downgrade():
    op.drop_table('document_versions')
    op.drop_index('ix_documents_project_id_updated_at', table_name='documents')
    op.drop_table('documents')
