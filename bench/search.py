"""How long a search takes on a large index, and how many queries a search page runs.

Builds a scratch SQLite (or WORKSPACE_DATABASE_URL) database with --items searchable items
(messages, comments, lists, to-dos, milestones, files) over 12 projects, indexes them with
`workspace search reindex`'s function (timed too), then times searches in-process as a member
and as a client. Usage:

    .venv/bin/python bench/search.py --items 50000
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from scratch import scratch_instance
from sqlalchemy import event, insert

# Words people search for, English and French, with accents and inflections: each appears in
# a few percent of the items, among filler drawn from 5,000 made-up words with the skewed
# frequencies of real text (the commonest in most items, like "the").
VOCABULARY = (
    "launch launched launches launching plan plans planning budget budgets review reviewed "
    "meeting meetings deadline deadlines customer customers design designs release released "
    "invoice invoices contract contracts report reports draft drafts schedule schedules "
    "échéance échéances livraison livraisons réunion réunions devis facture factures projet "
    "projets équipe équipes client clients maquette maquettes lancement lancements retard "
    "budgétaire calendrier rapport rapports signature signé validation validé priorité"
)
WORDS = VOCABULARY.split()
SYLLABLES = [consonant + vowel for consonant in "bdfklmnprst" for vowel in "aeiou"]
FILLER = [a + b + c for a in SYLLABLES for b in SYLLABLES for c in SYLLABLES][:5000]
FILLER_WEIGHTS = [1 / rank for rank in range(1, len(FILLER) + 1)]
QUERIES = ["launch", "échéance", "echeance", "budget review", '"launch plan"', "livr*",
           "maquettes validées", "contract signature", "zzzz", "plan*"]
# The worst case, reported apart: a word in most items.
COMMON_QUERY = FILLER[0]


def text(rng: random.Random, rare: int, words: int) -> str:
    chosen = rng.choices(FILLER, FILLER_WEIGHTS, k=words)
    chosen += [word for word in WORDS if rng.random() < 0.02]
    rng.shuffle(chosen)
    chosen.append(f"rare{rare}")
    return " ".join(chosen)


def build(args: argparse.Namespace) -> tuple[object, object]:
    from workspace.auth.models import User
    from workspace.comments.models import Comment
    from workspace.extensions import db
    from workspace.files.models import ProjectFile
    from workspace.messages.models import Message
    from workspace.milestones.models import Milestone
    from workspace.projects.models import Membership, Project, Role
    from workspace.todos.models import Todo, TodoList
    from workspace.types import utcnow

    rng = random.Random(7)
    member = User(email="member@example.org", name="Member", password_hash="x")
    client = User(email="client@example.org", name="Client", password_hash="x")
    projects = [Project(name=f"Project {n}", description="") for n in range(12)]
    for n, project in enumerate(projects):
        if n < 8:
            project.memberships.append(Membership(user=member, role=Role.MEMBER))
        if n < 5:
            project.memberships.append(Membership(user=client, role=Role.CLIENT))
    db.session.add_all([member, client, *projects])
    db.session.flush()
    now = utcnow()
    share = args.items // 50  # 40% messages, 40% comments, 12% to-dos, rest lists, ...
    base = {"author_id": member.id, "created_at": now}

    def rows(count: int, make) -> list[dict]:  # type: ignore[no-untyped-def]
        return [{**base, "project_id": projects[n % 12].id, **make(n)} for n in range(count)]

    db.session.execute(insert(Message), rows(20 * share, lambda n: {
        "title": text(rng, n, 4), "body": text(rng, n, rng.randint(20, 120)),
        "body_html": "", "private": n % 5 == 0}))
    db.session.execute(insert(TodoList), rows(2 * share, lambda n: {
        "name": text(rng, n, 3), "description": text(rng, n, 10), "private": n % 5 == 0}))
    list_ids = db.session.scalars(db.select(TodoList.id).order_by(TodoList.id)).all()
    db.session.execute(insert(Todo), rows(6 * share, lambda n: {
        "list_id": list_ids[n % len(list_ids)], "text": text(rng, n, 6),
        "notes": text(rng, n, 15), "notes_html": "", "private": False}))
    db.session.execute(insert(Milestone), rows(share, lambda n: {
        "title": text(rng, n, 3), "due_on": now.date(), "notes": text(rng, n, 10),
        "notes_html": ""}))
    db.session.execute(insert(ProjectFile), rows(share, lambda n: {
        "name": f"{rng.choice(WORDS)}-{n}.pdf", "description": text(rng, n, 8),
        "private": n % 5 == 0, "updated_at": now}))
    message_ids = db.session.scalars(db.select(Message.id).order_by(Message.id)).all()
    db.session.execute(insert(Comment), rows(20 * share, lambda n: {
        "subject_type": "message", "subject_id": message_ids[n % len(message_ids)],
        "body": text(rng, n, rng.randint(5, 60)), "body_html": ""}))
    db.session.commit()
    return member, client


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--items", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    scratch_instance()

    from workspace import create_app
    from workspace.auth.operations import open_session
    from workspace.extensions import db
    from workspace.search.indexing import rebuild
    from workspace.search.queries import Filters, search
    from workspace.search.query import parse

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SERVER_NAME": "bench"})
    with app.app_context():
        db.drop_all()
        db.create_all()
        member, client = build(args)
        started = time.perf_counter()
        count = rebuild(db.session.connection())
        db.session.commit()
        reindex = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":  # statistics, as autovacuum would gather
            with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
                conn.exec_driver_sql("ANALYZE")
        print(f"{db.engine.dialect.name}: {count} items indexed in {reindex:.1f} s")
        people = {"member": (member.id, open_session(member)),
                  "client": (client.id, open_session(client))}

    for who, (user_id, session_id) in people.items():
        with app.app_context():
            from workspace.auth.models import User

            user = db.session.get(User, user_id)
            samples = []
            for query in QUERIES:
                parsed = parse(query)
                samples += timed(lambda u=user, p=parsed: search(u, p, Filters()), args.runs)
            median, p95 = statistics.median(samples), percentile(samples, 95)
            print(f"as a {who}: search() median {median:.1f} ms, p95 {p95:.1f} ms "
                  f"over {len(QUERIES)} queries x {args.runs}")
            common = parse(COMMON_QUERY)
            hits = search(user, common, Filters()).total
            worst = statistics.median(timed(lambda u=user, c=common: search(u, c, Filters()), 5))
            print(f"as a {who}: worst case, a word in {hits} visible items: median {worst:.1f} ms")
        page_statistics(app, who, session_id, args.runs)


def page_statistics(app, who: str, session_id: str, runs: int) -> None:  # type: ignore[no-untyped-def]
    from workspace.extensions import db

    web = app.test_client()
    with web.session_transaction() as session:
        session["_user_id"] = session_id
    statements: list[str] = []
    with app.app_context():
        listener = lambda *a: statements.append(a[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
    samples, counts = [], set()
    for query in QUERIES:
        statements.clear()
        assert web.get("/search", query_string={"q": query}).status_code == 200
        counts.add(len(statements))
        samples += timed(lambda q=query: web.get("/search", query_string={"q": q}),
                         runs // 2 or 1)
    print(f"as a {who}: whole page median {statistics.median(samples):.1f} ms, "
          f"p95 {percentile(samples, 95):.1f} ms, SQL queries per page {sorted(counts)}")


def percentile(samples: list[float], pct: int) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, len(ordered) * pct // 100)]


def timed(call, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


if __name__ == "__main__":
    main()
