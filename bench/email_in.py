"""How many emails per second the email-in pipeline takes.

Builds in a scratch SQLite (or an empty WORKSPACE_DATABASE_URL) a project of 5 people with a
message, then hands `receive()` --emails replies from the people, in-process: each a
Gmail-style reply with a quote to strip, each a comment that notifies the others. Usage:

    .venv/bin/python bench/email_in.py --emails 300
"""

from __future__ import annotations

import argparse
import time
from email.message import EmailMessage

from scratch import scratch_instance

QUOTE = ("\n\nOn Tue, Nov 24, 2026 at 10:00 AM Workspace <workspace@localhost> wrote:\n\n"
         "> Bo posted 'Launch plan'\n>\n> What do you think?\n")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--emails", type=int, default=300)
    args = parser.parse_args()
    scratch_instance()

    from workspace import create_app
    from workspace.auth.models import User
    from workspace.comments.models import Comment
    from workspace.extensions import db
    from workspace.inbound.addresses import reply_addresses
    from workspace.inbound.operations import Outcome, receive
    from workspace.messages.operations import post_message
    from workspace.projects.access import project_access
    from workspace.projects.models import Membership, Project, Role
    from workspace.scheduler import in_app

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "WORKSPACE_MAIL_INBOUND_ADDRESS": "workspace@example.org"})
    with app.test_request_context(base_url=app.config["WORKSPACE_BASE_URL"]):
        db.create_all()  # a scratch database: WORKSPACE_DATABASE_URL should point at an empty one
        people = [User(email=f"person{n}@example.org", name=f"Person {n}") for n in range(5)]
        project = Project(name="Bench", description="")
        for n, user in enumerate(people):
            user.set_password("benchmark password")
            project.memberships.append(Membership(user=user, role=Role.OWNER if n == 0
                                                  else Role.MEMBER))
        db.session.add_all([*people, project])
        db.session.commit()
        access = project_access(project.id, user=people[0])
        message = post_message(access, title="Launch plan", body="What do you think?",
                               private=False, notify=[p.id for p in people])
        by_user = reply_addresses(people, message_event(message))
        addresses = [(user, by_user[user.id]) for user in people]
        db.session.commit()
        emails = [reply_email(*addresses[n % len(addresses)], n) for n in range(args.emails)]

    started = time.perf_counter()
    outcomes = [in_app(app, lambda raw=raw: receive(raw))() for raw in emails]
    elapsed = time.perf_counter() - started
    with app.app_context():
        comments = db.session.scalar(db.select(db.func.count()).select_from(Comment))
        backend = db.engine.dialect.name
    assert outcomes.count(Outcome.ACCEPTED) == args.emails == comments, outcomes[:5]
    print(f"{backend}: {args.emails} emails in {elapsed:.2f} s: "
          f"{args.emails / elapsed:.1f} emails/s accepted (each a comment notifying 4 people)")


def message_event(message: object) -> object:
    from workspace.activity.models import Event
    from workspace.extensions import db

    return db.session.scalars(db.select(Event).where(
        Event.subject_type == "message", Event.subject_id == message.id)).first()


def reply_email(user: object, address: str, n: int) -> bytes:
    email = EmailMessage()
    email["From"], email["To"] = user.email, address
    email["Subject"] = "Re: [Bench] Launch plan"
    email["Message-ID"] = f"<bench-{n}@mail.example.org>"
    email.set_content(f"Reply number {n}: agreed, let us go ahead." + QUOTE)
    return bytes(email)


if __name__ == "__main__":
    main()
