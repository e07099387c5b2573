"""Templates and event sentences read the catalogue kept for the rendering and the locale, on
Flask-Babel's public interface: `force_locale` (emails in their reader's language) gets its
own, a macro imported without context is translated too, and sentences marked N_ as well."""

from __future__ import annotations

from flask import render_template_string
from flask_babel import force_locale

from workspace.activity.models import Event
from workspace.i18n import current_translations

TEMPLATE = ('{% macro save() %}{{ _("Save") }}{% endmacro %}'
            '{{ _("Cancel") }}|{% trans %}Save{% endtrans %}|{{ save() }}|'
            '{{ ngettext("%(num)s item", "%(num)s items", 2) }}')


def test_a_rendering_reads_its_locale_s_catalogue_and_force_locale_its_own(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        french = render_template_string(TEMPLATE)
        assert french.startswith("Annuler|Enregistrer|Enregistrer|")
        with force_locale("en"):
            assert render_template_string(TEMPLATE).startswith("Cancel|Save|Save|")
            assert current_translations().ugettext("Save") == "Save"
        assert render_template_string(TEMPLATE) == french
        assert current_translations().ugettext("Save") == "Enregistrer"


def test_a_macro_imported_without_context_is_translated(app):
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        page = render_template_string('{% from "_forms.html" import confirm_delete %}'
                                      '{{ confirm_delete("/x") }}')
    assert "Supprimer…" in page and "Delete…" not in page


def test_event_sentences_are_translated_in_the_current_language(app):
    event = Event(action="alert_due", target_type="milestone", summary="Beta", excerpt="")
    with app.test_request_context(headers={"Accept-Language": "fr"}):
        french = event.describe()
        with force_locale("en"):
            assert event.describe() == "Milestone 'Beta' is due today"
    assert french != "Milestone 'Beta' is due today" and "Beta" in french
