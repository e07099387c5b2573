"""/api/v1: documents, their versions, comparisons and comments."""

from __future__ import annotations

from flask import g, jsonify, request
from sqlalchemy import select
from werkzeug.wrappers import Response

from workspace.api import serializers
from workspace.api.bodies import created, refuse_undocumented, validated
from workspace.api.views import bp, page_of, project_item, project_items
from workspace.comments import operations as comments
from workspace.comments.forms import CommentForm
from workspace.documents import operations
from workspace.documents.compare import compare
from workspace.documents.forms import DocumentForm, EditDocumentForm
from workspace.documents.models import Document, DocumentVersion
from workspace.extensions import db
from workspace.projects.access import Action, ProjectAccess, project_access
from workspace.types import positive_id


def document_of(project_id: int, document_id: int, action: Action = Action.VIEW
                ) -> tuple[ProjectAccess, Document]:
    access = project_access(project_id, action, user=g.acting_user)
    return access, access.item_or_404(Document, document_id)


def version_or_404(document: Document, number: int) -> DocumentVersion:
    version = operations.version_numbered(document, number)
    if version is None:
        raise operations.NoSuchVersion()
    return version


@bp.route("/projects/<int:project_id>/documents")
def documents(project_id: int) -> Response:
    return project_items(project_id, Document, serializers.document, "api.documents",
                         db.joinedload(Document.author), db.joinedload(Document.editor))


@bp.route("/projects/<int:project_id>/documents", methods=["POST"])
def write_document(project_id: int) -> tuple[Response, int]:
    access = project_access(project_id, Action.POST, user=g.acting_user)
    form = validated(DocumentForm)
    document = operations.write_document(
        access, title=form.title.data, body=form.body.data or "",
        private=bool(form.private.data), note=form.note.data or "")
    return created(serializers.with_mentions(serializers.document(document),
                                             document.mentions))


@bp.route("/projects/<int:project_id>/documents/<int:document_id>")
def document(project_id: int, document_id: int) -> Response:
    return project_item(project_id, Document, document_id, serializers.document)


@bp.route("/projects/<int:project_id>/documents/<int:document_id>", methods=["PATCH"])
def save_document(project_id: int, document_id: int) -> Response | tuple[Response, int]:
    """Save a new version edited from `base_version`; 409 with the latest version's number
    and a merged proposal (or null) when someone saved a newer one meanwhile."""
    access, document = document_of(project_id, document_id)
    access.require_team_or_author(document)
    form = validated(EditDocumentForm, current={
        "title": document.title, "body": document.body, "private": document.marked_private,
    }, base_version="base")
    try:
        version = operations.save_document(
            access, document, base=form.base.data, title=form.title.data,
            body=form.body.data or "", private=bool(form.private.data),
            note=form.note.data or "")
    except operations.Outdated as conflict:
        return outdated(conflict), 409
    return jsonify(serializers.with_mentions(serializers.document(document), version.mentions))


def outdated(conflict: operations.Outdated) -> Response:
    latest = conflict.latest
    name = latest.author.name if latest.author else "Someone"
    return jsonify(error={
        "code": "outdated",
        "message": f"{name} saved a newer version since you opened this: version "
                   f"{latest.number}. Nothing was saved.",
        "latest_version": latest.number, "merged": conflict.merged,
    })


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/versions")
def document_versions(project_id: int, document_id: int) -> Response:
    _, document = document_of(project_id, document_id)
    query = (select(DocumentVersion).where(DocumentVersion.document_id == document.id)
             .options(db.joinedload(DocumentVersion.author)))
    return page_of(query, DocumentVersion.id, serializers.document_version,
                   "api.document_versions", project_id=project_id, document_id=document_id)


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/versions/<int:number>")
def document_version(project_id: int, document_id: int, number: int) -> Response:
    _, document = document_of(project_id, document_id)
    return jsonify(serializers.document_version(version_or_404(document, number), text=True))


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/versions/<int:number>"
          "/restore", methods=["POST"])
def restore_version(project_id: int, document_id: int, number: int) -> Response:
    access, document = document_of(project_id, document_id)
    access.require_team_or_author(document)
    refuse_undocumented()
    version_or_404(document, number)
    operations.restore_version(access, document, number)
    return jsonify(serializers.document(document))


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/diff")
def document_diff(project_id: int, document_id: int) -> Response:
    """What changed between versions `from` and `to` (the one before the latest and the
    latest by default), word by word."""
    _, document = document_of(project_id, document_id)
    to_number = request.args.get("to", document.version_count, type=positive_id)
    from_number = request.args.get("from", max(to_number - 1, 1), type=positive_id)
    old, new = version_or_404(document, from_number), version_or_404(document, to_number)
    return jsonify(serializers.comparison(old, new, compare(old.body, new.body)))


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/comments")
def document_comments(project_id: int, document_id: int) -> Response:
    _, document = document_of(project_id, document_id)
    return jsonify([serializers.comment(c) for c in comments.comments_on(document)])


@bp.route("/projects/<int:project_id>/documents/<int:document_id>/comments", methods=["POST"])
def comment_on_document(project_id: int, document_id: int) -> tuple[Response, int]:
    _, document = document_of(project_id, document_id, Action.COMMENT)
    form = validated(CommentForm)
    comment = comments.add_comment(document, form.body.data, by=g.acting_user)
    return created(serializers.with_mentions(serializers.comment(comment), comment.mentions))


