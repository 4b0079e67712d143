# The single entry point: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install install-dev system-deps static messages migrate demo serve test test-fast lint typecheck bench clean

help:
	@echo "make demo   - set up everything and serve a demo province on http://$(HOST):$(PORT)"
	@echo "make test   - install what the tests need, then lint and run the whole test suite"
	@echo "make serve  - serve the existing database"
	@echo "make lint / typecheck / bench"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements/base.txt pyproject.toml
	$(BIN)/pip install --quiet -r requirements/base.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements/dev.txt
	$(BIN)/pip install --quiet -r requirements/dev.txt
	touch $@

install: $(VENV)/.installed static messages
install-dev: $(VENV)/.installed-dev static messages system-deps

# Chromium for the browser tests and fonts with Vietnamese glyphs, from Debian, when missing.
system-deps:
	@bash scripts/system_deps.sh

static:
	@bash scripts/vendor_static.sh

messages: $(VENV)/.installed
	@$(BIN)/python scripts/compile_messages.py

migrate: install
	$(BIN)/cchc migrate --noinput

# The background worker (uploaded imports) runs beside the web server and stops with it.
demo: migrate
	$(BIN)/cchc demo
	$(BIN)/cchc db_worker --no-reload & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(BIN)/cchc runserver $(HOST):$(PORT)

serve: install
	$(BIN)/cchc db_worker --no-reload & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(BIN)/cchc runserver $(HOST):$(PORT)

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src

test: install-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

bench: install-dev
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) var src/cchc/web/static/vendor
