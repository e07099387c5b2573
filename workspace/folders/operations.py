"""Making, renaming, moving and deleting folders, and moving what lives in them; each one
transaction with its event. The private mark flows down: see `spread_marks`."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Integer,
    Select,
    and_,
    cast,
    func,
    literal,
    not_,
    null,
    select,
    union_all,
    update,
)

from workspace import items
from workspace.activity import operations as activity
from workspace.errors import Refused
from workspace.extensions import db
from workspace.folders.models import Folder
from workspace.projects.access import NotAllowed, ProjectAccess
from workspace.types import utcnow

PAGE_SIZE = 50
NAME_LIMIT = 255


class ClientCannotMarkPrivate(NotAllowed):
    description = _l("Only the team can mark a folder private.")


class NameTaken(Refused):
    status = 409
    message = _l("Something of that name is already there: choose another name.")


class IntoItself(Refused):
    status = 409
    message = _l("A folder cannot go inside itself or inside one of its own folders.")


class OtherProject(Refused):
    status = 404
    message = _l("Choose a folder of this project.")


class NotFiled(Refused):
    status = 409
    message = _l("This file is attached to an item or a comment: it stays with it.")


class NotEmpty(Refused):
    status = 409
    message = _l("This folder is not empty: move or delete what it holds first.")


def filed_kinds() -> list[items.ItemKind]:
    """The kinds that live in folders: those whose model has a `folder_id`."""
    return [kind for kind in items.kinds() if "folder_id" in kind.model.__table__.c]


def filed_kind_of(item: object) -> items.ItemKind:
    kind = items.by_model(type(item))
    if kind is None or kind not in filed_kinds():
        raise TypeError(f"{type(item).__name__} does not live in folders")
    return kind


def is_filed(item: object) -> bool:
    """Whether an item may live in a folder: not a file attached to something."""
    return getattr(item, "attached_type", None) is None and getattr(item, "comment_id",
                                                                      None) is None


def name_of(item: object) -> str:
    return item.name if isinstance(item, Folder) else item.title


# -- reading -----------------------------------------------------------------------------------

def project_folders(access: ProjectAccess) -> list[Folder]:
    """Every folder of the project this person may see, by name: one query (for breadcrumbs
    and the choices of a move)."""
    return list(db.session.scalars(access.visible(select(Folder), Folder)
                                   .order_by(func.lower(Folder.name), Folder.id)))


def folder_in_project(access: ProjectAccess, folder_id: int | None) -> Folder | None:
    """The destination of a move: None for the top, else a folder of this project that the
    person may see (a folder of another project is refused, clearly)."""
    if folder_id is None:
        return None
    folder = db.session.get(Folder, folder_id)
    if folder is None or not access.can_see(folder):
        raise OtherProject()
    return folder


def folder_is_private(folder_id: int | None) -> bool:
    """Whether what a folder holds is private because of it (None: the top never is)."""
    if folder_id is None:
        return False
    return bool(db.session.scalar(select(Folder.private).where(Folder.id == folder_id)))


def ancestors(folder: Folder | None, folders: Iterable[Folder]) -> list[Folder]:
    """The folders from the top down to `folder` (included)."""
    by_id = {f.id: f for f in folders}
    chain: list[Folder] = []
    while folder is not None and len(chain) <= len(by_id):
        chain.append(folder)
        folder = by_id.get(folder.parent_id) if folder.parent_id else None
    return chain[::-1]


def descendant_ids(folder_id: int, folders: Iterable[tuple[int, int | None]]) -> set[int]:
    """The ids of a folder and of every folder inside it, at any depth."""
    children: dict[int | None, list[int]] = {}
    for fid, parent in folders:
        children.setdefault(parent, []).append(fid)
    found, todo = set(), [folder_id]
    while todo:
        current = todo.pop()
        if current not in found:
            found.add(current)
            todo.extend(children.get(current, []))
    return found


def all_folder_rows(project_id: int) -> list[tuple[int, int | None, bool]]:
    return [tuple(row) for row in db.session.execute(
        select(Folder.id, Folder.parent_id, Folder.marked_private)
        .where(Folder.project_id == project_id))]


@dataclass(frozen=True)
class Entry:
    """A line of a folder page: a folder, a document or a file."""

    kind: str
    id: int
    name: str
    updated_at: object
    private: bool
    size: int | None
    versions: int | None


SORTS = ("name", "date", "kind")


def contents(access: ProjectAccess, folder: Folder | None, *, sort: str, descending: bool,
             page: int) -> tuple[list[Entry], int]:
    """A page of what a folder (None: the top) holds, folders first, and how many entries it
    has in all: two queries, whatever it holds."""
    listing = contents_query(access, folder).subquery()
    order = {"name": func.lower(listing.c.name), "date": listing.c.updated_at,
             "kind": listing.c.kind}.get(sort, func.lower(listing.c.name))
    order = order.desc() if descending else order.asc()
    total = db.session.scalar(select(func.count()).select_from(listing)) or 0
    rows = db.session.execute(
        select(listing).order_by(listing.c.is_folder.desc(), order, listing.c.id)
        .limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE)).all()
    return [Entry(row.kind, row.id, row.name, row.updated_at, row.private, row.size,
                  row.versions) for row in rows], total


def contents_query(access: ProjectAccess, folder: Folder | None) -> Select:
    here = folder.id if folder else None

    def in_folder(model: type) -> object:
        return model.folder_id == here if here else model.folder_id.is_(None)

    parts = [access.visible(select(
        literal("folder").label("kind"), Folder.id, Folder.name.label("name"),
        Folder.updated_at.label("updated_at"), Folder.private.label("private"),
        no_number().label("size"), no_number().label("versions"),
        literal(1).label("is_folder"),
    ), Folder).where(Folder.parent_id == here if here else Folder.parent_id.is_(None))]
    for kind in filed_kinds():
        model = kind.model
        columns = model.__table__.c
        parts.append(access.visible(select(
            literal(kind.name).label("kind"), model.id,
            columns[kind.search.title].label("name"),
            columns[kind.search.edited].label("updated_at"), model.private.label("private"),
            (columns["size"] if "size" in columns else no_number()).label("size"),
            columns["version_count"].label("versions"), literal(0).label("is_folder"),
        ), model).where(in_folder(model), *standalone(model)))
    return union_all(*parts)


def no_number() -> object:
    """A typed NULL: PostgreSQL matches the columns of a UNION by type."""
    return cast(null(), Integer)


def standalone(model: type) -> list[object]:
    """Only items of their own live in folders, not files attached to something."""
    columns = model.__table__.c
    return [columns.attached_type.is_(None)] if "attached_type" in columns else []


# -- writing -----------------------------------------------------------------------------------

def clean(name: str) -> str:
    return " ".join(name.split())[:NAME_LIMIT]


def check_name_free(project_id: int, parent_id: int | None, name: str,
                    keep: int | None = None) -> None:
    """No two folders of one folder share a name (ignoring case)."""
    query = select(Folder.id).where(Folder.project_id == project_id,
                                    func.lower(Folder.name) == name.lower())
    query = query.where(Folder.parent_id == parent_id if parent_id else Folder.parent_id.is_(None))
    if keep is not None:
        query = query.where(Folder.id != keep)
    if db.session.scalar(query.limit(1)) is not None:
        raise NameTaken()


def make_folder(access: ProjectAccess, *, name: str, parent: Folder | None,
                private: bool = False, description: str = "") -> Folder:
    if private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    name = clean(name)
    check_name_free(access.project.id, parent.id if parent else None, name)
    folder = Folder(project_id=access.project.id, author=access.user, name=name,
                    description=description.strip(), parent_id=parent.id if parent else None,
                    marked_private=private, private=private or bool(parent and parent.private))
    db.session.add(folder)
    activity.record_event("created", folder, by=access.user, text=description)
    db.session.commit()
    return folder


def change_folder(access: ProjectAccess, folder: Folder, *, name: str, private: bool,
                  description: str = "") -> None:
    """Rename a folder or change its mark; what it holds, at any depth, follows the mark."""
    if private != folder.marked_private and not access.may_mark_private:
        raise ClientCannotMarkPrivate()
    name = clean(name)
    check_name_free(folder.project_id, folder.parent_id, name, keep=folder.id)
    folder.name, folder.description = name, description.strip()
    folder.marked_private, folder.updated_at = private, utcnow()
    activity.record_event("edited", folder, by=access.user, text=description)
    spread_marks(folder.project_id, folder.id)
    db.session.commit()


def move_folder(access: ProjectAccess, folder: Folder, into: Folder | None) -> None:
    """Put a folder (with all it holds) into another folder of the project, or at the top."""
    if into is not None:
        if into.project_id != folder.project_id:
            raise OtherProject()
        rows = all_folder_rows(folder.project_id)
        if into.id in descendant_ids(folder.id, [(r[0], r[1]) for r in rows]):
            raise IntoItself()
    check_name_free(folder.project_id, into.id if into else None, folder.name, keep=folder.id)
    folder.parent_id, folder.updated_at = (into.id if into else None), utcnow()
    activity.record_event("moved", folder, by=access.user, text=destination_name(into))
    spread_marks(folder.project_id, folder.id)
    db.session.commit()


def destination_name(into: Folder | None) -> str:
    return into.name if into else str(_l("the top of the project"))


def move_item(access: ProjectAccess, item: object, into: Folder | None) -> None:
    """Put a document or a file into a folder of its project (or at the top); it takes the
    folder's mark at once, on every surface."""
    kind = filed_kind_of(item)
    if not is_filed(item):
        raise NotFiled()
    if into is not None and into.project_id != item.project_id:
        raise OtherProject()
    check_item_name_free(kind, item, into)
    item.folder_id = into.id if into else None
    was_private = item.private
    item.private = bool(item.marked_private or (into is not None and into.private))
    activity.record_event("moved", item, by=access.user, text=destination_name(into))
    if was_private != item.private:
        activity.follow_privacy(item)
    db.session.commit()


