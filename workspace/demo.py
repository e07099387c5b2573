"""A realistic data set of a chosen size, for trying Workspace out and for the benchmarks.

Rows go in with bulk inserts in batches (no ORM objects, no per-row events), with ids chosen
here so that comments, events and files can point at what they belong to without reading
anything back. The same seed gives the same data set. Everyone signs in with DEMO_PASSWORD;
owner@demo.example owns every project.
"""

from __future__ import annotations

import io
import random
import secrets
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import Table, func, insert, select, text
from werkzeug.security import generate_password_hash

from workspace import items
from workspace.activity.models import Event
from workspace.auth.models import User
from workspace.comments.models import Comment, Follower
from workspace.documents.models import Document, DocumentVersion
from workspace.documents.operations import short_excerpt
from workspace.extensions import db
from workspace.files.models import FileVersion, ProjectFile
from workspace.files.sniff import kind_of
from workspace.files.storage import storage
from workspace.folders.models import Folder
from workspace.inbound.models import EmailInAddress, new_key
from workspace.items import Item, Itemized
from workspace.messages.models import Message
from workspace.milestones.models import Milestone
from workspace.projects.models import Membership, Project, Role
from workspace.schedule.models import Attendance, CalendarEvent, EventException
from workspace.search.indexing import rebuild
from workspace.todos.models import Todo, TodoList
from workspace.types import utcnow

DEMO_PASSWORD = "demo password"
OWNER_EMAIL = "owner@demo.example"
SEED = 9
BATCH = 5_000
TODOS_PER_LIST = 50
BUSY_MESSAGE_COMMENTS = 200  # each project's first message: the long thread of the benchmark
DISTINCT_BLOBS = 20
# Each project's documents: one at the top, one in a folder, one in a folder private to the
# team, each with a few versions by different people (who follow it).
DOCUMENT_PLACES = (None, "Specs", "Team notes")
MAX_VERSIONS = 5
VERSION_NOTES = ("", "", "added the budget", "new dates", "fixed the typos")
HISTORY_DAYS = 365
SCHEDULE_WEEKS_BEFORE = 8  # the weekly meeting began this many weeks ago
DEMO_ZONE = ZoneInfo("Europe/Paris")

WORDS = [
    "launch", "plan", "budget", "review", "client", "draft", "design", "homepage", "copy",
    "schedule", "meeting", "notes", "invoice", "sprint", "release", "feedback", "mockup",
    "photo", "shoot", "printer", "proof", "contract", "venue", "catering", "agenda", "survey",
    "report", "slides", "logo", "colour", "palette", "typography", "brief", "deadline",
]
# Texts mix those words with made-up ones drawn with the skewed frequencies of real text (the
# commonest in most texts, most of them rare), so that a search finds a realistic share of
# the items rather than half of them.
SYLLABLES = [consonant + vowel for consonant in "bdfklmnprstv" for vowel in "aeiou"]
FILLER = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES][:5000]
FILLER_WEIGHTS = list(accumulate(1 / rank for rank in range(1, len(FILLER) + 1)))


@dataclass(frozen=True)
class Size:
    projects: int
    people: int
    messages: int
    comments: int
    todos: int
    milestones: int
    files: int
    members_per_project: int
    clients_per_project: int


SIZES = {
    "small": Size(projects=3, people=20, messages=60, comments=900, todos=300, milestones=12,
                  files=30, members_per_project=8, clients_per_project=2),
    "large": Size(projects=50, people=200, messages=20_000, comments=100_000, todos=50_000,
                  milestones=2_000, files=5_000, members_per_project=12, clients_per_project=3),
}


class NotEmpty(Exception):
    """The database already holds accounts: the demo adds to an empty one only, unless forced."""


@dataclass
class Ids:
    """The next free id of each table, so that rows can refer to each other before insert."""

    next: dict[str, int] = field(default_factory=dict)

    def peek(self, table: Table) -> int:
        if table.name not in self.next:
            self.next[table.name] = (db.session.scalar(select(func.max(table.c.id))) or 0) + 1
        return self.next[table.name]

    def take(self, table: Table) -> int:
        value = self.peek(table)
        self.next[table.name] += 1
        return value


