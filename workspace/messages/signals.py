"""What the message board announces, for the domains above it to react to (connected by the
app factory). Receivers run inside the sender's transaction, before its commit."""

from blinker import Namespace

_signals = Namespace()

message_posted = _signals.signal("message-posted")
"""A message (the sender) was posted, with its "created" `event`."""
