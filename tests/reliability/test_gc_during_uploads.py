"""`workspace files gc` runs while people upload (the scheduler runs it too): it never removes
a content whose upload is still between storing it and committing its row. On the local
folder and on an S3 bucket (whose LastModified is the clock gc reads there)."""

from __future__ import annotations

import io
import time

from workspace.files.operations import collect_garbage
from workspace.files.storage import storage

HOUR = 3600


def test_gc_keeps_a_content_just_stored_by_an_upload_not_yet_committed(app, any_store):
    in_flight = storage().save(io.BytesIO(b"stored, row not committed yet"), 100)
    assert collect_garbage(stale_after_seconds=HOUR) == (0, 0)
    assert storage().exists(in_flight.sha256)
    assert collect_garbage(stale_after_seconds=0) == (1, 0)  # once really abandoned


def test_gc_keeps_an_old_orphan_that_a_new_upload_has_just_stored_again(app, any_store):
    """The same bytes again: the upload finds them stored and refers to them; gc must not
    remove them because they had been orphaned long ago (here: longer than a grace period of
    one second, as a bucket's LastModified cannot be set back)."""
    orphan = storage().save(io.BytesIO(b"same bytes"), 100)
    time.sleep(1.1)
    assert list(storage().hashes(older_than=1)) == [orphan.sha256]  # an orphan gc would take
    again = storage().save(io.BytesIO(b"same bytes"), 100)
    assert again.sha256 == orphan.sha256 and not again.created
    assert collect_garbage(stale_after_seconds=1) == (0, 0)
    assert storage().exists(orphan.sha256)