def check_item_name_free(kind: items.ItemKind, item: object, into: Folder | None) -> None:
    """Two documents (or two files) of one folder never share a name."""
    check_title_free(kind, item.project_id, into.id if into else None, name_of(item),
                     keep=item.id)


def check_title_free(kind: items.ItemKind, project_id: int, folder_id: int | None, name: str,
                     keep: int | None = None) -> None:
    """No other item of `kind` in that folder (None: at the top) has this name (whatever
    its case)."""
    model, title = kind.model, kind.model.__table__.c[kind.search.title]
    where = [model.project_id == project_id, func.lower(title) == name.strip().lower(),
             *standalone(model),
             model.folder_id == folder_id if folder_id else model.folder_id.is_(None)]
    if keep is not None:
        where.append(model.id != keep)
    if db.session.scalar(select(model.id).where(*where).limit(1)) is not None:
        raise NameTaken()


def delete_folder(folder: Folder) -> None:
    """Delete an empty folder (never anything inside one by surprise)."""
    held = [select(Folder.id).where(Folder.parent_id == folder.id)] + [
        select(kind.model.id).where(kind.model.folder_id == folder.id) for kind in filed_kinds()]
    if db.session.scalar(select(func.count()).select_from(union_all(*held).subquery())):
        raise NotEmpty()
    items.delete(folder)
    db.session.commit()