@dataclass
class Builder:
    size: Size
    random: random.Random
    now: datetime
    ids: Ids = field(default_factory=Ids)
    rows: dict[Table, list[dict[str, object]]] = field(default_factory=dict)
    events: list[dict[str, object]] = field(default_factory=list)
    item_ids: dict[tuple[str, int], int] = field(default_factory=dict)

    def add(self, model: type, parent: tuple[str, int] | None = None, **values: object) -> int:
        """Add a row; a kind's row gets its row in `items` too, under the item `parent`
        (a kind's name and an id) when it belongs to one."""
        table = model.__table__
        values["id"] = self.ids.take(table)
        if issubclass(model, Itemized):
            kind = items.by_model(model).name
            values["item_id"] = self.add(
                Item, kind=kind, project_id=values["project_id"],
                parent_id=self.item_ids[parent] if parent else None)
            self.item_ids[kind, values["id"]] = values["item_id"]
        self.rows.setdefault(table, []).append(values)
        return values["id"]

    def event(self, project_id: int, actor_id: int, action: str, subject: tuple[str, int, str],
              target: tuple[str, int], private: bool, at: datetime, excerpt: str = "") -> None:
        subject_type, subject_id, title = subject
        self.events.append({
            "project_id": project_id, "actor_id": actor_id, "action": action,
            "subject_type": subject_type, "subject_id": subject_id, "target_type": target[0],
            "target_id": target[1], "subject_item_id": self.item_ids[subject_type, subject_id],
            "target_item_id": self.item_ids[target], "summary": title[:200],
            "excerpt": excerpt[:280], "private": private, "created_at": at,
        })

    def moment(self, after: datetime | None = None) -> datetime:
        start = after or self.now - timedelta(days=HISTORY_DAYS)
        span = max(1, int((self.now - start).total_seconds()))
        return start + timedelta(seconds=self.random.randrange(span))

    def words(self, low: int, high: int, *, known: float = 0.5) -> str:
        """Between `low` and `high` words, a share `known` of them from WORDS."""
        count = self.random.randint(low, high)
        made_up = self.random.choices(FILLER, cum_weights=FILLER_WEIGHTS, k=count)
        return " ".join(self.random.choice(WORDS) if self.random.random() < known else word
                        for word in made_up)

    def body(self) -> tuple[str, str]:
        """A message's or a comment's Markdown text and its HTML: two paragraphs of plain
        words need no Markdown renderer (100,000 renderings would take minutes)."""
        paragraphs = [self.words(8, 30, known=0.05).capitalize() + "." for _ in range(2)]
        return "\n\n".join(paragraphs), "".join(f"<p>{p}</p>\n" for p in paragraphs)


@dataclass
class Team:
    project_id: int
    team: list[int]
    clients: list[int]

    @property
    def everyone(self) -> list[int]:
        return self.team + self.clients


def build_demo(size_name: str | Size, *, force: bool = False) -> dict[str, int]:
    """Fill the database with a data set (a name of SIZES, or a Size) and commit; returns the
    rows added per table.

    Refuses (NotEmpty) when accounts exist already, unless `force`: then it adds beside them,
    its addresses tagged (owner+21@demo.example) if an earlier demo took the plain ones.
    """
    if not force and User.any_exists():
        raise NotEmpty()
    size = SIZES[size_name] if isinstance(size_name, str) else size_name
    builder = Builder(size, random.Random(SEED), utcnow().replace(microsecond=0))
    people = add_people(builder)
    teams = [add_project(builder, number, people) for number in range(size.projects)]
    for number, team in enumerate(teams):
        add_messages(builder, team, share(size.messages, size.projects, number),
                     share(size.comments, size.projects, number))
        add_todos(builder, team, share(size.todos, size.projects, number),
                  share(size.milestones, size.projects, number))
        add_files(builder, team, share(size.files, size.projects, number))
        add_documents(builder, team)
        add_schedule(builder, team)
    add_events(builder)
    counts = write(builder)
    # Bulk inserts bypass the index's listeners: index everything, as after a restore.
    counts["search_entries"] = rebuild(db.session.connection())
    db.session.commit()
    return counts


