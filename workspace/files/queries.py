"""What the files pages read."""

from __future__ import annotations

from flask_sqlalchemy.pagination import Pagination
from sqlalchemy import func, select

from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.projects.access import ProjectAccess

PAGE_SIZE = 30
SORTS = {
    "date": ProjectFile.updated_at,
    "name": func.lower(ProjectFile.name),
    "size": ProjectFile.size,
}
KINDS = ("image", "pdf", "text", "other")


def files_page(access: ProjectAccess, *, kind: str | None, sort: str, descending: bool,
               page: int) -> Pagination:
    query = access.visible(select(ProjectFile), ProjectFile).options(
        db.joinedload(ProjectFile.author)
    )
    if kind in KINDS:
        query = query.where(ProjectFile.kind == kind)
    column = SORTS.get(sort, SORTS["date"])
    query = query.order_by(column.desc() if descending else column.asc(), ProjectFile.id.desc())
    return db.paginate(query, page=page, per_page=PAGE_SIZE, error_out=False)


def latest_version(project_file: ProjectFile) -> FileVersion:
    return project_file.versions[0]


def version_numbered(project_file: ProjectFile, number: int) -> FileVersion | None:
    return db.session.scalar(
        select(FileVersion).where(FileVersion.file_id == project_file.id,
                                  FileVersion.number == number)
    )
