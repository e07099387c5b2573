"""Each project's version (`Project.activity_version`): it changes, in the same transaction,
with anything the project's pages show that a newer event would not reveal: an edit, a
deletion, a new mark, a reordered list, someone joining or leaving, a person renamed. What
was rendered for a version may be kept until the next one: the feeds' validators and the
overview's panels are built on it.

Changes made through the ORM are noticed before each flush; the few bulk statements on a
project's items call `project_changed` themselves (`activity.operations.stream_changed`)."""

from __future__ import annotations

from itertools import chain

from sqlalchemy import event, inspect, update
from sqlalchemy.orm import Session

from workspace.auth.models import User
from workspace.projects.models import Project

BUMPED = "projects_bumped"  # session.info: projects already bumped in this transaction


def project_changed(session: Session, project_ids: set[int]) -> None:
    """Give these projects a new version (once a transaction is enough)."""
    bumped = session.info.setdefault(BUMPED, set())
    new = project_ids - bumped
    if new:
        session.execute(
            update(Project).where(Project.id.in_(sorted(new)))
            .values(activity_version=Project.activity_version + 1)
            .execution_options(synchronize_session=False)
        )
        bumped |= new


def changed_projects(session: Session) -> set[int]:
    """Projects whose rows this flush inserts, changes or deletes."""
    ids = set()
    for item in chain(session.new, session.dirty, session.deleted):
        if isinstance(item, Project):
            if item.id is not None and (item in session.deleted or changed(item)):
                ids.add(item.id)
        elif (project_id := project_of(item)) is not None and (
                item in session.new or item in session.deleted or changed(item)):
            ids.add(project_id)
    return ids


def project_of(item: object) -> int | None:
    """The project an item belongs to, also when it was given as an object, not an id."""
    project_id = getattr(item, "project_id", None)
    if project_id is None and isinstance(project := getattr(item, "project", None), Project):
        project_id = project.id
    return project_id


def changed(item: object) -> bool:
    return any(attr.history.has_changes() for attr in inspect(item).attrs)


def renamed_people(session: Session) -> bool:
    return any(isinstance(item, User) and inspect(item).attrs.name.history.has_changes()
               for item in session.dirty)


@event.listens_for(Session, "before_flush")
def _bump_changed_projects(session: Session, flush_context: object, instances: object) -> None:
    if renamed_people(session):  # names show in every project the person ever acted in
        session.execute(update(Project).values(activity_version=Project.activity_version + 1)
                        .execution_options(synchronize_session=False))
    project_changed(session, changed_projects(session))


@event.listens_for(Session, "after_transaction_end")
def _forget_bumps(session: Session, transaction: object) -> None:
    """Also after a savepoint: one rolled back takes its bump with it, and bumping again
    later in the same transaction costs only an UPDATE."""
    session.info.pop(BUMPED, None)
