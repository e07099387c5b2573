"""How many emails a busy day sends, by delivery schedule: at once, hourly bundles, daily
recaps.

The day, on a simulated clock: 5 people of one project, 3 threads posted at 09:00 UTC (each
notifying everyone), then 20 comments between 09:00 and 17:00 by the 5 people in turn, on the
3 threads in turn. Every person has the schedule measured (daily recaps at 18:00 UTC); the
recap job runs every 5 minutes until the next morning, as the scheduler would. Each schedule
runs in a scratch SQLite database of its own. Prints the emails per person and in all; the
daily recap is at most one email per person. Usage:

    .venv/bin/python bench/notification_emails.py
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, time, timedelta

from scratch import scratch_instance

PEOPLE, THREADS, COMMENTS = 5, 3, 20
TICK = timedelta(minutes=5)


def busy_day(schedule: str, folder: str) -> dict[str, int]:
    """The emails each person got on the day with `schedule`, by name."""
    from sqlalchemy import func, select, update

    from workspace import create_app
    from workspace.auth.models import User
    from workspace.comments.operations import add_comment
    from workspace.extensions import db
    from workspace.mail.models import OutboxEmail
    from workspace.messages.operations import post_message
    from workspace.notifications.delivery import send_due_recaps
    from workspace.notifications.models import DeliverySettings, Notification
    from workspace.projects.access import project_access
    from workspace.projects.models import Membership, Project, Role

    app = create_app({"PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/{schedule}.db"})
    with app.test_request_context(base_url=app.config["WORKSPACE_BASE_URL"]):
        db.create_all()
        people = [User(email=f"person{n}@example.org", name=f"Person {n}")
                  for n in range(PEOPLE)]
        project = Project(name="Busy day", description="")
        for n, user in enumerate(people):
            user.set_password("benchmark password")
            project.memberships.append(
                Membership(user=user, role=Role.OWNER if n == 0 else Role.MEMBER))
        db.session.add_all([*people, project])
        db.session.flush()
        db.session.add_all(DeliverySettings(user_id=user.id, schedule=schedule, recap_hour=18,
                                            work_days="") for user in people)
        db.session.commit()
        # The day is tomorrow, so that every simulated moment is after the real one.
        day = datetime.combine(datetime.now(UTC).date() + timedelta(days=1), time(9), UTC)
        clock = Clock(day, send_due_recaps)

        def at(moment: datetime) -> None:
            """Everything recorded since the last call happened at `moment`."""
            clock.run_until(moment)
            db.session.execute(update(Notification).where(Notification.id > clock.seen)
                               .values(created_at=moment))
            clock.seen = db.session.scalar(select(func.max(Notification.id))) or 0
            db.session.commit()

        threads = []
        for n in range(THREADS):
            access = project_access(project.id, user=people[n % PEOPLE])
            threads.append(post_message(access, title=f"Thread {n}", body="Let us talk.",
                                        private=False, notify=[p.id for p in people]))
        at(day)
        for n in range(COMMENTS):
            moment = day + timedelta(minutes=24 * n)  # 09:00 to 16:36
            add_comment(threads[n % THREADS], f"Comment {n}", by=people[n % PEOPLE])
            at(moment)
        clock.run_until(day + timedelta(hours=24))
        counts = dict(db.session.execute(
            select(User.name, func.count(OutboxEmail.id))
            .outerjoin(OutboxEmail, OutboxEmail.recipient_id == User.id)
            .group_by(User.name).order_by(User.name)).all())
        db.session.remove()
        db.engine.dispose()
    return counts


class Clock:
    """The scheduler's recap job, every TICK of simulated time."""

    def __init__(self, start: datetime, job) -> None:  # type: ignore[no-untyped-def]
        self.now, self.job, self.seen = start, job, 0

    def run_until(self, moment: datetime) -> None:
        while self.now + TICK <= moment:
            self.now += TICK
            self.job(self.now)


def main() -> None:
    folder = scratch_instance()
    results = {schedule: busy_day(schedule, str(folder))
               for schedule in ("at_once", "hourly", "daily")}
    for schedule, counts in results.items():
        print(f"{schedule:8} {sum(counts.values()):4} emails  "
              + "  ".join(f"{name}: {count}" for name, count in counts.items()))
    if "--json" in sys.argv:
        print(json.dumps(results))


if __name__ == "__main__":
    main()