def spread_marks(project_id: int, top_id: int) -> None:
    """Give the folder `top_id`, every folder inside it and everything they hold their
    effective mark (their own, or their folder's), with their events and what hangs on them:
    a few set-based statements, whatever they hold."""
    db.session.flush()
    rows = all_folder_rows(project_id)
    marks = effective_marks(rows)
    affected = descendant_ids(top_id, [(r[0], r[1]) for r in rows])
    private_ids = [fid for fid in affected if marks[fid]]
    public_ids = [fid for fid in affected if not marks[fid]]
    for ids, private in ((private_ids, True), (public_ids, False)):
        if not ids:
            continue
        mark_folders(project_id, ids, private)
        for kind in filed_kinds():
            mark_items(project_id, kind, ids, private)


def effective_marks(rows: list[tuple[int, int | None, bool]]) -> dict[int, bool]:
    parents = {fid: parent for fid, parent, _ in rows}
    own = {fid: marked for fid, _, marked in rows}
    marks: dict[int, bool] = {}

    def mark(fid: int, depth: int = 0) -> bool:
        if fid not in marks:
            parent = parents.get(fid)
            inherited = parent is not None and depth < len(rows) and mark(parent, depth + 1)
            marks[fid] = own[fid] or inherited
        return marks[fid]

    for fid in own:
        mark(fid)
    return marks


def mark_folders(project_id: int, ids: list[int], private: bool) -> None:
    changing = and_(Folder.id.in_(ids), Folder.private.is_(not private))
    changed = list(db.session.scalars(select(Folder.id).where(changing)))
    if changed:
        db.session.execute(update(Folder).where(Folder.id.in_(changed)).values(private=private))
        activity.follow_privacy_of(project_id, "folder", changed, private=private)


def mark_items(project_id: int, kind: items.ItemKind, folder_ids: list[int],
               private: bool) -> None:
    """Items of these folders take `private`, or their own mark when the folders are not
    private; only those whose mark changes are written (with their events)."""
    model = kind.model
    in_folders = model.folder_id.in_(folder_ids)
    if private:
        changing = and_(in_folders, not_(model.private))
    else:
        changing = and_(in_folders, model.private, not_(model.marked_private))
    changed = list(db.session.scalars(select(model.id).where(changing)))
    if changed:
        db.session.execute(update(model).where(model.id.in_(changed)).values(private=private))
        activity.follow_privacy_of(project_id, kind.name, changed, private=private)


