"""What commenting announces, for the domains above it to react to (each connects in its own
`receivers.connect_signals`, called by the app factory). Receivers run inside the sender's
transaction, before its commit, in the order they were connected."""

from blinker import Namespace

_signals = Namespace()

comment_added = _signals.signal("comment-added")
"""A comment was added to an item (the sender): `comment` and its "commented" `event`."""

uploads_attached = _signals.signal("uploads-attached")
"""Files came with a new comment on an item (the sender): `comment`, `access` (the author's)
and `uploads`, to store as the project's files attached to the comment."""

people_mentioned = _signals.signal("people-mentioned")
"""People were mentioned in the text of an item (the sender; a comment's subject for a
comment), who may see it and now follow it: `event` (what was written), `mentioned` (their
ids) and `urgent` (those of them marked urgent, `@@Name`). Any kind whose texts take
mentions sends it (comments.mentions.announce)."""
