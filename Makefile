# The single entry point: `make demo` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: help install install-dev system-deps static messages migrate demo serve test test-fast lint typecheck bench loadtest clean

help:
	@echo "make demo   - set up everything and serve a demo province on http://$(HOST):$(PORT)"
	@echo "make test   - install what the tests need, then lint and run the whole test suite"
	@echo "make serve  - serve the existing database"
	@echo "make lint / typecheck / bench"
	@echo "make loadtest - 50 simulated staff on gunicorn and PostgreSQL (docs/performance.md)"

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

# The secret key of this checkout, made once (settings read it when CCHC_SECRET_KEY is not set).
SECRET_KEY_FILE ?= $(or $(CCHC_SECRET_KEY_FILE),$(or $(CCHC_VAR_DIR),var)/secret_key)
$(SECRET_KEY_FILE):
	$(PYTHON) scripts/secret_key.py $@

messages: $(VENV)/.installed
	@$(BIN)/python scripts/compile_messages.py

migrate: install $(SECRET_KEY_FILE)
	$(BIN)/cchc migrate --noinput

# The background worker (uploaded imports) runs beside the web server and stops with it.
demo: migrate
	$(BIN)/cchc demo
	$(BIN)/cchc db_worker --no-reload & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	$(BIN)/cchc runserver $(HOST):$(PORT)

# The production server: gunicorn (src/cchc/gunicorn_conf.py; CCHC_WEB_WORKERS, CCHC_WEB_THREADS,
# CCHC_WEB_TIMEOUT) and the background worker. With CCHC_STATIC_ROOT set, static files are collected
# there first (hashed and compressed); without it whitenoise serves them from the app folders.
serve: install $(SECRET_KEY_FILE)
	@if [ -n "$$CCHC_STATIC_ROOT" ]; then $(BIN)/cchc collectstatic --noinput -v 0; fi
	$(BIN)/cchc db_worker --no-reload & worker=$$!; trap "kill $$worker" EXIT INT TERM; \
	CCHC_BIND=$(HOST):$(PORT) $(BIN)/gunicorn -c python:cchc.gunicorn_conf cchc.wsgi

lint: $(VENV)/.installed-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports --no-cache

typecheck: $(VENV)/.installed-dev
	$(BIN)/mypy src

test: install-dev $(SECRET_KEY_FILE)
	$(BIN)/ruff check .
	$(BIN)/lint-imports --no-cache
	$(BIN)/python -m pytest -p no:cacheprovider $(PYTEST_ARGS)

bench: install-dev $(SECRET_KEY_FILE)
	$(BIN)/python bench/run.py

# The load test (docs/performance.md, "Load"): PostgreSQL at DATABASE_URL (default: the local
# database cchc_load), the production server on 127.0.0.1, locust from a virtual environment of its
# own so that its pins never meet the application's.
.venv-load/.installed: requirements/load.txt
	$(PYTHON) -m venv .venv-load
	.venv-load/bin/pip install --quiet -r requirements/load.txt
	touch $@

loadtest: install .venv-load/.installed
	$(BIN)/python scripts/loadtest/run.py

clean:
	rm -rf $(VENV) .venv-load var src/cchc/web/static/vendor
