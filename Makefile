# Linxia Marketplace: `make run` serves the demo, `make test` runs every check.
VENV ?= .venv
PY := $(VENV)/bin/python
# `make run` is the development server: debug mode, a dev secret, cookies over plain http.
FLASK := FLASK_DEBUG=$${FLASK_DEBUG-1} $(VENV)/bin/flask --app wsgi
PYTHON ?= python3
HOST ?= 127.0.0.1
PORT ?= 5000

.PHONY: run test install install-test translations i18n-update lint format seed bench clean css

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(VENV)/bin/python
	$(PY) -m pip install -q -e '.[test]'
	touch $@ $(VENV)/.installed

install: $(VENV)/.installed translations

install-test: $(VENV)/.installed-test translations

## Compile every package's Chinese catalogue (.po -> .mo).
translations: | $(VENV)/bin/python
	$(FLASK) i18n compile

## Re-extract strings from the code into each package's .po (then translate the empty ones).
i18n-update: install
	$(FLASK) i18n update

seed: install
	$(FLASK) db upgrade
	$(FLASK) seed-demo

## The development server, with a jobs worker (Huey on a SQLite file under instance/, no
## Redis needed) in the background for as long as it runs.
run: seed
	$(FLASK) jobs worker --workers 1 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check marketplace tests migrations bench scripts wsgi.py
	$(VENV)/bin/ruff format --check marketplace tests bench scripts wsgi.py

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff format marketplace tests bench wsgi.py
	$(VENV)/bin/ruff check --fix marketplace tests bench wsgi.py

## One worker per core, each with its own database; a test file stays on one worker.
PYTEST_ARGS ?= -n auto --dist loadfile
test: install-test lint
	$(VENV)/bin/pytest $(PYTEST_ARGS)

## Bootstrap's CSS purged to the classes the templates use (static/css/bootstrap.purged.css).
css: $(VENV)/.installed-test
	$(PY) scripts/purge_bootstrap.py

## Prefecture-scale benchmark against PostgreSQL (see bench/README.md); installs wrk if missing.
bench: install-test
	command -v wrk >/dev/null || (apt-get update -qq && apt-get install -y -qq wrk)
	$(PY) -m bench.run

clean:
	rm -rf $(VENV) instance tests/artifacts
