"""A source project with something of every kind, made through the normal operations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from workspace import models
from workspace.comments.operations import add_comment
from workspace.documents.operations import write_document
from workspace.extensions import db
from workspace.folders.operations import make_folder
from workspace.messages.operations import post_message
from workspace.milestones.operations import complete_milestone, create_milestone
from workspace.projects.access import access_to
from workspace.todos.operations import add_todo, complete_todo, create_list


@dataclass
class Source:
    project: models.Project
    owner: models.User
    designer: models.User
    message_ids: tuple[int, ...]


def source_project(make) -> Source:
    """Launch plan: two milestones (one done), a public list with dated to-dos (one done,
    one assigned to the designer), a private list, a folder with a document, a private folder,
    two messages; alerts set to Europe/Paris, 3 days before. Comments (`COMMENTS`) on a
    milestone, to-dos (a done one, a private one), the document and both messages."""
    owner, designer = make.user("Olga Owner"), make.user("Dina Designer")
    project = make.project("Launch plan", owner=owner, members=(designer,))
    project.timezone, project.alert_days_before = "Europe/Paris", 3
    db.session.commit()
    access = access_to(owner, project)
    kickoff = create_milestone(access, title="Kick-off", due_on=date(2027, 1, 4))
    old = create_milestone(access, title="Old review", due_on=date(2027, 1, 5))
    complete_milestone(old, by=owner)
    create_milestone(access, title="Launch", due_on=date(2027, 1, 29),
                     responsible_id=designer.id, notes="**Go** live")
    design = create_list(access, name="Design", description="Look and feel",
                         milestone_id=kickoff.id)
    sketch = add_todo(access, design, text="Sketch <b>logo</b>", due_on=date(2027, 1, 6),
                      assignee_id=designer.id, notes="Three options")
    add_todo(access, design, text="Pick colours", due_on=date(2027, 1, 11))
    done = add_todo(access, design, text="Buy fonts", due_on=date(2027, 1, 7))
    complete_todo(done, by=owner)
    add_todo(access, design, text="Undated")
    secret = create_list(access, name="Budget", private=True)
    fee = add_todo(access, secret, text="Agree the fee", due_on=date(2027, 1, 8))
    briefs = make_folder(access, name="Briefs", parent=None)
    brief = write_document(access, title="Creative brief", body="# Goals\n\nBe *bold*",
                           folder=briefs, private=False)
    make_folder(access, name="Contracts", parent=None, private=True)
    hello = post_message(access, title="Welcome", body="Hello all", private=False, notify=[])
    chatter = post_message(access, title="Chatter", body="Not kept", private=False, notify=[])
    for subject, body, by in ((kickoff, "Book the room", owner),
                              (sketch, "Round *corners*", designer),
                              (sketch, "Agreed", owner), (done, "Fonts bought", owner),
                              (fee, "Ask for 10%", owner), (brief, "Shorter please", designer),
                              (hello, "Hi team", designer), (chatter, "Off topic", owner)):
        add_comment(subject, body, by=by)
    return Source(project, owner, designer, (hello.id,))


def counts() -> dict[str, int]:
    """Rows of every table, to show that a refusal wrote nothing."""
    return {table.name: db.session.scalar(select(func.count()).select_from(table))
            for table in db.metadata.sorted_tables}
