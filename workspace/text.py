"""Markdown in, safe HTML out: what people write is rendered once, when it is saved."""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p", "br", "hr", "strong", "em", "del", "s", "code", "pre", "blockquote",
    "ul", "ol", "li", "a", "h1", "h2", "h3", "h4", "h5", "h6",
    "table", "thead", "tbody", "tr", "th", "td", "img",
}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    "th": {"align"},
    "td": {"align"},
}


LANGUAGE_CLASSES = (
    "python", "javascript", "js", "ts", "typescript", "html", "css", "sql", "bash", "sh",
    "shell", "json", "yaml", "toml", "ruby", "go", "rust", "java", "c", "cpp", "diff", "text",
)


@cache
def _markdown() -> MarkdownIt:
    # Raw HTML is shown as text, not interpreted; the sanitiser below is a second wall.
    return MarkdownIt("commonmark", {"html": False, "linkify": True}).enable(
        ["table", "strikethrough", "linkify"]
    )


def sanitize(html: str) -> str:
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener nofollow",
        allowed_classes={"code": {f"language-{name}" for name in LANGUAGE_CLASSES}},
    )



def render_markdown(source: str) -> Markup:
    """Render Markdown (tables, fenced code, autolinks) to sanitised HTML."""
    return Markup(sanitize(_markdown().render(source)))
