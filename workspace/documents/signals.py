"""What documents announce, for the domains above them to react to (connected by the app
factory). Receivers run inside the sender's transaction, before its commit."""

from blinker import Namespace

_signals = Namespace()

version_saved = _signals.signal("version-saved")
"""A new version of a document (the sender) was saved: edited or restored, with its `event`.
Not sent for a document's first version (its author is its only follower then)."""
