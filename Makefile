# ITIL Prep: `make run` serves the site with its content; `make test` runs every check.
.DEFAULT_GOAL := help
SHELL := /bin/bash

PORT ?= 8000
VENV ?= .venv
PY := $(VENV)/bin/python
# The newest Python 3.12+ on this machine (pyenv's .python-version pins 3.13 where present).
PYTHON ?= $(shell for p in python3.13 python3.12 python3; do \
	command -v $$p >/dev/null && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { echo $$p; break; }; done)
STAMP := $(VENV)/.installed
# Local runs use DEBUG (no secret key or HTTPS needed); production sets its own variables.
DEV_ENV := DJANGO_DEBUG=$${DJANGO_DEBUG:-true}
# axe-core and the Nu HTML Checker (package.json) for the accessibility and validity tests;
# without npm those tests skip (in CI they fail).
NPM := $(shell command -v npm 2>/dev/null)
NODE_STAMP := node_modules/.installed

.PHONY: help install run test lint format serve-prod clean screenshots

help:
	@echo "make run    set up everything and serve the site at http://127.0.0.1:$(PORT)"
	@echo "make test   set up everything and run lint and the whole test suite"
	@echo "make screenshots  PNGs of the main pages (desktop, phone) into docs/screenshots/"

$(STAMP): pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (found none on PATH)." >&2; exit 1; }
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

# --ignore-scripts: vnu-jar's install script would download a Java; the tests use the machine's.
$(NODE_STAMP): package.json package-lock.json
	$(NPM) ci --no-audit --no-fund --ignore-scripts
	@touch $@

run: install
	$(DEV_ENV) $(PY) manage.py migrate --no-input
	$(DEV_ENV) $(PY) manage.py import_glossary --no-rebuild fixtures/itil4_foundation
	$(DEV_ENV) $(PY) manage.py build_question_bank
	$(DEV_ENV) $(PY) manage.py seed_demo
	@echo "Serving ITIL Prep at http://127.0.0.1:$(PORT)/  (Ctrl+C to stop)"
	$(DEV_ENV) $(PY) manage.py runserver 127.0.0.1:$(PORT)

# Demo data in a throwaway database, served on a free port, shot with Debian's Chromium.
screenshots: install
	$(PY) scripts/screenshots.py

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

test: lint $(if $(NPM),$(NODE_STAMP))
	$(VENV)/bin/pytest $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-wal db.sqlite3-shm
