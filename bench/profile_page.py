"""Where a page spends its time: cProfile over repeated requests with the test client.

Runs against an existing database (one filled by `workspace demo --size large`), signed in
as the demo owner. Usage:

    WORKSPACE_DATABASE_URL=sqlite:///… .venv/bin/python bench/profile_page.py /projects/1 \\
        --requests 200 --top 30
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import statistics
import time


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--anonymous", action="store_true", help="Do not sign in (feeds).")
    args = parser.parse_args()

    from workspace import create_app
    from workspace.auth.models import User
    from workspace.auth.operations import open_session
    from workspace.demo import OWNER_EMAIL

    app = create_app()
    client = app.test_client()
    if not args.anonymous:
        with app.app_context():
            session_id = open_session(User.by_email(OWNER_EMAIL))
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = session_id, True
    status = client.get(args.path).status_code
    samples, cpu = [], []
    for _ in range(args.requests):
        started, started_cpu = time.perf_counter(), time.process_time()
        client.get(args.path)
        samples.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    print(f"{args.path}: {status}, per request: fastest {min(samples):.2f} ms, median "
          f"{statistics.median(samples):.2f} ms, median CPU {statistics.median(cpu):.2f} ms "
          "(the machine is shared: trust the fastest and the CPU time)")
    if args.top:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(args.requests):
            client.get(args.path)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(args.top)


if __name__ == "__main__":
    main()
