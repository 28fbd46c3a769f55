# caseboard: `make run` serves the sample practice, `make test` lints and runs every test.
# `make run` installs only what the app needs; `make test` (and lint, bench) add the dev
# tools (pytest, playwright, ruff, sqlfluff, hypothesis). Each install has its own stamp.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
APP_STAMP := $(VENV)/.installed-app
STAMP := $(VENV)/.installed
DB ?= caseboard.duckdb

.PHONY: install sample-db run test lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(APP_STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $(APP_STAMP)

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(APP_STAMP) $(STAMP)

install: $(STAMP)

$(DB): $(APP_STAMP) $(wildcard sample_data/*)
	$(BIN)/caseboard ingest sample_data --db $(DB) --practice sample
	touch $(DB)

sample-db: $(DB)

run: $(DB)
	$(BIN)/caseboard serve --db $(DB)

test: lint
	$(BIN)/python -m pytest -n 2 --dist loadgroup

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/sqlfluff lint sql

bench: $(STAMP)
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) $(DB) $(DB).lock artifacts .pytest_cache
