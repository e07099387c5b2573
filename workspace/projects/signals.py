"""What the projects domain announces, for the domains above it to react to (each connects
in its own `receivers.connect_signals`, called by the app factory). Receivers run inside the
sender's transaction, before its commit."""

from blinker import Namespace

_signals = Namespace()

member_joined = _signals.signal("member-joined")
"""A person joined a project (the sender): the new `membership` (not yet flushed)."""

member_left = _signals.signal("member-left")
"""A person is leaving a project: their `membership` (the sender), about to be deleted."""

invitation_created = _signals.signal("invitation-created")
"""An invitation (the sender) was made or renewed: `link`, the address that accepts it."""
