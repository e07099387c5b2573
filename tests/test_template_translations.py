"""Templates find the catalogue once per locale and request, and still follow force_locale
(emails go out in their reader's language from a request in another)."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

TEMPLATE = "{{ _('Overview') }} / {{ ngettext('%(num)d comment', '%(num)d comments', 2) }}"


def test_templates_follow_a_forced_locale_and_come_back(app):
    with app.test_request_context(headers={"Accept-Language": "en"}):
        before = render_template_string(TEMPLATE)
        with force_locale("fr"):
            forced = render_template_string(TEMPLATE)
        after = render_template_string(TEMPLATE)

    assert before == after == "Overview / 2 comments"
    assert forced == "Vue d\u2019ensemble / 2 commentaires"


def test_each_request_finds_its_own_language(app):
    # Each in its own app context (its own `g`), as a server serves them.
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "fr"}):
        french = render_template_string(TEMPLATE)
    with app.app_context(), app.test_request_context(headers={"Accept-Language": "en"}):
        english = render_template_string(TEMPLATE)

    assert (french, english) == ("Vue d\u2019ensemble / 2 commentaires", "Overview / 2 comments")
