"""What the milestone pages read: late, upcoming and completed, and a month's calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from workspace.extensions import db
from workspace.milestones.models import Milestone
from workspace.projects.access import ProjectAccess
from workspace.todos.models import TodoList
from workspace.todos.queries import Progress, progress_by_list


@dataclass
class Schedule:
    """Milestones split as the viewer sees them on `today`, their own date."""

    today: date
    late: list[Milestone]
    upcoming: list[Milestone]
    completed: list[Milestone]


def all_milestones(access: ProjectAccess) -> list[Milestone]:
    return list(db.session.scalars(
        select(Milestone).where(Milestone.project_id == access.project.id)
        .options(db.joinedload(Milestone.responsible), db.joinedload(Milestone.completed_by))
        .order_by(Milestone.due_on, Milestone.id)
    ))


def schedule(access: ProjectAccess, today: date) -> Schedule:
    """Late ones first, then upcoming by date, then completed (most recent first)."""
    milestones = all_milestones(access)
    completed = sorted((m for m in milestones if m.is_completed),
                       key=lambda m: m.completed_at, reverse=True)
    return Schedule(
        today=today,
        late=[m for m in milestones if m.is_late(today)],
        upcoming=[m for m in milestones if not m.is_completed and not m.is_late(today)],
        completed=completed,
    )


def soon(access: ProjectAccess, today: date, days: int = 14) -> Schedule:
    """For the overview: late milestones and those due in the next `days` days."""
    milestones = list(db.session.scalars(
        select(Milestone).where(
            Milestone.project_id == access.project.id, Milestone.completed_at.is_(None),
            Milestone.due_on <= today + timedelta(days=days),
        ).options(db.joinedload(Milestone.responsible)).order_by(Milestone.due_on, Milestone.id)
    ))
    return Schedule(today=today, late=[m for m in milestones if m.is_late(today)],
                    upcoming=[m for m in milestones if not m.is_late(today)], completed=[])


def linked_lists(access: ProjectAccess, milestone: Milestone,
                 today: date) -> list[tuple[TodoList, Progress]]:
    """The to-do lists linked to `milestone` that this person sees, each with its progress."""
    lists = list(db.session.scalars(
        access.visible(select(TodoList), TodoList)
        .where(TodoList.milestone_id == milestone.id)
        .order_by(TodoList.position, TodoList.id)
    ))
    progress = progress_by_list([todo_list.id for todo_list in lists], today)
    return [(todo_list, progress.get(todo_list.id, Progress())) for todo_list in lists]


