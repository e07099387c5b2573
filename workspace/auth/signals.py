"""What accounts announce, for the domains above them to react to (each connects in its own
`receivers.connect_signals`, called by the app factory). Receivers run inside the sender's
transaction, before its commit."""

from blinker import Namespace

_signals = Namespace()

account_deactivated = _signals.signal("account-deactivated")
"""An account (the sender) is closed at `now`: whatever it could still use (tokens,
addresses, queued emails) is to be closed in the same transaction."""

account_reactivated = _signals.signal("account-reactivated")
"""An account (the sender) is open again."""

link_issued = _signals.signal("link-issued")
"""A single-use link was made for an account (the sender), of `purpose` (a TokenPurpose),
with its `secret`: to be emailed to it."""

asked_if_client_only = _signals.signal("asked-if-client-only")
"""A question, not a reaction: is this account (the sender) only ever a client? Roles are the
projects domain's, whose receiver answers; no answer counts as no."""
