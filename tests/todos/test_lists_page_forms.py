"""The lists page's buttons share one form per list (and one for moving lists) instead of a
form each: without JavaScript, each button still posts that form, with its CSRF token and
where to come back to, to its own address."""

from __future__ import annotations

from html.parser import HTMLParser

from markupsafe import Markup

from workspace.extensions import db
from workspace.forms import squeeze_whitespace
from workspace.todos.models import TodoList

from .helpers import added, new_list


class Forms(HTMLParser):
    """Each button of a page, with the fields of the form it submits."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: dict[str, dict[str, str]] = {}
        self.open: list[dict[str, str]] = []
        self.buttons: list[tuple[dict[str, str | None], dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        if tag == "form":
            fields = {"_method": attributes.get("method") or "get"}
            self.open.append(fields)
            self.forms[attributes.get("id") or f"form{len(self.forms)}"] = fields
        elif tag == "input" and self.open and attributes.get("type") == "hidden":
            self.open[-1][attributes["name"]] = attributes.get("value") or ""
        elif tag == "button":
            owner = attributes.get("form")
            fields = self.forms[owner] if owner else (self.open[-1] if self.open else {})
            self.buttons.append((attributes, fields))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self.open:
            self.open.pop()

    def button(self, label: str) -> tuple[dict[str, str | None], dict[str, str]]:
        return next(b for b in self.buttons if b[0].get("aria-label") == label)


def forms_of(page: str) -> Forms:
    parser = Forms()
    parser.feed(page)
    return parser


def test_a_check_button_posts_its_lists_form_to_its_todo(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    todo_list = new_list(client, project)
    todo = added(client, todo_list, "Write copy")
    added(client, todo_list, "Print flyers")
    page = client.get(f"/projects/{project.id}/todolists").data.decode()

    button, fields = forms_of(page).button("Mark “Write copy” as done")
    assert button["formaction"] == f"/projects/{project.id}/todos/{todo.id}/complete"
    assert fields["_method"] == "post" and fields["back"] == "lists" and fields["csrf_token"]
    assert page.count('name="back" value="lists"') == 2  # the list's buttons and its add form

    answer = client.post(button["formaction"], data={"back": fields["back"]})
    assert answer.headers["Location"].endswith(
        f"/projects/{project.id}/todolists#list-{todo_list.id}")
    db.session.refresh(todo)
    assert todo.is_completed


def test_the_list_move_buttons_post_one_shared_form(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    first = new_list(client, project, "First")
    new_list(client, project, "Second")
    page = client.get(f"/projects/{project.id}/todolists").data.decode()

    button, fields = forms_of(page).button("Move the list “First” down")
    assert button["formaction"] == f"/projects/{project.id}/todolists/{first.id}/move"
    assert fields["_method"] == "post" and fields["csrf_token"]
    assert page.count('id="move-lists"') == 1

    client.post(button["formaction"], data={"direction": button["value"]})
    db.session.expire_all()
    assert [t.name for t in db.session.scalars(
        db.select(TodoList).order_by(TodoList.position))] == ["Second", "First"]


def test_squeezing_whitespace_keeps_text_and_values():
    html = Markup('<div class="field">\n\n    <label for="a">To  do</label>\n  '
                  '<textarea id="a">\n  kept  text\n</textarea>\n</div>')
    assert squeeze_whitespace(html) == Markup(
        '<div class="field">\n<label for="a">To  do</label>\n'
        '<textarea id="a">\n  kept  text\n</textarea>\n</div>')
