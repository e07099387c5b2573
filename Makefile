# make run: a working server on http://127.0.0.1:5000 from a fresh clone.
# make test: ruff and the whole test suite (on PostgreSQL too when WORKSPACE_TEST_DATABASE_URL is set).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
CATALOGS := $(wildcard workspace/translations/*/LC_MESSAGES/messages.po)
COMPILED := $(CATALOGS:.po=.mo)
# axe-core, from the npm registry, checks every page's accessibility in the browser tests.
AXE := tests/browser/node_modules/axe-core/axe.min.js

.PHONY: run test soak screenshots lint translations extract-messages bench bench-pages bench-upload bench-feed bench-search bench-email-in bench-templates clean

run: $(VENV)/.installed $(COMPILED)
	$(BIN)/workspace db upgrade
	$(BIN)/workspace run --host 127.0.0.1 --port 5000

test: $(VENV)/.installed-test $(COMPILED) $(AXE)
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto

# The long load and fault runs (30 s of 20 writers on each database, …); minutes, not seconds.
soak: $(VENV)/.installed-test $(COMPILED)
	$(BIN)/pytest -m soak

$(AXE): tests/browser/package.json tests/browser/package-lock.json
	npm ci --prefix tests/browser --no-audit --no-fund --silent
	touch $@

# The README's screenshots, at 360 and 1280 px in English and French, taken again.
screenshots: $(VENV)/.installed-test $(COMPILED)
	$(BIN)/pytest -q tests/browser/test_keyboard_and_phones.py -k screenshots
	cp test-artifacts/screenshots/*-en-*.png test-artifacts/screenshots/*-fr-*.png docs/screenshots/

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

# Every benchmark; not part of `make test`. Results: bench/results/latest.md and latest.json.
# wrk against gunicorn (2 workers) on the large demo data set: req/s, latency, ratio to the
# ceiling, SQL per page (small vs large), memory per worker. BENCH_DATABASE_URL: PostgreSQL,
# and then a two-node run through nginx with Redis and S3 (bench/two_nodes.py).
bench-pages: $(VENV)/.installed-test $(COMPILED)
	$(BIN)/python bench/pages.py

# Peak memory of a gunicorn worker during a 500 MB upload (must stay < idle + 100 MB).
bench-upload: $(VENV)/.installed $(COMPILED)
	$(BIN)/python bench/upload_memory.py --size-mb 500
	$(BIN)/python bench/upload_memory.py --size-mb 500 --storage s3

# Time and SQL queries of a 50-entry feed and of a 304 poll, on a project with 100,000 events.
bench-feed: $(VENV)/.installed $(COMPILED)
	$(BIN)/python bench/feed.py --events 100000

# Every benchmark but the upload one, which sends 500 MB: run `make bench-upload` on its own.
bench: bench-pages bench-feed bench-search bench-email-in bench-templates

# Time and SQL queries of searches over 50,000 items (SQLite, or WORKSPACE_DATABASE_URL).
bench-search: $(VENV)/.installed $(COMPILED)
	$(BIN)/python bench/search.py --items 50000

# Emails per second taken by the email-in pipeline (replies that become comments and notify).
bench-email-in: $(VENV)/.installed $(COMPILED)
	$(BIN)/python bench/email_in.py --emails 300

# A project made from a template of 50 lists × 100 to-dos: seconds and SQL statements.
bench-templates: $(VENV)/.installed $(COMPILED)
	$(BIN)/python bench/templates.py --lists 50 --todos 100

translations: $(COMPILED)

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile -i $< -o $@

# Refresh the catalogues after changing user-facing text, then translate the new entries.
extract-messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -o workspace/translations/messages.pot workspace templates
	$(BIN)/pybabel update -N -i workspace/translations/messages.pot -d workspace/translations

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache
