"""The interface speaks French: the catalogue is complete and pages follow the person's choice."""

from datetime import UTC, datetime
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.pofile import read_po

from workspace.extensions import db

ROOT = Path(__file__).resolve().parent.parent
TRANSLATIONS = ROOT / "workspace" / "translations"


def catalogue(path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as handle:
        return read_po(handle)


def strings_in_the_code() -> set[str | tuple[str, ...]]:
    """Every translatable string, extracted now from the code and templates (as
    `make extract-messages` does), so that a string added without a translation fails."""
    keywords = {**DEFAULT_KEYWORDS, "_l": None}
    found = set()
    sources = ((ROOT / "workspace", "**.py", "python"), (ROOT / "templates", "**.html", "jinja2"),
               (ROOT / "templates", "**.txt", "jinja2"))
    for folder, pattern, method in sources:
        for _, _, message, *_ in extract_from_dir(
            folder, method_map=[(pattern, method)], keywords=keywords,
            options_map={pattern: {"extensions": "jinja2.ext.do"}},
        ):
            found.add(message)
    return found


def test_the_french_catalogue_is_complete_and_current():
    french = catalogue(TRANSLATIONS / "fr" / "LC_MESSAGES" / "messages.po")
    translated = {m.id for m in french if m.id}
    missing = {m if isinstance(m, str) else m[0] for m in strings_in_the_code()} - {
        m if isinstance(m, str) else m[0] for m in translated}
    assert missing == set()
    untranslated = [m.id for m in french if m.id and (
        "fuzzy" in m.flags
        or not (m.string if isinstance(m.string, str) else all(m.string))
    )]
    assert untranslated == []


def test_a_person_who_chose_french_gets_french_pages(make, client_for):
    ana = make.user("Ana", admin=True)  # sees "New project"
    ana.locale = "fr"
    db.session.commit()
    page = client_for(ana).get("/").data.decode()
    assert '<html lang="fr">' in page and "Projets" in page and "Nouveau projet" in page


def test_switching_language_on_the_profile(make, client_for):
    ana = make.user("Ana")
    client = client_for(ana)
    form = {"name": "Ana", "timezone": "Europe/Paris"}
    client.post("/settings/profile", data={**form, "locale": "fr"})
    assert "Retour à vos projets" in client.get("/nothing-here").text
    client.post("/settings/profile", data={**form, "locale": "en"})
    assert "Back to your projects" in client.get("/nothing-here").data.decode()


def test_the_browser_language_applies_until_the_person_chooses(make, client_for, client):
    assert "Se connecter" in client.get("/login", headers={"Accept-Language": "fr-FR,fr"}).text
    assert "Sign in" in client.get("/login", headers={"Accept-Language": "en"}).text
    ana = make.user("Ana", admin=True)  # sees "New project"
    ana.locale = "en"
    db.session.commit()
    page = client_for(ana).get("/", headers={"Accept-Language": "fr"}).text
    assert "New project" in page


def test_a_visitor_can_pick_french_before_signing_in(make, client):
    make.user("Ana")
    client.post("/language", data={"language": "fr"})
    assert "Se connecter" in client.get("/login").text


def test_dates_follow_the_persons_timezone_and_language(make, client_for):
    ana = make.user("Ana")
    project = make.project("Old", owner=ana)
    project.archived_at = datetime(2026, 3, 1, 23, 30, tzinfo=UTC)
    ana.timezone, ana.locale = "Europe/Paris", "fr"
    db.session.commit()
    page = client_for(ana).get("/").text
    assert "archivé le 2 mars 2026" in page  # 00:30 on the 2nd in Paris


def test_plurals_and_numbers_follow_french_rules(make, client_for, client):
    import io

    from tests.api.test_routes import call
    from workspace.api.tokens import create_token

    ana = make.user("Ana")
    ana.locale = "fr"
    project = make.project("Lancement", owner=ana)
    token = create_token(ana, "t")[1]
    base = f"/projects/{project.id}"
    todo_list = call(client, "POST", f"{base}/todolists", token, {"name": "Semaine"}).json
    todos = [call(client, "POST", f"{base}/todolists/{todo_list['id']}/todos", token,
                  {"text": text}).json for text in ("Un", "Deux", "Trois")]
    call(client, "POST", f"{base}/todos/{todos[0]['id']}/complete", token)
    browser = client_for(ana)
    assert "1 tâche terminée" in browser.get(f"{base}/todolists").text
    call(client, "POST", f"{base}/todos/{todos[1]['id']}/complete", token)
    assert "2 tâches terminées" in browser.get(f"{base}/todolists").text
    call(client, "POST", f"{base}/files", token, content_type="multipart/form-data",
         data={"files": (io.BytesIO(b"x" * 1536), "devis.txt")})
    assert "1,5 Ko" in browser.get(f"{base}/files").text
