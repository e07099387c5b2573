"""Who follows an item that takes comments: the people who hear of what happens on it.

An item's followers are kept by its `items` row, so every kind that takes comments (and any
kind added later) has them without a column of its own. People follow automatically when they
write the item, comment on it, are given it or are mentioned in it; anyone who may see it may
follow or stop following it. A person who stopped keeps a row with `following` false, so that
the automatic rules (an author's) do not make them follow again behind their back: only their
own act does (a comment, a follow, being assigned or mentioned).

Followers are candidates, not recipients: notifications filter them through the access rules
when an event is announced, and the outbox again when an email leaves.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import and_, select, update

from workspace.auth.models import User
from workspace.comments.models import Follower
from workspace.extensions import db
from workspace.projects.access import may_see
from workspace.projects.models import Membership


def follow(item_id: int, user_ids: Iterable[int | None], *, deliberate: bool = True) -> None:
    """Make people follow an item, in the caller's transaction. `deliberate` (their own act,
    or someone calling them in) overrides an earlier choice to stop; otherwise (an author, by
    default) only people with no choice recorded start following."""
    wanted = {user_id for user_id in user_ids if user_id}
    if not wanted:
        return
    known = dict(db.session.execute(
        select(Follower.user_id, Follower.following)
        .where(Follower.item_id == item_id, Follower.user_id.in_(wanted))).all())
    db.session.add_all(Follower(item_id=item_id, user_id=user_id, following=True)
                       for user_id in wanted - known.keys())
    stopped = [user_id for user_id, following in known.items() if not following]
    if deliberate and stopped:
        db.session.execute(update(Follower).where(
            Follower.item_id == item_id, Follower.user_id.in_(stopped)).values(following=True))
    db.session.flush()


def follow_new_item(item: object, *others: int | None) -> None:
    """An item was just written: its author follows it, and the `others` it names (a
    to-do's assignee, a milestone's responsible person)."""
    if item.item_id is None:
        db.session.flush()  # its `items` row is made as it is inserted
    follow(item.item_id, [item.author_id], deliberate=False)
    follow(item.item_id, others)


def unfollow(item_id: int, user_id: int) -> None:
    """Stop following an item (and remember the choice), in the caller's transaction."""
    row = db.session.scalar(select(Follower).where(Follower.item_id == item_id,
                                                   Follower.user_id == user_id))
    if row is None:
        db.session.add(Follower(item_id=item_id, user_id=user_id, following=False))
    else:
        row.following = False
    db.session.flush()


def follower_ids(item_id: int) -> set[int]:
    return set(db.session.scalars(select(Follower.user_id).where(
        Follower.item_id == item_id, Follower.following.is_(True))))


def followers_of(item: object) -> list[User]:
    """The people following an item who may see it now (a client following an item since
    made private is not listed), by name: one query."""
    here = and_(Membership.user_id == User.id, Membership.project_id == item.project_id)
    query = (select(User, Membership.role).join(Follower, Follower.user_id == User.id)
             .join(Membership, here)
             .where(Follower.item_id == item.item_id, Follower.following.is_(True))
             .order_by(User.name, User.id))
    private = bool(getattr(item, "private", False))
    return [user for user, role in db.session.execute(query) if may_see(role, private=private)]


def is_following(item_id: int, user_id: int) -> bool:
    return user_id in follower_ids(item_id)


def start_following(item: object, user: User) -> None:
    """A person follows an item from its page or the API: one transaction."""
    follow(item.item_id, [user.id])
    db.session.commit()


def stop_following(item: object, user: User) -> None:
    unfollow(item.item_id, user.id)
    db.session.commit()
