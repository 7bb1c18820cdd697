# labelapp — the two commands a newcomer needs are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app labelapp
PO     := $(wildcard labelapp/translations/*/LC_MESSAGES/messages.po)
MO     := $(PO:.po=.mo)
HOST   ?= 127.0.0.1
PORT   ?= 5000
# pytest-xdist workers for make test (one per core; 0 runs in this process, e.g. to use a debugger)
TEST_WORKERS ?= auto

.PHONY: run test lint bench security install install-dev translations extract-messages db demo clean help

help:
	@echo "make run    - install, migrate, load reference and demo data, serve on http://$(HOST):$(PORT)"
	@echo "make test   - install test tools and run the whole suite (SQLite, PostgreSQL, Chromium)"
	@echo "make lint   - ruff"
	@echo "make bench  - benchmark: data, pages under load, query counts, scoring, survey import (BENCH_ARGS=--quick)"
	@echo "make security - bandit, then wapiti3 against a throwaway demo instance as each role"

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is needed (set PYTHON=...)")'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Stamps re-run the install only when pyproject.toml changes, so a second `make run` starts in seconds.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	@touch $@

# The independent credential verifier the tests run (tests/support/verifier), and pa11y for the accessibility
# tests (tests/support/pa11y; it drives Debian's Chromium, so Puppeteer downloads no browser): npm packages pinned
# by their locks.
$(VENV)/.installed-dev: pyproject.toml tests/support/verifier/package-lock.json tests/support/pa11y/package-lock.json $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	cd tests/support/verifier && npm ci --no-audit --no-fund --loglevel=error
	cd tests/support/pa11y && PUPPETEER_SKIP_DOWNLOAD=1 npm ci --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed translations
install-dev: $(VENV)/.installed-dev translations

%.mo: %.po | $(VENV)/.installed
	$(BIN)/pybabel compile --statistics -i $< -o $@

translations: $(MO)

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k lazy_ngettext:1,2 --ignore-dirs=".venv .git .venv-security" -o labelapp/translations/messages.pot --no-location --sort-output --omit-header .
	$(BIN)/pybabel update -i labelapp/translations/messages.pot -d labelapp/translations --no-fuzzy-matching --width 120

db: install
	$(FLASK) db upgrade
	$(FLASK) municipalities load
	$(FLASK) criteria validate
	$(FLASK) programme validate

demo: db
	$(FLASK) demo seed

run: demo
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl+C to stop)"
	$(FLASK) run --host $(HOST) --port $(PORT)

test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check labelapp tests migrations bench tools

bench: install-dev
	$(BIN)/python -m bench $(BENCH_ARGS)

# Scanners in their own virtual environment: wapiti3 pins its own dependencies.
SECURITY_VENV := .venv-security
$(SECURITY_VENV)/.installed:
	$(PYTHON) -m venv $(SECURITY_VENV)
	$(SECURITY_VENV)/bin/pip install --quiet --upgrade pip
	$(SECURITY_VENV)/bin/pip install --quiet wapiti3==3.2.3 bandit==1.9.4
	@touch $@

# bandit: no finding of medium or high severity (each exception is justified where it is made); then wapiti3.
security: install-dev $(SECURITY_VENV)/.installed
	$(SECURITY_VENV)/bin/bandit -r labelapp -ll
	$(BIN)/python -m tools.security_scan --wapiti $(SECURITY_VENV)/bin/wapiti $(SECURITY_ARGS)

clean:
	rm -rf $(VENV) $(SECURITY_VENV) .pytest_cache $(MO)
