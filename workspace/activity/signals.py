"""What the activity domain announces, for the domains above it to react to (each connects
in its own `receivers.connect_signals`, called by the app factory). Receivers run inside the
sender's transaction, before its commit."""

from blinker import Namespace

_signals = Namespace()

private_mark_changed = _signals.signal("private-mark-changed")
"""Items of one kind (the sender: their type) got a new private mark, given to their events:
`project_id`, `subject_ids` (a list or a subquery of ids) and `private`."""
