# CourtFlow — the two commands of the quick start are `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000
SCALE ?= 0.1
PYTEST_ARGS ?=

.PHONY: run test install lint format messages check-messages screenshots clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q -U pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/python -m pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## Start everything on http://$(HOST):$(PORT): migrate, load the demo court, serve, run the worker and beat.
run: install
	$(BIN)/python manage.py migrate --noinput -v0 --skip-checks
	$(BIN)/python manage.py calendar_seed --skip-checks
	$(BIN)/python manage.py catalog_load --skip-checks
	$(BIN)/python manage.py load_demo --quiet --scale $(SCALE) --skip-checks
	$(BIN)/python manage.py check --database default
	$(BIN)/python manage.py collectstatic --noinput -v0
	HOST=$(HOST) PORT=$(PORT) exec $(BIN)/python manage.py serve

## The whole test suite (DATABASE_URL picks the database; SQLite by default).
test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .

format: install
	$(BIN)/ruff format .

## Extract translatable strings into locale/zh_Hans (needs GNU gettext) and compile them.
messages: install
	$(BIN)/python manage.py makemessages -l zh_Hans --no-obsolete --ignore=.venv --ignore=var
	$(BIN)/python manage.py compilemessages -l zh_Hans --ignore=.venv

## Save the main pages of each role to docs/screenshots/ (the system's Chromium, a throwaway demo database).
screenshots: install
	$(BIN)/python scripts/screenshots.py

clean:
	rm -rf var .pytest_cache .ruff_cache