def share(total: int, parts: int, index: int) -> int:
    """Part `index` of `total` split into `parts` nearly equal parts."""
    return total // parts + (1 if index < total % parts else 0)


def demo_email(number: int, tag: str) -> str:
    local, domain = OWNER_EMAIL.split("@") if number == 0 else (f"person{number}", "demo.example")
    return f"{local}{tag}@{domain}"


def add_people(builder: Builder) -> list[int]:
    password_hash = generate_password_hash(
        DEMO_PASSWORD, method=current_app.config["PASSWORD_HASH_METHOD"]
    )
    people: list[int] = []
    tag = "" if User.by_email(OWNER_EMAIL) is None else f"+{builder.ids.peek(User.__table__)}"
    for number in range(builder.size.people):
        email = demo_email(number, tag)
        people.append(builder.add(
            User, email=email, name="Olivia Owner" if number == 0 else f"Person {number}",
            password_hash=password_hash, is_admin=False, locale=None, timezone="Europe/Paris",
            feed_secret=secrets.token_urlsafe(24),
            email_notifications=False, created_at=builder.now - timedelta(days=HISTORY_DAYS),
        ))
    return people


def add_project(builder: Builder, number: int, people: list[int]) -> Team:
    size = builder.size
    project_id = builder.add(
        Project, name=f"Project {number + 1}: {builder.words(2, 4)}",
        description=builder.words(8, 20), created_at=builder.now - timedelta(days=HISTORY_DAYS),
        archived_at=None, activity_version=0, timezone="Europe/Paris", alert_days_before=2,
        alert_on_the_day=True, alert_when_late=True,
    )
    chosen = builder.random.sample(people[1:], size.members_per_project + size.clients_per_project)
    team = [people[0], *chosen[: size.members_per_project]]
    clients = chosen[size.members_per_project:]
    for user_id in team + clients:
        role = Role.OWNER if user_id in team[:2] else (
            Role.MEMBER if user_id in team else Role.CLIENT)
        joined = builder.now - timedelta(days=HISTORY_DAYS)
        builder.add(Membership, project_id=project_id, user_id=user_id, role=role,
                    created_at=joined)
        # What projects.operations.join_project gives every member, bulk inserts included.
        builder.add(EmailInAddress, key=new_key(), user_id=user_id, project_id=project_id,
                    created_at=joined)
    return Team(project_id, team, clients)


def add_messages(builder: Builder, team: Team, messages: int, comments: int) -> None:
    per_message = split_comments(builder, messages, comments)
    for count in per_message:
        private = builder.random.random() < 0.1
        authors = team.team if private else team.everyone
        created = builder.moment()
        body, html = builder.body()
        title = builder.words(3, 7).capitalize()
        thread = sorted(builder.moment(created) for _ in range(count))
        message_id = builder.add(
            Message, project_id=team.project_id, author_id=builder.random.choice(authors),
            title=title, body=body, body_html=html, private=private, created_at=created,
            edited_at=None, comments_count=count, last_comment_at=thread[-1] if thread else None,
            last_commenter_id=None, last_activity_at=thread[-1] if thread else created,
        )
        message = builder.rows[Message.__table__][-1]
        builder.event(team.project_id, message["author_id"], "created",
                      ("message", message_id, title), ("message", message_id), private, created,
                      body)
        for at in thread:
            body, html = builder.body()
            author = builder.random.choice(authors)
            comment_id = builder.add(
                Comment, parent=("message", message_id), project_id=team.project_id,
                subject_type="message", subject_id=message_id,
                subject_item_id=builder.item_ids["message", message_id], author_id=author,
                body=body, body_html=html, created_at=at, edited_at=None,
            )
            message["last_commenter_id"] = author
            builder.event(team.project_id, author, "commented", ("message", message_id, title),
                          ("comment", comment_id), private, at, body)


