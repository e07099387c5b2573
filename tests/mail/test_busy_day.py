"""The benchmark of a busy day's emails (bench/notification_emails.py) runs, and its counts
hold what the schedules promise: bundles cut the emails, a daily recap is one per person."""

import json
import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).parents[2] / "bench" / "notification_emails.py"


def test_a_busy_day_sends_far_fewer_emails_in_bundles_and_one_recap_each(tmp_path):
    env = {**os.environ, "WORKSPACE_DATABASE_URL": f"sqlite:///{tmp_path / 'unused.db'}"}
    done = subprocess.run([sys.executable, str(BENCH), "--json"], env=env, capture_output=True,
                          text=True, timeout=300, check=True)
    counts = json.loads(done.stdout.splitlines()[-1])
    at_once, hourly, daily = (sum(counts[s].values()) for s in ("at_once", "hourly", "daily"))
    assert at_once > hourly > daily
    assert all(count == 1 for count in counts["daily"].values())  # at most one per person
    assert "at_once" in done.stdout and "emails" in done.stdout
