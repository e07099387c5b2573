"""Milestones: each function is one transaction that also records its event."""

from __future__ import annotations

from datetime import date

from workspace import items
from workspace.activity import operations as activity
from workspace.auth.models import User
from workspace.comments.following import follow, follow_new_item
from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.projects.access import ProjectAccess
from workspace.text import render_markdown
from workspace.todos.operations import person_in_project
from workspace.types import utcnow


def create_milestone(access: ProjectAccess, *, title: str, due_on: date,
                     responsible_id: int | None = None, notes: str = "") -> Milestone:
    person_in_project(access, responsible_id)
    milestone = Milestone(
        project_id=access.project.id, author=access.user, title=title.strip(), due_on=due_on,
        responsible_id=responsible_id, notes=notes, notes_html=str(render_markdown(notes)),
    )
    db.session.add(milestone)
    activity.record_event("created", milestone, by=access.user, text=notes)
    follow_new_item(milestone, responsible_id)
    db.session.commit()
    return milestone


def update_milestone(access: ProjectAccess, milestone: Milestone, *, title: str, due_on: date,
                     responsible_id: int | None, notes: str) -> None:
    person_in_project(access, responsible_id)
    if responsible_id != milestone.responsible_id:
        follow(milestone.item_id, [responsible_id])
    milestone.title, milestone.due_on, milestone.notes = title.strip(), due_on, notes
    milestone.responsible_id = responsible_id
    milestone.notes_html = str(render_markdown(notes))
    milestone.edited_at = utcnow()
    activity.record_event("edited", milestone, by=access.user, text=notes)
    db.session.commit()


def complete_milestone(milestone: Milestone, *, by: User) -> None:
    if milestone.is_completed:
        return
    milestone.completed_at, milestone.completed_by = utcnow(), by
    activity.record_event("completed", milestone, by=by)
    db.session.commit()


def reopen_milestone(milestone: Milestone, *, by: User) -> None:
    if not milestone.is_completed:
        return
    milestone.completed_at, milestone.completed_by = None, None
    activity.record_event("reopened", milestone, by=by)
    db.session.commit()


def delete_milestone(milestone: Milestone) -> None:
    """Delete a milestone; its lists stay, unlinked."""
    items.delete(milestone)
    db.session.commit()