def split_comments(builder: Builder, messages: int, comments: int) -> list[int]:
    """How many comments each message gets: the first one a long thread, the rest at random."""
    if messages == 0:
        return []
    busy = min(BUSY_MESSAGE_COMMENTS, comments)
    counts = [busy] + [0] * (messages - 1)
    for _ in range(comments - busy):
        counts[builder.random.randrange(1, messages) if messages > 1 else 0] += 1
    return counts


def add_todos(builder: Builder, team: Team, todos: int, milestones: int) -> None:
    today = builder.now.date()
    milestone_ids = [add_milestone(builder, team, today) for _ in range(milestones)]
    lists = max(1, -(-todos // TODOS_PER_LIST))
    for position in range(lists):
        private = builder.random.random() < 0.15
        name = builder.words(2, 4).capitalize()
        created = builder.moment()
        author = builder.random.choice(team.team)
        list_id = builder.add(
            TodoList, project_id=team.project_id, author_id=author, name=name,
            description=builder.words(0, 12), private=private, position=position,
            milestone_id=builder.random.choice(milestone_ids) if milestone_ids and
            builder.random.random() < 0.5 else None,
            clients_can_complete=False, created_at=created,
        )
        builder.event(team.project_id, author, "created", ("todolist", list_id, name),
                      ("todolist", list_id), private, created)
        count = share(todos, lists, position)
        for todo_position in range(count):
            add_todo(builder, team, list_id, todo_position, private, created, today)


def add_todo(builder: Builder, team: Team, list_id: int, position: int, private: bool,
             after: datetime, today: date) -> None:
    created = builder.moment(after)
    author = builder.random.choice(team.team)
    done = builder.random.random() < 0.6
    completed = builder.moment(created) if done else None
    label = builder.words(3, 8).capitalize()
    todo_id = builder.add(
        Todo, parent=("todolist", list_id), project_id=team.project_id, list_id=list_id,
        author_id=author, text=label,
        notes="", notes_html="", private=private, position=position, created_at=created,
        assignee_id=builder.random.choice(team.team) if builder.random.random() < 0.5 else None,
        due_on=today + timedelta(days=builder.random.randint(-30, 60))
        if builder.random.random() < 0.4 else None,
        edited_at=None, completed_at=completed, completed_by_id=author if done else None,
        comments_count=0, last_comment_at=None, last_commenter_id=None,
    )
    builder.event(team.project_id, author, "created", ("todo", todo_id, label),
                  ("todo", todo_id), private, created)
    if completed:
        builder.event(team.project_id, author, "completed", ("todo", todo_id, label),
                      ("todo", todo_id), private, completed)


def add_milestone(builder: Builder, team: Team, today: date) -> int:
    due = today + timedelta(days=builder.random.randint(-180, 180))
    created = builder.moment()
    done = due < today and builder.random.random() < 0.8
    author = builder.random.choice(team.team)
    title = builder.words(2, 5).capitalize()
    milestone_id = builder.add(
        Milestone, project_id=team.project_id, author_id=author, title=title, due_on=due,
        responsible_id=builder.random.choice(team.team), notes="", notes_html="",
        created_at=created, edited_at=None, completed_at=builder.moment(created) if done else None,
        completed_by_id=author if done else None, comments_count=0, last_comment_at=None,
        last_commenter_id=None,
    )
    builder.event(team.project_id, author, "created", ("milestone", milestone_id, title),
                  ("milestone", milestone_id), False, created)
    return milestone_id


def add_files(builder: Builder, team: Team, files: int) -> None:
    blobs = stored_blobs()
    for _ in range(files):
        sha256, size = builder.random.choice(blobs)
        private = builder.random.random() < 0.1
        created = builder.moment()
        author = builder.random.choice(team.team if private else team.everyone)
        name = f"{builder.words(1, 3).replace(' ', '-')}.txt"
        file_id = builder.add(
            ProjectFile, project_id=team.project_id, author_id=author, name=name,
            description=builder.words(0, 10), marked_private=private, private=private,
            attached_type=None, attached_id=None, attached_item_id=None, comment_id=None,
            version_count=1, size=size,
            content_type="text/plain", kind=kind_of("text/plain"), created_at=created,
            updated_at=created, comments_count=0, last_comment_at=None, last_commenter_id=None,
        )
        builder.add(FileVersion, file_id=file_id, number=1, sha256=sha256, size=size,
                    content_type="text/plain", original_name=name, thumbnail_sha256=None,
                    uploader_id=author, created_at=created)
        builder.event(team.project_id, author, "uploaded", ("file", file_id, name),
                      ("file", file_id), private, created)


def add_documents(builder: Builder, team: Team) -> None:
    """A public and a private folder, and a document at the top and in each."""
    folders: dict[str | None, tuple[int | None, bool, datetime | None]] = {
        None: (None, False, None)}
    for name in DOCUMENT_PLACES[1:]:
        private = name == DOCUMENT_PLACES[-1]
        created, author = builder.moment(), builder.random.choice(team.team)
        folder_id = builder.add(
            Folder, project_id=team.project_id, parent_id=None, author_id=author, name=name,
            description=builder.words(0, 10), marked_private=private, private=private,
            created_at=created, updated_at=created)
        builder.event(team.project_id, author, "created", ("folder", folder_id, name),
                      ("folder", folder_id), private, created)
        folders[name] = folder_id, private, created
    for place in DOCUMENT_PLACES:
        add_document(builder, team, *folders[place])


def add_document(builder: Builder, team: Team, folder_id: int | None, private: bool,
                 after: datetime | None) -> None:
    """A document with up to MAX_VERSIONS versions, written `after` its folder was made; its
    author and savers follow it."""
    title = builder.words(2, 5).capitalize()
    saves = sorted(builder.moment(after)
                   for _ in range(builder.random.randint(2, MAX_VERSIONS)))
    savers = [builder.random.choice(team.team) for _ in saves]
    body = builder.body()[0]
    document_id = builder.add(
        Document, project_id=team.project_id, author_id=savers[0], title=title, body="",
        body_html="", excerpt="", marked_private=False, private=private, folder_id=folder_id,
        version_count=len(saves), editor_id=savers[-1], created_at=saves[0],
        updated_at=saves[-1], comments_count=0, last_comment_at=None, last_commenter_id=None)
    subject = ("document", document_id, title)
    for number, (at, saver) in enumerate(zip(saves, savers, strict=True), start=1):
        if number > 1:  # each version adds a paragraph
            body += "\n\n" + builder.words(8, 30, known=0.05).capitalize() + "."
        note = "" if number == 1 else builder.random.choice(VERSION_NOTES)
        builder.add(DocumentVersion, document_id=document_id, number=number, title=title,
                    body=body, note=note, size=len(body.encode()), author_id=saver,
                    created_at=at)
        action = "created" if number == 1 else "revised" if note else "edited"
        builder.event(team.project_id, saver, action, subject, ("document", document_id),
                      private, at, note or (body if number == 1 else ""))
    paragraphs = body.split("\n\n")
    builder.rows[Document.__table__][-1].update(
        body=body, body_html="".join(f"<p>{p}</p>\n" for p in paragraphs),
        excerpt=short_excerpt(body))
    for user_id in dict.fromkeys(savers):
        builder.add(Follower, item_id=builder.item_ids["document", document_id],
                    user_id=user_id, following=True, created_at=saves[0])


def add_schedule(builder: Builder, team: Team) -> None:
    """Three events, whatever the size: a weekly meeting with one date moved, an all-day
    offsite, and a planning session private to the team."""
    today = builder.now.date()
    monday = today - timedelta(days=today.weekday())
    first = monday - timedelta(weeks=SCHEDULE_WEEKS_BEFORE)
    weekly = add_calendar_event(builder, team, "Weekly meeting", local_time(first, 9),
                                local_time(first, 10), rule="FREQ=WEEKLY;BYDAY=MO",
                                attendees=team.team[:3] + team.clients[:1],
                                place="Meeting room")
    next_monday = local_time(monday + timedelta(weeks=1), 9)
    builder.add(EventException, event_id=weekly, original_start=next_monday, cancelled=False,
                title="Weekly meeting (moved to Tuesday)", place="Meeting room",
                notes="Monday is a holiday.", notes_html="<p>Monday is a holiday.</p>\n",
                starts_at=next_monday + timedelta(days=1),
                ends_at=next_monday + timedelta(days=1, hours=1), created_at=builder.now,
                revision=1)
    offsite = today + timedelta(days=20)
    add_calendar_event(builder, team, "Team offsite", local_time(offsite, 0),
                       local_time(offsite + timedelta(days=2), 0), all_day=True,
                       attendees=team.team[:3])
    planning = local_time(today + timedelta(days=9), 14)
    add_calendar_event(builder, team, "Planning (team only)", planning,
                       planning + timedelta(hours=2), private=True, attendees=team.team[:2])


def local_time(day: date, hour: int) -> datetime:
    """`hour` o'clock on `day` in the demo's timezone, in UTC."""
    return datetime.combine(day, time(hour), tzinfo=DEMO_ZONE).astimezone(UTC)


def add_calendar_event(builder: Builder, team: Team, title: str, starts_at: datetime,
                       ends_at: datetime, *, rule: str | None = None, all_day: bool = False,
                       private: bool = False, attendees: list[int], place: str = "") -> int:
    """An event, its attendees, its author as its follower and its "created" event."""
    author = builder.random.choice(team.team)
    created = builder.now - timedelta(days=SCHEDULE_WEEKS_BEFORE * 7 + 1)
    notes = builder.words(5, 15).capitalize() + "."
    event_id = builder.add(
        CalendarEvent, project_id=team.project_id, author_id=author, title=title, place=place,
        notes=notes, notes_html=f"<p>{notes}</p>\n", starts_at=starts_at, ends_at=ends_at,
        all_day=all_day, timezone=DEMO_ZONE.key, rule=rule,
        last_ends_at=None if rule else ends_at, private=private, remind=None,
        created_at=created, edited_at=None, comments_count=0, last_comment_at=None,
        last_commenter_id=None, revision=0)
    for user_id in attendees:
        builder.add(Attendance, event_id=event_id, user_id=user_id)
    builder.add(Follower, item_id=builder.item_ids["event", event_id], user_id=author,
                following=True, created_at=created)
    builder.event(team.project_id, author, "created", ("event", event_id, title),
                  ("event", event_id), private, created, notes)
    return event_id


def stored_blobs() -> list[tuple[str, int]]:
    """A few small text contents, stored through the storage layer so that downloads work."""
    generator = random.Random(SEED)
    blobs = []
    for number in range(DISTINCT_BLOBS):
        lines = (" ".join(generator.choices(WORDS, k=12)) for _ in range(20 + 40 * number))
        content = f"Demo file {number}\n" + "\n".join(lines) + "\n"
        stored = storage().save(io.BytesIO(content.encode()), max_size=len(content) * 4)
        blobs.append((stored.sha256, stored.size))
    return blobs


def add_events(builder: Builder) -> None:
    """Events in the order things happened, so that newer events have larger ids."""
    builder.events.sort(key=lambda row: row["created_at"])
    for row in builder.events:
        builder.add(Event, **row)


def write(builder: Builder) -> dict[str, int]:
    counts = {}
    for table in db.metadata.sorted_tables:  # parents before children
        rows = builder.rows.get(table, [])
        for batch in batches(rows):
            db.session.execute(insert(table), batch)
        counts[table.name] = len(rows)
    if db.engine.dialect.name == "postgresql":
        for table in builder.rows:
            db.session.execute(text(
                f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
                f"(SELECT max(id) FROM {table.name}))"
            ))
    return {name: count for name, count in counts.items() if count}


def batches(rows: list[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start:start + BATCH]
