"""Search pages: every project the person may see, or one project first."""

from __future__ import annotations

from flask import Blueprint, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from workspace import items
from workspace.links import subject_url
from workspace.projects.access import ProjectAccess, project_access
from workspace.search.excerpts import excerpt, highlight
from workspace.search.forms import SearchForm
from workspace.search.models import SearchEntry
from workspace.search.queries import people_choices, project_choices, search
from workspace.search.query import matcher, parse
from workspace.web import Page

bp = Blueprint("search", __name__)


@bp.route("/search")
@login_required
def everywhere() -> Page:
    return results_page(None)


@bp.route("/projects/<int:project_id>/search")
@login_required
def in_project(project_id: int) -> Page:
    return results_page(project_access(project_id))


def results_page(access: ProjectAccess | None) -> Page:
    user = current_user._get_current_object()
    form = SearchForm(formdata=request.args)
    form.validate()
    project_id = access.project.id if access else None
    form.project.choices = [("", _("All projects")), *project_choices(user)]
    form.person.choices = [("", _("Everyone")), *people_choices(user, project_id)]
    parsed = parse(form.q.data or "")
    result = search(user, parsed, form.filters(project_id), request.args.get("page", 1, type=int))
    return render_template(
        "search/project.html" if access else "search/everywhere.html",
        form=form, result=result, parsed=parsed, matches=matcher(parsed), access=access,
        project=access.project if access else None, hit_url=hit_url,
        kind_names={kind.name: kind.label for kind in items.kinds()},
        highlight=highlight, excerpt=excerpt, page_url=page_url,
    ), 400 if form.errors else 200


def page_url(page: int) -> str:
    """Another page of this very search."""
    args = {name: value for name, value in request.args.items() if value and name != "page"}
    return url_for(request.endpoint, **(request.view_args or {}), **args, page=page)


def hit_url(entry: SearchEntry) -> str:
    """The page of the item found; a comment is found on its item's page."""
    comment_id = entry.item_id if entry.kind == "comment" else None
    return subject_url(entry.subject_type, entry.project_id, entry.subject_id,
                       comment_id=comment_id)
