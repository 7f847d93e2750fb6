# Vanphong: `make run` (the app with a demo office) and `make test` (everything CI runs).
# Both work from a fresh clone: they create .venv, install pinned packages, and (for tests) the
# Debian packages the browser tests need.

PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
export VANPHONG_DATA_DIR ?= $(CURDIR)/data
export PIP_DISABLE_PIP_VERSION_CHECK := 1
# The test database on PostgreSQL (pytest-django creates and drops test_vanphong in it).
PG_URL ?= postgres://root@127.0.0.1:5432/vanphong
HOST ?= 127.0.0.1
PORT ?= 8000

REQ_HASH := $(shell cat requirements/base.txt requirements/constraints.txt pyproject.toml | sha256sum | cut -c1-12)
DEV_HASH := $(shell cat requirements/*.txt pyproject.toml | sha256sum | cut -c1-12)
STAMP := $(VENV)/.installed-$(REQ_HASH)
DEV_STAMP := $(VENV)/.dev-installed-$(DEV_HASH)
PO_FILES := $(wildcard src/vanphong/locale/*/LC_MESSAGES/django.po)
MO_FILES := $(PO_FILES:.po=.mo)

.PHONY: run install dev messages test lint typecheck migrations-check test-sqlite test-postgres test-browser system-deps runtime-deps clean constraints makemessages bench

run: install messages runtime-deps
	@$(BIN)/vanphong migrate --no-input -v 0
	@$(BIN)/vanphong demo
	@echo ""
	@echo "  Vanphong: http://$(HOST):$(PORT)/   (demo logins: docs/demo-office.md)"
	@echo ""
	@$(BIN)/vanphong serve --host $(HOST) --port $(PORT)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

install: $(STAMP)
$(STAMP): | $(BIN)/python
	$(BIN)/pip install -q -c requirements/constraints.txt -r requirements/base.txt
	$(BIN)/pip install -q --no-deps -e .
	@rm -f $(VENV)/.installed-* && touch $@

dev: $(DEV_STAMP)
$(DEV_STAMP): $(STAMP)
	$(BIN)/pip install -q -c requirements/constraints.txt -r requirements/dev.txt
	@rm -f $(VENV)/.dev-installed-* && touch $@

messages: $(MO_FILES)
src/vanphong/locale/%/LC_MESSAGES/django.mo: src/vanphong/locale/%/LC_MESSAGES/django.po $(STAMP)
	$(BIN)/python scripts/compile_messages.py $<

# Debian packages for the tests: Chromium for the browser tests (never a downloaded browser) and the
# PostgreSQL client tools for backup tests.
system-deps:
	@bash scripts/system-deps.sh

# What the app itself needs to run (fonts, OCR, poppler, Pango for PDFs); the demo signs and stamps PDFs.
runtime-deps:
	@bash scripts/system-deps.sh --runtime

test: dev messages system-deps lint typecheck migrations-check test-sqlite test-postgres

lint: dev
	$(BIN)/ruff check src tests bench scripts
	$(BIN)/ruff format --check src tests bench scripts
	$(BIN)/python scripts/check_translations.py

typecheck: dev
	$(BIN)/mypy

migrations-check: dev
	VANPHONG_DATA_DIR=$$(mktemp -d) $(BIN)/python -m vanphong manage makemigrations --check --dry-run

test-sqlite: dev messages system-deps
	$(BIN)/python -m pytest -p no:cacheprovider -q

test-postgres: dev messages
	@bash scripts/ensure-postgres.sh
	VANPHONG_DATABASE_URL=$(PG_URL) $(BIN)/python -m pytest -p no:cacheprovider -q -m "not browser"

bench: dev
	$(BIN)/python bench/bench_ballots.py
	$(BIN)/python bench/bench_people.py

makemessages: dev
	cd src/vanphong && ../../$(BIN)/python -m django makemessages --settings=vanphong.settings -l vi -l en -l ur -l hi --no-obsolete --no-location

constraints: dev
	$(BIN)/pip freeze --exclude-editable | sed '1i # Every package installed by requirements/dev.txt, pinned (regenerate with `make constraints`).' > requirements/constraints.txt

clean:
	rm -rf $(VENV) data .pytest_cache .mypy_cache .ruff_cache
