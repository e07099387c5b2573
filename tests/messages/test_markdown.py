"""Sanitising: what people write can never run script in the app."""

import re
from html.parser import HTMLParser

import pytest

from workspace.text import render_markdown

from .helpers import posted

PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](java\tscript:alert(1))",
    "[click](&#106;avascript:alert(1))",
    "[click](vbscript:msgbox(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](javascript:alert(1))",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
    "<javascript:alert(1)>",
    "<a href=\"javascript:alert(1)\">x</a>",
    "<div style=\"background:url(javascript:alert(1))\">x</div>",
    "<p style=\"width: expression(alert(1))\">x</p>",
    "<iframe src=\"https://evil.example\"></iframe>",
    "<object data=\"x.swf\"></object>",
    "<embed src=\"x.swf\">",
    "<form action=\"https://evil.example\"><input name=x></form>",
    "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
    "[x](https://ok.example \"title\\\" onmouseover=\\\"alert(1)\")",
    "<!-- <script>alert(1)</script> -->",
    "<style>body{display:none}</style>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
]


class Tags(HTMLParser):
    """Every real tag and attribute of a piece of HTML, as a browser would read them."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_is_neutralised(payload):
    html = str(render_markdown(payload))
    for tag, attrs in Tags(html).found:
        assert tag not in {"script", "iframe", "object", "embed", "style", "form", "svg", "math",
                           "input", "details", "body"}, tag
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src"):
                scheme = re.sub(r"[\s\x00-\x1f]", "", value or "").lower()
                assert not scheme.startswith(("javascript:", "vbscript:", "data:")), value


def test_ordinary_formatting_survives():
    html = str(render_markdown(
        "# Plan\n\n**bold** _it_ ~~gone~~\n\n- one\n- two\n\n1. first\n\n> quoted\n\n"
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n```python\nx = 1\n```\n\nsee https://example.org"
    ))
    for fragment in ("<h1>Plan</h1>", "<strong>bold</strong>", "<em>it</em>", "<s>gone</s>",
                     "<ul>", "<ol>", "<blockquote>", "<table>", "<td>1</td>",
                     '<code class="language-python">'):
        assert fragment in html, fragment
    assert '<a href="https://example.org" rel="noopener nofollow">' in html


def test_a_payload_shows_as_text_on_the_message_page(make, client_for):
    ana = make.user("Ana")
    project = make.project(owner=ana)
    client = client_for(ana)
    message = posted(client, project, title="<b>bold title</b>", body="<script>alert(1)</script>")
    page = client.get(f"/projects/{project.id}/messages/{message.id}").data
    assert b"<script>alert(1)</script>" not in page
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert b"&lt;b&gt;bold title&lt;/b&gt;" in page
