"""@mentions in what people write (messages, comments, to-do notes, and any kind that calls
`render_with_mentions`): `@Full Name` or `@email`, resolved on the server when the text is
saved, so they work without JavaScript.

A mention of someone who may see the item is linked, makes them follow it and notifies them
at once. A mention of someone who may not (a client on a private item, someone outside the
project) is not linked and notifies nobody; nor does a name nobody has, nor the author's own.
The author is told of each, in the preview and after saving. At most MAX_MENTIONS people are
called in by one text: the rest are left as text, and the author is told so.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import ngettext
from markupsafe import Markup, escape
from sqlalchemy import select

from workspace.auth.models import User
from workspace.comments import following
from workspace.comments.signals import people_mentioned
from workspace.extensions import db
from workspace.projects.access import may_see
from workspace.projects.models import Membership, Role
from workspace.text import render_markdown

MAX_MENTIONS = 50
# An "@" that starts a mention (not inside a word or an address); "@@" marks it urgent: it
# reaches the person even outside their working hours.
AT = re.compile(r"(?<![\w@.+-])(@@?)(?=\w)")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
WORD = re.compile(r"[\w.'-]*\w")
# Parts of rendered HTML where a mention is left as written.
LEFT_ALONE = {"code", "pre", "a"}


@dataclass
class Mentions:
    """What the mentions of a text resolve to. `people`: those who may see the item (linked,
    notified, made followers); `yourself`: the author mentioned themselves; `refused`: names
    or addresses of people who may not see it; `unknown`: names nobody in the project has;
    `capped`: mentions beyond MAX_MENTIONS, left as text."""

    people: list[User] = field(default_factory=list)
    yourself: bool = False
    refused: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    capped: int = 0
    urgent: set[int] = field(default_factory=set)
    # The text of each linked mention as written ("Ana Lima", "ana@example.org"), lowercased.
    written: dict[str, User] = field(default_factory=dict)

    @property
    def ids(self) -> list[int]:
        return [person.id for person in self.people]

    def notices(self) -> list[str]:
        """What the author should know, in their language."""
        said = []
        if self.refused:
            said.append(ngettext(
                "%(names)s cannot see this: the mention is not linked and notifies nobody.",
                "%(names)s cannot see this: these mentions are not linked and notify nobody.",
                len(self.refused), names=", ".join(f"@{name}" for name in self.refused)))
        if self.unknown:
            said.append(_("Nobody in this project is called %(names)s: nobody is notified.",
                          names=", ".join(f"@{name}" for name in self.unknown)))
        if self.yourself:
            said.append(_("You mentioned yourself: you are not notified."))
        if self.capped:
            said.append(_("At most %(max)d people can be mentioned in one text: "
                          "%(num)d more mentions were left as text.",
                          max=MAX_MENTIONS, num=self.capped))
        return said


def people_of(project_id: int) -> list[tuple[User, Role]]:
    """The project's people and their roles: who a mention may name. One query."""
    return [(user, role) for user, role in db.session.execute(
        select(User, Membership.role).join(Membership, Membership.user_id == User.id)
        .where(Membership.project_id == project_id, User.deactivated_at.is_(None))
        .order_by(User.name, User.id))]


def mentionable(project_id: int, *, private: bool) -> list[User]:
    """The people who may see an item (so may be mentioned in it), by name."""
    return [user for user, role in people_of(project_id) if may_see(role, private=private)]


def resolve(text: str, *, project_id: int, private: bool, author: User) -> Mentions:
    """Read the mentions of `text`, written by `author` in an item of the project that is
    private (to the team) or not."""
    result = Mentions()
    if "@" not in text:
        return result
    people = people_of(project_id)
    by_email = {user.email.lower(): (user, role) for user, role in people}
    # Longest names first: "@Ana Lima" is Ana Lima, not Ana.
    by_name = sorted(((user.name.lower(), user, role) for user, role in people),
                     key=lambda entry: -len(entry[0]))
    seen: set[str] = set()
    lowered = text.lower()
    for at in AT.finditer(text):
        start = at.end()
        found = match_person(text, lowered, start, by_email, by_name)
        if found is None:
            word = WORD.match(text, start)
            if word and word.group(0).lower() not in seen:
                seen.add(word.group(0).lower())
                result.unknown.append(word.group(0))
            continue
        written, user, role = found
        if written.lower() in seen:
            continue
        seen.add(written.lower())
        sort_mention(result, written, user, role, private=private, author=author)
        if at.group(1) == "@@" and user is not None and user in result.people:
            result.urgent.add(user.id)
    return result


def match_person(text: str, lowered: str, start: int, by_email: dict,
                 by_name: list) -> tuple[str, User | None, Role | None] | None:
    """The mention starting at `start`: its text as written, and the person (None for an
    address of nobody in the project, who may not see the item either)."""
    email = EMAIL.match(text, start)
    if email:
        user, role = by_email.get(email.group(0).lower(), (None, None))
        return email.group(0), user, role
    for name, user, role in by_name:
        end = start + len(name)
        if lowered.startswith(name, start) and (end == len(text) or not text[end].isalnum()):
            return text[start:end], user, role
    return None


def sort_mention(result: Mentions, written: str, user: User | None, role: Role | None, *,
                 private: bool, author: User) -> None:
    if user is not None and user.id == author.id:
        result.yourself = True
        result.written[written.lower()] = user
    elif user is None or not may_see(role, private=private):
        result.refused.append(written)
    elif len(result.people) >= MAX_MENTIONS:
        result.capped += 1
    elif user not in result.people:
        result.people.append(user)
        result.written[written.lower()] = user


def link_mentions(html: str, mentions: Mentions) -> str:
    """`html` with each linked mention marked, outside code and links."""
    if not mentions.written:
        return html
    alternatives = sorted({str(escape(written)) for written in mentions.written}
                          | set(mentions.written), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w@.+-])@@?(" + "|".join(map(re.escape, alternatives))
                         + r")(?![\w@])", re.IGNORECASE)

    def mark(match: re.Match[str]) -> str:
        written = match.group(1)
        user = mentions.written.get(written.lower()) or mentions.written.get(
            Markup(written).unescape().lower())
        if user is None:
            return match.group(0)
        return str(Markup('<span class="mention" data-person="{}">@{}</span>').format(
            user.id, user.name))

    parts, inside = re.split(r"(<[^>]+>)", html), 0
    for index, part in enumerate(parts):
        tag = re.match(r"<(/?)(\w+)", part)
        if tag and tag.group(2).lower() in LEFT_ALONE:
            inside += -1 if tag.group(1) else 1
        elif not part.startswith("<") and inside == 0:
            parts[index] = pattern.sub(mark, part)
    return "".join(parts)


def render_with_mentions(text: str, *, project_id: int, private: bool,
                         author: User) -> tuple[str, Mentions]:
    """The text's HTML with its mentions linked, and what they resolve to: the one call a
    kind makes when it saves a text that may mention people."""
    mentions = resolve(text, project_id=project_id, private=private, author=author)
    return link_mentions(str(render_markdown(text)), mentions), mentions


def announce(item: object, event: object, mentions: Mentions,
             already: Mentions | None = None) -> None:
    """In the caller's transaction: the people mentioned in a text of `item` (and not in its
    earlier version, `already`) follow it, and are told at once (`people_mentioned`)."""
    earlier = set(already.ids) if already else set()
    called = [user_id for user_id in mentions.ids if user_id not in earlier]
    if not called:
        return
    following.follow(item.item_id, called)
    people_mentioned.send(item, event=event, mentioned=called,
                          urgent=[user_id for user_id in called if user_id in mentions.urgent])
