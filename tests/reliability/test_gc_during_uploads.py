"""`workspace files gc` runs while people upload (the scheduler runs it too): it never removes
a content whose upload is still between storing it and committing its row."""

from __future__ import annotations

import io
import os
import time

from workspace.files.operations import collect_garbage
from workspace.files.storage import storage

HOUR = 3600


def test_gc_keeps_a_content_just_stored_by_an_upload_not_yet_committed(app):
    in_flight = storage().save(io.BytesIO(b"stored, row not committed yet"), 100)
    assert collect_garbage(stale_after_seconds=HOUR) == (0, 0)
    assert storage().exists(in_flight.sha256)
    assert collect_garbage(stale_after_seconds=0) == (1, 0)  # once really abandoned


def test_gc_keeps_an_old_orphan_that_a_new_upload_has_just_stored_again(app):
    """The same bytes again: the upload finds them stored and refers to them; gc must not
    remove them because they had been orphaned long ago."""
    orphan = storage().save(io.BytesIO(b"same bytes"), 100)
    long_ago = time.time() - 2 * HOUR
    os.utime(storage().path(orphan.sha256), (long_ago, long_ago))
    again = storage().save(io.BytesIO(b"same bytes"), 100)
    assert again.sha256 == orphan.sha256 and not again.created
    assert collect_garbage(stale_after_seconds=HOUR) == (0, 0)
    assert storage().exists(orphan.sha256)
