# Työllisyystalo: `make run` serves the demo, `make test` runs lint, types and the whole suite.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-$(shell cat pyproject.toml constraints.txt | sha1sum | cut -c1-12)
# The production settings `check --deploy` is run with (throwaway values, never used to serve).
DEPLOY_ENV := DEBUG=false DEMO=false ALLOWED_HOSTS=tyollisyystalo.example.fi \
	ACCESS_LOG_CHECKPOINT_SINK=file:///var/lib/tyollisyystalo/witness \
	SECRET_KEY=deploy-check-$(shell printf '%064d' 0 | tr 0 k)

.PHONY: run serve-prod test lint types unit browser deploy-check messages makemessages bench bench-management clean

$(STAMP):
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install -q --disable-pip-version-check --upgrade pip
	@$(PY) -m pip install -q --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@rm -f $(VENV)/.installed-* && touch $@

.env: | $(STAMP)
	@$(PY) -m config.devsecrets

var:
	@mkdir -p var/static

# gettext compiles the messages; Voikko serves search; Pango and DejaVu render plan PDFs.
messages: $(STAMP)
	@scripts/ensure-system-packages gettext libvoikko1 voikko-fi libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
	@cd tyollisyystalo && ../$(PY) ../manage.py compilemessages -v0

makemessages: $(STAMP)
	@cd tyollisyystalo && for l in sv en; do ../$(PY) ../manage.py makemessages -l $$l --no-obsolete -v0; done

run: $(STAMP) .env var messages
	@$(PY) manage.py migrate --noinput -v0
	@$(PY) manage.py seed_demo
	@$(PY) manage.py import_services ../shared/data/services_fi.json
	@$(PY) manage.py seed_demo --catalogue-ages
	@$(PY) manage.py seed_demo --paths
	@echo
	@echo "Työllisyystalo is running at http://127.0.0.1:8000/"
	@echo "Demo logins (password + current TOTP code): $(PY) manage.py demo_credentials"
	@echo
	@$(PY) manage.py runserver 127.0.0.1:8000

# Production serving with the settings in the environment (see README "Running in production"):
# refuses to start when `check --deploy` finds an error (DEMO on, a weak encryption key).
serve-prod: $(STAMP) var messages
	$(PY) manage.py check --deploy --fail-level ERROR
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v0
	$(VENV)/bin/gunicorn -c config/gunicorn.py

lint: $(STAMP)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

types: $(STAMP) .env
	$(VENV)/bin/mypy .

# A fresh random encryption key each run: an all-zero or weak key fails the check (ops.checks).
deploy-check: $(STAMP)
	@env $(DEPLOY_ENV) FIELD_ENCRYPTION_KEY=$$($(PY) -c "import base64,secrets;print(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())") \
		$(PY) manage.py check --deploy --fail-level WARNING
	@$(PY) manage.py makemigrations --check --dry-run -v0

unit: $(STAMP) .env var messages
	@scripts/ensure-system-packages postgresql-client
	$(VENV)/bin/pytest -m "not browser"

browser: $(STAMP) .env var messages
	@scripts/ensure-system-packages chromium fonts-dejavu-core
	$(VENV)/bin/pytest -m browser

test: $(STAMP) .env var messages lint types deploy-check
	@scripts/ensure-system-packages chromium fonts-dejavu-core postgresql-client
	$(VENV)/bin/pytest

bench: $(STAMP) .env var
	$(PY) bench/client_access.py
	$(PY) -m bench.screening
	$(PY) bench/paths.py

# Issue 15: indicators and the situation picture at 100,000 clients beside a DuckDB reference
# (tens of minutes on two cores; DATABASE_URL=postgres://… for PostgreSQL).
bench-management: $(STAMP) .env var
	$(PY) bench/management.py

clean:
	rm -rf $(VENV) var .mypy_cache .ruff_cache
