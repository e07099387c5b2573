"""Small helpers shared by the project tests."""

from __future__ import annotations

import re

from sqlalchemy import select

from workspace.auth.models import User
from workspace.extensions import db
from workspace.projects.models import Invitation, Membership, Project

TABLES = [User.__table__, Project.__table__, Membership.__table__, Invitation.__table__]


def database_state() -> dict[str, list[tuple[object, ...]]]:
    """Every row of the foundation's tables, read fresh, to compare before and after a request."""
    return {
        table.name: [
            tuple(row)
            for row in db.session.execute(select(table).order_by(*table.primary_key.columns))
        ]
        for table in TABLES
    }


def invitation_link(page: bytes) -> str:
    """The invitation link shown once on the people page."""
    match = re.search(rb'id="invitation-link"[^>]*value="([^"]+)"', page)
    assert match, "the page shows no invitation link"
    return match.group(1).decode()


def link_path(link: str) -> str:
    return "/" + link.split("://", 1)[1].split("/", 1)[1]
