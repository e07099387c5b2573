"""What to-dos announce, for the domains above them to react to (connected by the app
factory). Receivers run inside the sender's transaction, before its commit."""

from blinker import Namespace

_signals = Namespace()

todo_assigned = _signals.signal("todo-assigned")
"""A to-do (the sender) was given to someone (its `assignee_id`), with its "assigned"
`event`."""
